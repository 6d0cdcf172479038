import { useEffect, useId, useState } from 'react';
import { styled } from 'styled-components';
import type { Definition, LocalizableString, Question } from '../../src/questionnaires/format.ts';
import type { Language } from './i18n.ts';

/**
 * A questionnaire (our subset of the SurveyJS format, src/questionnaires/format.ts) as a form of
 * the browser's own controls: a fieldset with a legend per scale or choice, a label per text, each
 * error named at its question and tied to it with aria-describedby. The console's preview and the
 * citizen app's answering page both use it, so the organiser previews what respondents get.
 *
 * Why not survey-react-ui: survey-core alone is 1.5 MB minified, heavy for a phone on a school's
 * network; and its markup is its own, where ours follows the apps' accessibility tests. We still
 * use survey-core for what must agree with the server, the conditions (see useShownQuestions),
 * loaded only for a questionnaire that has them.
 */

export type Answers = Record<string, unknown>;

export interface FormTexts {
  required: string;
  chooseAtMost: (n: number) => string;
  charactersLeft: (n: number) => string;
}

/** A localizable string in the language, plain where asked and given; else the language's, else `default`, else Finnish. */
export function localized(text: LocalizableString | undefined, language: Language, plain = false): string {
  if (!text) return '';
  if (plain) {
    const simple = text[`${language}-x-plain`];
    if (simple) return simple;
  }
  return text[language] ?? text.default ?? text.fi ?? text.sv ?? text.en ?? '';
}

/** Whether any text has a plain-language variant in the language. */
export function hasPlain(definition: Definition, language: Language): boolean {
  return JSON.stringify(definition).includes(`"${language}-x-plain"`);
}

const isEmpty = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);
const questionsOf = (definition: Definition): Question[] => definition.pages.flatMap((p) => p.elements);

type Runner = new (expression: string) => { runValues(values: Answers): unknown };
let runnerLoad: Promise<Runner> | undefined;

/**
 * The questions the answers leave shown: each `visibleIf` run by survey-core's own ConditionRunner,
 * as the server does (src/questionnaires/answers.ts), so that the two agree on what was shown.
 * survey-core is loaded only when a questionnaire has a condition; until it is there, conditional
 * questions stay hidden.
 */
export function useShownQuestions(definition: Definition, answers: Answers): Set<string> {
  const conditional = questionsOf(definition).some((q) => q.visibleIf !== undefined);
  const [runner, setRunner] = useState<Runner | undefined>(undefined);
  useEffect(() => {
    if (!conditional || runner) return;
    runnerLoad ??= import('survey-core').then((m) => m.ConditionRunner as unknown as Runner);
    let live = true;
    void runnerLoad.then((r) => live && setRunner(() => r));
    return () => {
      live = false;
    };
  }, [conditional, runner]);
  const shown = new Set<string>();
  for (const q of questionsOf(definition)) {
    if (q.visibleIf === undefined) shown.add(q.name);
    else if (runner) {
      try {
        if (new runner(q.visibleIf).runValues(answers) === true) shown.add(q.name);
      } catch {
        // A condition that does not run hides its question, as survey-core's Model does.
      }
    }
  }
  return shown;
}

/** What to send: the shown questions' answers, none empty (the server refuses answers to hidden ones). */
export function answersToSend(answers: Answers, shown: Set<string>): Answers {
  return Object.fromEntries(Object.entries(answers).filter(([name, v]) => shown.has(name) && !isEmpty(v)));
}

/** The required shown questions left unanswered, to name before sending. */
export function missingRequired(definition: Definition, answers: Answers, shown: Set<string>): string[] {
  return questionsOf(definition)
    .filter((q) => q.isRequired && shown.has(q.name) && isEmpty(answers[q.name]))
    .map((q) => q.name);
}

const Form = styled.div`
  .q {
    border: 0;
    margin: 0 0 28px;
    padding: 0;
    min-width: 0;
  }
  .q > legend,
  .q > label {
    display: block;
    font-weight: 600;
    font-size: 18px;
    margin-bottom: 6px;
    padding: 0;
  }
  .q-required {
    font-weight: 400;
    font-size: 15px;
    color: #41403e;
  }
  .q-description,
  .q-hint {
    display: block;
    color: #41403e;
    font-size: 15px;
    margin: 0 0 8px;
  }
  .q-options {
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  .q-scale {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  .q-option {
    display: flex;
    align-items: center;
    gap: 8px;
    font-size: 16px;
    cursor: pointer;
  }
  .q-scale .q-option {
    flex-direction: column;
    gap: 2px;
    min-width: 40px;
    padding: 6px 4px;
    border: 1px solid #c8cdd0;
    border-radius: 4px;
    text-align: center;
  }
  input[type='radio'],
  input[type='checkbox'] {
    width: 22px;
    height: 22px;
    margin: 0;
    accent-color: #2a6ebb;
  }
  input:focus-visible,
  textarea:focus-visible {
    outline: 3px solid #1a99c7;
    outline-offset: 2px;
  }
  .q-ends {
    display: flex;
    justify-content: space-between;
    gap: 16px;
    font-size: 15px;
    color: #41403e;
    margin-top: 4px;
    max-width: 640px;
  }
  textarea,
  input[type='text'] {
    width: 100%;
    max-width: 640px;
    font: inherit;
    padding: 8px;
    border: 1px solid #6b7378;
    border-radius: 2px;
  }
  textarea {
    min-height: 96px;
  }
  .q-error {
    color: #b30c0c;
    font-weight: 600;
    margin: 6px 0 0;
  }
  .q--invalid textarea,
  .q--invalid input[type='text'] {
    border: 2px solid #b30c0c;
  }
  .q-page-title {
    font-size: 22px;
    margin: 8px 0 12px;
  }
`;

