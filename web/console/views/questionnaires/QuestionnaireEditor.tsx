import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Checkbox, Heading, InlineAlert, Paragraph, TextInput } from 'suomifi-ui-components';
import { ApiError, consoleApi, type Definition, type Questionnaire, type QuestionnairePreview } from '../../api.ts';
import { ErrorAlert, SuccessAlert, formatDateTime, useLanguage } from '../../components/common.tsx';
import { NativeSelect } from '../../components/NativeSelect.tsx';
import { meterName } from '../../meter-names.ts';
import { LANGUAGES, type Language } from '../../../shared/i18n.ts';
import { QuestionnaireForm, answersToSend, hasPlain, localized, missingRequired, useShownQuestions, type Answers } from '../../../shared/questionnaire-form.tsx';
import { METERS, type Meter } from '../../../../src/recommender/meter-names.ts';
import type { LocalizableString, Question } from '../../../../src/questionnaires/format.ts';
import {
  QUESTION_KINDS,
  addPage,
  addQuestion,
  draftForSaving,
  earlierQuestions,
  kindOf,
  moveQuestion,
  questionOf,
  readCondition,
  removePage,
  removeQuestion,
  replaceQuestion,
  unusedName,
  writeCondition,
  type QuestionKind,
} from '../../questionnaire-draft.ts';
import { Fieldset } from '../vouchers/VoucherProgrammeForm.tsx';

const Card = styled.fieldset`
  border: 1px solid #c8cdd0;
  border-left: 6px solid #2a6ebb;
  padding: 12px 20px 8px;
  margin: 0 0 20px;
  min-width: 0;
  > legend {
    font-weight: 600;
    font-size: 18px;
    padding: 0 6px;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0 16px;
    align-items: flex-end;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin: 8px 0;
  }
  details {
    margin: 0 0 16px;
  }
  summary {
    cursor: pointer;
    color: #2a6ebb;
    margin-bottom: 8px;
  }
  .choice {
    border-top: 1px solid #e6e9ea;
    padding-top: 8px;
    margin-top: 8px;
  }
  .problem {
    color: #b30c0c;
    font-weight: 600;
  }
`;

const Texts = styled.div`
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(220px, 1fr));
  gap: 0 16px;
`;

const Missing = styled.div`
  background: #fff1d6;
  border: 1px solid #c65c00;
  padding: 8px 16px;
  margin: 0 0 16px;
  ul {
    margin: 4px 0;
  }
`;

const PLAIN = { fi: 'fi-x-plain', sv: 'sv-x-plain', en: 'en-x-plain' } as const;

/** One text in fi, sv and en, with its plain-language variants behind "Plain language". */
function TextsFields({ label, value, onChange, size = 'normal' }: { label: string; value: LocalizableString | undefined; onChange: (v: LocalizableString) => void; size?: 'normal' | 'short' }) {
  const { t } = useTranslation('console');
  const v = value ?? {};
  const set = (key: keyof LocalizableString, text: string) => onChange({ ...v, [key]: text });
  const max = size === 'short' ? 200 : 1000;
  return (
    <>
      <Texts>
        {LANGUAGES.map((l) => (
          <TextInput key={l} lang={l} labelText={t('questionnaires.editor.textIn', { label, language: t(`vouchers.form.languages.${l}`) })} value={v[l] ?? ''} onChange={(x) => set(l, String(x ?? ''))} maxLength={max} fullWidth mb="s" />
        ))}
      </Texts>
      <details>
        <summary>{t('questionnaires.editor.plain', { label })}</summary>
        <Texts>
          {LANGUAGES.map((l) => (
            <TextInput key={l} lang={l} labelText={t('questionnaires.editor.plainIn', { label, language: t(`vouchers.form.languages.${l}`) })} value={v[PLAIN[l]] ?? ''} onChange={(x) => set(PLAIN[l], String(x ?? ''))} maxLength={max} fullWidth mb="s" />
          ))}
        </Texts>
      </details>
    </>
  );
}

