import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { Meter } from '../meters.ts';

/**
 * One 3X10D question as a 0–10 slider. An unanswered question shows the slider in the middle but
 * says "not answered" (to screen readers too) until the person moves or presses it.
 */
export function MeterSlider({
  meter,
  question,
  explanation,
  value,
  onChange,
  headingLevel = 2,
  headingRef,
}: {
  meter: Meter;
  question: string;
  explanation: string;
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  headingLevel?: 2 | 3;
  headingRef?: React.Ref<HTMLHeadingElement>;
}) {
  const { t } = useTranslation('citizen');
  const id = useId();
  const answered = value !== undefined;
  const Heading = `h${headingLevel}` as 'h2' | 'h3';
  const set = (v: number) => onChange(Math.max(0, Math.min(10, Math.round(v))));
  return (
    <section className={`meter${answered ? '' : ' meter--unanswered'}`} aria-labelledby={`${id}-q`} data-meter={meter}>
      <Heading id={`${id}-q`} className="meter__question" tabIndex={-1} ref={headingRef}>
        {question}
      </Heading>
      <p id={`${id}-e`} className="meter__explanation">
        {explanation}
      </p>
      <div className="meter__control">
        <label htmlFor={`${id}-s`} className="visually-hidden">
          {t('check.answerLabel')}: {question}
        </label>
        <input
          id={`${id}-s`}
          type="range"
          min={0}
          max={10}
          step={1}
          value={value ?? 5}
          aria-describedby={`${id}-e ${id}-scale`}
          aria-valuetext={answered ? t('check.valueText', { value }) : t('check.notAnswered')}
          onChange={(e) => set(Number(e.target.value))}
          // A click or key on the slider's current position changes nothing but still answers.
          onPointerUp={(e) => !answered && set(Number((e.target as HTMLInputElement).value))}
          onKeyDown={(e) => {
            // Enter or Space answers with the value shown; arrows, Home and End move it as usual.
            if (!answered && (e.key === 'Enter' || e.key === ' ')) {
              e.preventDefault();
              set(5);
            }
          }}
        />
        <output htmlFor={`${id}-s`} className="meter__value" aria-hidden="true">
          {answered ? value : '–'}
        </output>
      </div>
      <div className="meter__ticks" aria-hidden="true">
        {Array.from({ length: 11 }, (_, i) => (
          <span key={i}>{i}</span>
        ))}
      </div>
      <p id={`${id}-scale`} className="meter__scale">
        <span>{t('check.scaleLow')}</span>
        <span>{t('check.scaleHigh')}</span>
      </p>
      <p className="meter__status" aria-live="polite">
        {answered ? t('check.valueText', { value }) : t('check.notAnswered')}
        {answered && (
          <button type="button" className="link-button" onClick={() => onChange(undefined)}>
            {t('check.clear')}
            <span className="visually-hidden">: {question}</span>
          </button>
        )}
      </p>
    </section>
  );
}