/**
 * The shown questions of every page, in order, as controlled inputs. `errors` are by question
 * name, already in the reader's language; `idPrefix` keeps two forms on one page apart.
 */
export function QuestionnaireForm(props: {
  definition: Definition;
  answers: Answers;
  onChange: (name: string, value: unknown) => void;
  shown: Set<string>;
  language: Language;
  plain: boolean;
  errors: Record<string, string>;
  texts: FormTexts;
  /** The heading level of page titles (the view's own heading is above them). */
  pageHeading?: 'h2' | 'h3';
}) {
  const base = useId();
  const { definition, language, plain } = props;
  const text = (t: LocalizableString | undefined) => localized(t, language, plain);
  const PageHeading = props.pageHeading ?? 'h2';
  return (
    <Form>
      {definition.pages.map((page) => {
        const questions = page.elements.filter((q) => props.shown.has(q.name));
        if (questions.length === 0) return null;
        return (
          <div key={page.name}>
            {page.title && <PageHeading className="q-page-title">{text(page.title)}</PageHeading>}
            {page.description && <p className="q-description">{text(page.description)}</p>}
            {questions.map((q) => (
              <QuestionField key={q.name} id={`${base}-${q.name}`} question={q} value={props.answers[q.name]} onChange={(v) => props.onChange(q.name, v)} error={props.errors[q.name]} text={text} texts={props.texts} />
            ))}
          </div>
        );
      })}
    </Form>
  );
}

function QuestionField({ id, question: q, value, onChange, error, text, texts }: { id: string; question: Question; value: unknown; onChange: (v: unknown) => void; error: string | undefined; text: (t: LocalizableString | undefined) => string; texts: FormTexts }) {
  const described = [q.description ? `${id}-d` : '', error ? `${id}-e` : ''].filter(Boolean).join(' ') || undefined;
  const title = (
    <>
      {text(q.title)}
      {q.isRequired && <span className="q-required"> ({texts.required})</span>}
    </>
  );
  const description = q.description && (
    <span className="q-description" id={`${id}-d`}>
      {text(q.description)}
    </span>
  );
  const errorLine = error && (
    <p className="q-error" id={`${id}-e`}>
      {error}
    </p>
  );
  const className = `q${error ? ' q--invalid' : ''}`;
  if (q.type === 'comment' || q.type === 'text') {
    const max = q.maxLength ?? (q.type === 'comment' ? 2000 : 500);
    const current = typeof value === 'string' ? value : '';
    const common = { id: `${id}-i`, value: current, maxLength: max, 'aria-describedby': described, 'aria-invalid': error ? true : undefined, 'aria-required': q.isRequired ? true : undefined } as const;
    return (
      <div className={className} data-question={q.name}>
        <label htmlFor={`${id}-i`}>{title}</label>
        {description}
        {q.type === 'comment' ? <textarea {...common} onChange={(e) => onChange(e.target.value)} /> : <input type="text" {...common} onChange={(e) => onChange(e.target.value)} />}
        {max - current.length < 50 && <span className="q-hint">{texts.charactersLeft(max - current.length)}</span>}
        {errorLine}
      </div>
    );
  }
  if (q.type === 'rating') {
    const min = q.rateMin ?? 1;
    const max = q.rateMax ?? 5;
    const steps = Array.from({ length: max - min + 1 }, (_, i) => min + i);
    const low = text(q.minRateDescription);
    const high = text(q.maxRateDescription);
    return (
      <fieldset className={className} aria-describedby={described} data-question={q.name}>
        <legend>{title}</legend>
        {description}
        <div className="q-scale">
          {steps.map((n) => (
            <label className="q-option" key={n}>
              <input type="radio" name={id} value={n} checked={value === n} onChange={() => onChange(n)} aria-label={n === min && low ? `${n} ${low}` : n === max && high ? `${n} ${high}` : undefined} />
              <span aria-hidden={(n === min && low) || (n === max && high) ? true : undefined}>{n}</span>
            </label>
          ))}
        </div>
        {(low || high) && (
          <div className="q-ends" aria-hidden="true">
            <span>
              {min} = {low}
            </span>
            <span>
              {max} = {high}
            </span>
          </div>
        )}
        {errorLine}
      </fieldset>
    );
  }
  const multiple = q.type === 'checkbox';
  const chosen = multiple ? (Array.isArray(value) ? (value as string[]) : []) : [];
  const most = q.type === 'checkbox' ? q.maxSelectedChoices : undefined;
  return (
    <fieldset className={className} aria-describedby={described} data-question={q.name}>
      <legend>{title}</legend>
      {description}
      {most !== undefined && <span className="q-hint">{texts.chooseAtMost(most)}</span>}
      <div className="q-options">
        {q.choices.map((c) => (
          <label className="q-option" key={c.value}>
            {multiple ? (
              <input
                type="checkbox"
                name={id}
                value={c.value}
                checked={chosen.includes(c.value)}
                disabled={most !== undefined && !chosen.includes(c.value) && chosen.length >= most}
                onChange={(e) => onChange(e.target.checked ? [...chosen, c.value] : chosen.filter((v) => v !== c.value))}
              />
            ) : (
              <input type="radio" name={id} value={c.value} checked={value === c.value} onChange={() => onChange(c.value)} />
            )}
            <span>{text(c.text)}</span>
          </label>
        ))}
      </div>
      {errorLine}
    </fieldset>
  );
}