/** A choice's mapping to the 3X10D meters: one row a meter, 0 to 10. */
function MeterMapping({ value, onChange, label }: { value: Partial<Record<Meter, number>> | undefined; onChange: (v: Partial<Record<Meter, number>> | undefined) => void; label: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const entries = Object.entries(value ?? {}) as [Meter, number][];
  const unused = METERS.filter((m) => value?.[m] === undefined);
  const put = (next: [Meter, number][]) => onChange(next.length > 0 ? Object.fromEntries(next) : undefined);
  return (
    <div>
      <Paragraph mb="xs">
        <b>{t('questionnaires.editor.meters')}</b> {t('questionnaires.editor.metersHint')}
      </Paragraph>
      {entries.map(([meter, n], i) => (
        <div className="row" key={meter}>
          <NativeSelect
            label={t('questionnaires.editor.meter')}
            value={meter}
            onChange={(m) => put(entries.map((e, j) => (j === i ? [m as Meter, e[1]] : e)))}
            options={[meter, ...unused].map((m) => ({ value: m, label: meterName(language, m) }))}
          />
          <NativeSelect label={t('questionnaires.editor.meterValue')} value={String(n)} onChange={(x) => put(entries.map((e, j) => (j === i ? [e[0], Number(x)] : e)))} options={Array.from({ length: 11 }, (_, k) => ({ value: String(k), label: String(k) }))} />
          <div style={{ marginBottom: 20 }}>
            <Button variant="secondaryNoBorder" onClick={() => put(entries.filter((_, j) => j !== i))} aria-label={`${t('questionnaires.editor.removeMeter')}: ${label}, ${meterName(language, meter)}`}>
              {t('questionnaires.editor.removeMeter')}
            </Button>
          </div>
        </div>
      ))}
      {unused.length > 0 && (
        <Button variant="secondary" onClick={() => put([...entries, [unused[0]!, 5]])} aria-label={`${t('questionnaires.editor.addMeter')}: ${label}`}>
          {t('questionnaires.editor.addMeter')}
        </Button>
      )}
    </div>
  );
}

/** "Show only when question X is / is not Y", or the raw SurveyJS expression under Advanced. */
function ConditionControl({ draft, question: q, onChange, number }: { draft: Definition; question: Question; onChange: (visibleIf: string | undefined) => void; number: (name: string) => number }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const earlier = earlierQuestions(draft, q.name);
  const simple = readCondition(q.visibleIf);
  const custom = q.visibleIf !== undefined && simple === null;
  const on = earlier.find((e) => e.name === simple?.question);
  const questionLabel = (e: Question) => `${t('questionnaires.editor.questionN', { n: number(e.name) })}: ${localized(e.title, language) || '…'}`;
  const valuesOf = (e: Question | undefined) =>
    e?.type === 'radiogroup' || e?.type === 'checkbox'
      ? e.choices.map((c) => ({ value: c.value, label: localized(c.text, language) || c.value }))
      : e?.type === 'rating'
        ? Array.from({ length: (e.rateMax ?? 5) - (e.rateMin ?? 1) + 1 }, (_, i) => ({ value: String((e.rateMin ?? 1) + i), label: String((e.rateMin ?? 1) + i) }))
        : [];
  const conditionable = earlier.filter((e) => e.type !== 'comment' && e.type !== 'text');
  if (earlier.length === 0 && !q.visibleIf) return null;
  return (
    <div>
      {custom ? (
        <Paragraph mb="s">{t('questionnaires.editor.customCondition')}</Paragraph>
      ) : (
        <div className="row">
          <NativeSelect
            label={t('questionnaires.editor.showWhen')}
            value={simple?.question ?? ''}
            onChange={(name) => {
              const target = earlier.find((e) => e.name === name);
              onChange(target ? writeCondition({ question: name, is: true, value: valuesOf(target)[0]?.value ?? '' }, target) : undefined);
            }}
            options={[{ value: '', label: t('questionnaires.editor.always') }, ...conditionable.map((e) => ({ value: e.name, label: questionLabel(e) }))]}
          />
          {simple && on && (
            <>
              <NativeSelect label={t('questionnaires.editor.isOrNot')} value={simple.is ? 'is' : 'not'} onChange={(v) => onChange(writeCondition({ ...simple, is: v === 'is' }, on))} options={[{ value: 'is', label: t('questionnaires.editor.is') }, { value: 'not', label: t('questionnaires.editor.isNot') }]} />
              <NativeSelect label={t('questionnaires.editor.answer')} value={simple.value} onChange={(v) => onChange(writeCondition({ ...simple, value: v }, on))} options={valuesOf(on)} />
            </>
          )}
        </div>
      )}
      <details>
        <summary>{t('questionnaires.editor.advanced')}</summary>
        <TextInput
          labelText={t('questionnaires.editor.expression')}
          hintText={t('questionnaires.editor.expressionHint')}
          value={q.visibleIf ?? ''}
          onChange={(v) => onChange(String(v ?? '').trim() ? String(v ?? '') : undefined)}
          maxLength={500}
          fullWidth
          mb="s"
        />
      </details>
    </div>
  );
}

function QuestionCard(props: { draft: Definition; question: Question; number: (name: string) => number; first: boolean; last: boolean; only: boolean; problem: boolean; onChange: (q: Question) => void; onMove: (by: -1 | 1) => void; onRemove: () => void }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const { question: q } = props;
  const n = props.number(q.name);
  const kind = kindOf(q);
  const legend = t('questionnaires.editor.questionN', { n });
  const set = (patch: Partial<Question>) => props.onChange({ ...q, ...patch } as Question);
  return (
    <Card data-question={q.name}>
      <legend>{legend}</legend>
      <div className="row">
        <NativeSelect label={t('questionnaires.editor.kind')} value={kind} onChange={(k) => props.onChange(questionOf(k as QuestionKind, q.name, q))} options={QUESTION_KINDS.map((k) => ({ value: k, label: t(`questionnaires.kinds.${k}`) }))} />
        {kind === 'meter' && q.type === 'rating' && (
          <NativeSelect label={t('questionnaires.editor.meterOfQuestion')} value={q.meter ?? 'life_satisfaction'} onChange={(m) => set({ meter: m as Meter })} options={METERS.map((m) => ({ value: m, label: meterName(language, m) }))} />
        )}
        {kind === 'scale' && q.type === 'rating' && (
          <>
            <NativeSelect label={t('questionnaires.editor.scaleFrom')} value={String(q.rateMin ?? 1)} onChange={(v) => set({ rateMin: Number(v) })} options={[0, 1].map((k) => ({ value: String(k), label: String(k) }))} />
            <NativeSelect label={t('questionnaires.editor.scaleTo')} value={String(q.rateMax ?? 5)} onChange={(v) => set({ rateMax: Number(v) })} options={[3, 4, 5, 6, 7, 10].map((k) => ({ value: String(k), label: String(k) }))} />
          </>
        )}
      </div>
      {kind === 'meter' && <Paragraph mb="s">{t('questionnaires.editor.meterQuestionHint')}</Paragraph>}
      <TextsFields label={t('questionnaires.editor.questionText')} value={q.title} onChange={(title) => set({ title })} />
      {props.problem && <p className="problem">{t('questionnaires.editor.textMissing')}</p>}
      {q.type === 'rating' && (
        <>
          <TextsFields label={t('questionnaires.editor.minText', { n: q.rateMin ?? 1 })} value={q.minRateDescription} onChange={(minRateDescription) => set({ minRateDescription })} size="short" />
          <TextsFields label={t('questionnaires.editor.maxText', { n: q.rateMax ?? 5 })} value={q.maxRateDescription} onChange={(maxRateDescription) => set({ maxRateDescription })} size="short" />
        </>
      )}
      {(q.type === 'radiogroup' || q.type === 'checkbox') && (
        <Fieldset>
          <legend>{t('questionnaires.editor.choices', { n })}</legend>
          {q.choices.map((c, i) => {
            const label = t('questionnaires.editor.choiceN', { n: i + 1 });
            const setChoice = (patch: Partial<typeof c>) => set({ choices: q.choices.map((x, j) => (j === i ? { ...x, ...patch } : x)) });
            return (
              <div className="choice" key={c.value} role="group" aria-label={`${legend}, ${label}`}>
                <Heading variant="h4" as="h4" mb="xs">
                  {label}
                </Heading>
                <TextsFields label={label} value={c.text} onChange={(text) => setChoice({ text })} size="short" />
                <MeterMapping value={c.meters} onChange={(meters) => setChoice(meters ? { meters } : { meters: undefined })} label={`${legend}, ${label}`} />
                {q.choices.length > 2 && (
                  <div className="actions">
                    <Button variant="secondaryNoBorder" onClick={() => set({ choices: q.choices.filter((_, j) => j !== i) })} aria-label={`${t('questionnaires.editor.removeChoice')}: ${legend}, ${label}`}>
                      {t('questionnaires.editor.removeChoice')}
                    </Button>
                  </div>
                )}
              </div>
            );
          })}
          {q.choices.length < 30 && (
            <div className="actions">
              <Button variant="secondary" onClick={() => set({ choices: [...q.choices, { value: unusedName(new Set(q.choices.map((c) => c.value)), 'c'), text: {} }] })} aria-label={`${t('questionnaires.editor.addChoice')}: ${legend}`}>
                {t('questionnaires.editor.addChoice')}
              </Button>
            </div>
          )}
          {q.type === 'checkbox' && (
            <NativeSelect
              label={t('questionnaires.editor.maxChoices')}
              value={String(q.maxSelectedChoices ?? '')}
              onChange={(v) => set({ maxSelectedChoices: v ? Number(v) : undefined })}
              options={[{ value: '', label: t('questionnaires.editor.anyNumber') }, ...q.choices.slice(1).map((_, i) => ({ value: String(i + 1), label: String(i + 1) }))]}
            />
          )}
        </Fieldset>
      )}
      <Checkbox checked={q.isRequired === true} onClick={({ checkboxState }) => set({ isRequired: checkboxState || undefined })}>
        {t('questionnaires.editor.required')}
      </Checkbox>
      <div style={{ height: 12 }} />
      <ConditionControl draft={props.draft} question={q} number={props.number} onChange={(visibleIf) => set({ visibleIf })} />
      <div className="actions">
        <Button variant="secondary" disabled={props.first} onClick={() => props.onMove(-1)} aria-label={`${t('questionnaires.editor.up')}: ${legend}`}>
          {t('questionnaires.editor.up')}
        </Button>
        <Button variant="secondary" disabled={props.last} onClick={() => props.onMove(1)} aria-label={`${t('questionnaires.editor.down')}: ${legend}`}>
          {t('questionnaires.editor.down')}
        </Button>
        {!props.only && (
          <Button variant="secondaryNoBorder" onClick={props.onRemove} aria-label={`${t('questionnaires.editor.remove')}: ${legend}`}>
            {t('questionnaires.editor.remove')}
          </Button>
        )}
      </div>
    </Card>
  );
}

/** What a publish blocker's path (title, q1.title, q1.c2, page1.title) is, in words. */
function useBlockerText(draft: Definition) {
  const { t } = useTranslation('console');
  const questions = draft.pages.flatMap((p) => p.elements);
  return (path: string): string => {
    const [head, part] = path.split('.');
    if (path === 'title') return t('questionnaires.blockers.title');
    if (path === 'description') return t('questionnaires.blockers.description');
    const i = questions.findIndex((q) => q.name === head);
    if (i < 0) return t('questionnaires.blockers.page', { n: draft.pages.findIndex((p) => p.name === head) + 1 });
    const q = questions[i]!;
    const n = i + 1;
    if (part === 'title') return t('questionnaires.blockers.question', { n });
    if (part === 'description' || part === 'minRateDescription' || part === 'maxRateDescription') return t('questionnaires.blockers.questionOther', { n });
    const choice = q.type === 'radiogroup' || q.type === 'checkbox' ? q.choices.findIndex((c) => c.value === part) + 1 : 0;
    return t('questionnaires.blockers.choice', { n, choice });
  };
}

/** The draft: its texts, pages and questions; saving; what keeps it from publishing; preview; publishing. */
export function QuestionnaireEditor({ memberId, questionnaire, onChanged }: { memberId: string; questionnaire: Questionnaire; onChanged: (q: Questionnaire) => void }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [draft, setDraft] = useState<Definition>(questionnaire.draft);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const blockerText = useBlockerText(questionnaire.draft);
  const change = (next: Definition) => {
    setDraft(next);
    setDirty(true);
    setSaved('');
  };
  const questions = draft.pages.flatMap((p) => p.elements);
  const number = (name: string) => questions.findIndex((q) => q.name === name) + 1;

  const save = async () => {
    const { definition, missing } = draftForSaving(draft);
    setProblems(missing);
    if (missing.length > 0) {
      setError(t('questionnaires.editor.fixTexts'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const next = await consoleApi.editQuestionnaire(memberId, questionnaire.id, definition);
      onChanged(next);
      setDirty(false);
      setSaved(t('questionnaires.editor.saved'));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 400 && e.errors.length > 0 ? `${t('questionnaires.editor.refused')} ${e.errors.map((x) => `${x.field}: ${x.message}`).join('; ')}` : e);
    } finally {
      setBusy(false);
    }
  };
  const publish = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const published = await consoleApi.publishQuestionnaire(memberId, questionnaire.id);
      onChanged(await consoleApi.questionnaire(memberId, questionnaire.id));
      setSaved(t('questionnaires.publish.done', { n: published.version }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const section = (id: string, title: string, children: ReactNode) => (
    <section aria-labelledby={id} style={{ marginBottom: 40 }}>
      <Heading variant="h2" id={id} mb="s">
        {title}
      </Heading>
      {children}
    </section>
  );

  return (
    <>
      {section(
        'draft',
        t('questionnaires.editor.title'),
        <>
          <Paragraph mb="m">{t('questionnaires.editor.intro')}</Paragraph>
          <Fieldset>
            <legend>{t('questionnaires.editor.nameLegend')}</legend>
            <TextsFields label={t('questionnaires.editor.name')} value={draft.title} onChange={(title) => change({ ...draft, title })} />
            {problems.includes('title') && <p style={{ color: '#b30c0c', fontWeight: 600 }}>{t('questionnaires.editor.textMissing')}</p>}
          </Fieldset>
          {draft.pages.map((page, p) => (
            <section key={page.name} aria-labelledby={`page-${page.name}`}>
              <Heading variant="h3" id={`page-${page.name}`} mb="s">
                {t('questionnaires.editor.pageN', { n: p + 1 })}
              </Heading>
              {page.elements.map((q, i) => (
                <QuestionCard
                  key={q.name}
                  draft={draft}
                  question={q}
                  number={number}
                  first={i === 0}
                  last={i === page.elements.length - 1}
                  only={page.elements.length === 1}
                  problem={problems.some((x) => x === q.name || x.startsWith(`${q.name}.`))}
                  onChange={(next) => change(replaceQuestion(draft, q.name, next))}
                  onMove={(by) => change(moveQuestion(draft, q.name, by))}
                  onRemove={() => change(removeQuestion(draft, q.name))}
                />
              ))}
              <AddQuestion onAdd={(kind) => change(addQuestion(draft, p, kind))} page={p + 1} />
              {draft.pages.length > 1 && (
                <Button variant="secondaryNoBorder" onClick={() => change(removePage(draft, p))} style={{ marginBottom: 16 }}>
                  {t('questionnaires.editor.removePage', { n: p + 1 })}
                </Button>
              )}
            </section>
          ))}
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, margin: '8px 0 24px' }}>
            <Button variant="secondary" onClick={() => change(addPage(draft))}>
              {t('questionnaires.editor.addPage')}
            </Button>
          </div>
          <ErrorAlert error={error} />
          <SuccessAlert>{saved}</SuccessAlert>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 16, alignItems: 'center' }}>
            <Button onClick={() => void save()} disabled={busy}>
              {t('questionnaires.editor.save')}
            </Button>
            {dirty && <span role="status">{t('questionnaires.editor.unsaved')}</span>}
          </div>
        </>,
      )}
      {section('preview', t('questionnaires.preview.title'), <Preview memberId={memberId} questionnaireId={questionnaire.id} draft={draft} dirty={dirty} />)}
      {section(
        'publish',
        t('questionnaires.publish.title'),
        <>
          <Paragraph mb="m">{t('questionnaires.publish.intro')}</Paragraph>
          {questionnaire.publish_blockers.length > 0 ? (
            <Missing role="region" aria-label={t('questionnaires.publish.missing')}>
              <b>{t('questionnaires.publish.missing')}</b>
              <ul>
                {questionnaire.publish_blockers.map((b) => (
                  <li key={b}>{blockerText(b)}</li>
                ))}
              </ul>
            </Missing>
          ) : (
            <Paragraph mb="m">{t('questionnaires.publish.ready')}</Paragraph>
          )}
          {dirty && <InlineAlert status="warning">{t('questionnaires.publish.saveFirst')}</InlineAlert>}
          <Button onClick={() => void publish()} disabled={busy || dirty || questionnaire.publish_blockers.length > 0} style={{ margin: '16px 0' }}>
            {t('questionnaires.publish.button')}
          </Button>
          {questionnaire.versions.length > 0 && (
            <ul>
              {questionnaire.versions.map((v) => (
                <li key={v.version}>{t('questionnaires.publish.version', { n: v.version, at: formatDateTime(v.published_at, language), by: v.published_by })}</li>
              ))}
            </ul>
          )}
        </>,
      )}
    </>
  );
}

