import { useId } from 'react';
import { styled } from 'styled-components';

const Field = styled.div`
  margin-bottom: 20px;
  label {
    display: block;
    font-weight: 600;
    font-size: 16px;
    margin-bottom: 4px;
    color: #212121;
  }
  label .optional {
    font-weight: 400;
  }
  .hint {
    display: block;
    font-size: 14px;
    color: #5f686d;
    margin-bottom: 8px;
  }
  select {
    min-width: 290px;
    max-width: 100%;
    height: 40px;
    padding: 0 10px;
    font: inherit;
    color: #212121;
    background: #fff;
    border: 1px solid #6b7378;
    border-radius: 2px;
  }
  select:focus-visible {
    outline: 3px solid #1a99c7;
    outline-offset: 1px;
  }
`;

/**
 * The browser's own select, in the design system's look. Used for long lists (the 300 or so
 * municipalities): type-ahead, the platform's picker on phones, and screen readers that know it
 * (suomifi's SingleSelect points aria-controls at a list that exists only while it is open).
 */
export function NativeSelect(props: {
  label: string;
  hint?: string;
  optionalText?: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
}) {
  const id = useId();
  return (
    <Field>
      <label htmlFor={id}>
        {props.label}
        {props.optionalText && <span className="optional"> ({props.optionalText})</span>}
      </label>
      {props.hint && (
        <span className="hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      )}
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-describedby={props.hint ? `${id}-hint` : undefined}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </Field>
  );
}