function AddQuestion({ onAdd, page }: { onAdd: (kind: QuestionKind) => void; page: number }) {
  const { t } = useTranslation('console');
  const [kind, setKind] = useState<QuestionKind>('choice');
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0 16px', alignItems: 'flex-end' }}>
      <NativeSelect label={t('questionnaires.editor.newKind', { n: page })} value={kind} onChange={(k) => setKind(k as QuestionKind)} options={QUESTION_KINDS.map((k) => ({ value: k, label: t(`questionnaires.kinds.${k}`) }))} />
      <div style={{ marginBottom: 20 }}>
        <Button variant="secondary" onClick={() => onAdd(kind)}>
          {t('questionnaires.editor.addQuestion', { n: page })}
        </Button>
      </div>
    </div>
  );
}

/** The draft as respondents will see it, in each language and in plain language, and the server's check of answers tried here. */
function Preview({ memberId, questionnaireId, draft, dirty }: { memberId: string; questionnaireId: string; draft: Definition; dirty: boolean }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const [lang, setLang] = useState<Language>(language);
  const [plain, setPlain] = useState(false);
  const [answers, setAnswers] = useState<Answers>({});
  const [checked, setChecked] = useState<QuestionnairePreview | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const shown = useShownQuestions(draft, answers);
  const errors = Object.fromEntries([...(checked?.issues ?? []), ...missingRequired(draft, answers, shown).map((field) => ({ field, message: '' }))].map((i) => [i.field, t('questionnaires.preview.issue')]));
  const check = async () => {
    setError(undefined);
    try {
      setChecked(await consoleApi.previewQuestionnaire(memberId, questionnaireId, answersToSend(answers, shown)));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <>
      <Paragraph mb="m">{t('questionnaires.preview.intro')}</Paragraph>
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0 24px', alignItems: 'flex-end' }}>
        <NativeSelect label={t('questionnaires.preview.language')} value={lang} onChange={(l) => setLang(l as Language)} options={LANGUAGES.map((l) => ({ value: l, label: t(`vouchers.form.languages.${l}`) }))} />
        <div style={{ marginBottom: 20 }}>
          <Checkbox checked={plain} onClick={({ checkboxState }) => setPlain(checkboxState)} disabled={!hasPlain(draft, lang)}>
            {t('questionnaires.preview.plain')}
          </Checkbox>
        </div>
      </div>
      <div lang={lang} style={{ border: '1px dashed #6b7378', padding: '16px 20px', marginBottom: 16 }}>
        <Heading variant="h3" mb="m">
          {localized(draft.title, lang, plain)}
        </Heading>
        <QuestionnaireForm
          definition={draft}
          answers={answers}
          onChange={(name, value) => {
            setAnswers((a) => ({ ...a, [name]: value }));
            setChecked(undefined);
          }}
          shown={shown}
          language={lang}
          plain={plain}
          errors={checked ? errors : {}}
          pageHeading="h3"
          texts={{ required: t('questionnaires.preview.required'), chooseAtMost: (n) => t('questionnaires.preview.chooseAtMost', { count: n }), charactersLeft: (n) => t('questionnaires.preview.charactersLeft', { count: n }) }}
        />
      </div>
      {dirty && <Paragraph mb="s">{t('questionnaires.preview.saveToCheck')}</Paragraph>}
      <Button variant="secondary" onClick={() => void check()} disabled={dirty}>
        {t('questionnaires.preview.check')}
      </Button>
      <ErrorAlert error={error} />
      <div aria-live="polite">
        {checked && (
          <div style={{ marginTop: 16 }}>
            <Paragraph mb="s">{checked.issues.length === 0 ? t('questionnaires.preview.ok') : t('questionnaires.preview.issues', { count: checked.issues.length })}</Paragraph>
            {Object.keys(checked.meters).length > 0 && (
              <Paragraph>
                {t('questionnaires.preview.meters')}{' '}
                {Object.entries(checked.meters as Record<Meter, number>)
                  .map(([m, v]) => `${meterName(language, m as Meter)} ${v}`)
                  .join(', ')}
              </Paragraph>
            )}
          </div>
        )}
      </div>
    </>
  );
}
