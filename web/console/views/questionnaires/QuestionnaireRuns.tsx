import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Checkbox, Details, Heading, Paragraph, RadioButton, RadioButtonGroup, Table, TextInput } from 'suomifi-ui-components';
import { consoleApi, type Questionnaire, type QuestionnaireRun, type RunResults, type StartedRun } from '../../api.ts';
import { ErrorAlert, LoadState, formatDateTime, formatNumber, useLanguage } from '../../components/common.tsx';
import { BarChart } from '../../components/BarChart.tsx';
import { NativeSelect } from '../../components/NativeSelect.tsx';
import { StateCard } from '../../components/StateCard.tsx';
import { meterName } from '../../meter-names.ts';
import { useLoad } from '../../../shared/load.ts';
import { localized } from '../../../shared/questionnaire-form.tsx';
import { dateText, parseDate } from '../../voucher-fields.ts';
import type { Meter } from '../../../../src/recommender/meter-names.ts';
import type { Definition } from '../../../../src/questionnaires/format.ts';
import { Fieldset } from '../vouchers/VoucherProgrammeForm.tsx';

const Card = styled(StateCard)`
  &.open {
    border-left-color: #2a6ebb;
  }
  &.closed {
    border-left-color: #c8cdd0;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
    margin-bottom: 12px;
  }
`;

const Once = styled.div`
  border: 2px solid #1a7a4c;
  background: #eaf6ef;
  padding: 12px 20px;
  margin: 0 0 24px;
  .big {
    font-size: 28px;
    font-weight: 700;
    letter-spacing: 2px;
    font-family: monospace;
  }
  .address {
    font-size: 18px;
    overflow-wrap: anywhere;
    font-family: monospace;
  }
`;

/** Where respondents answer a run (the citizen app's page); a link run's key goes in the fragment, which browsers never send to a server. */
export const runAddress = (runId: string, key?: string) => `${window.location.origin}/q/${runId}${key ? `#key=${key}` : ''}`;

/** A PIN a class can be told: six digits, never starting with 0 (read aloud, a leading zero gets lost). */
const suggestedPin = () => String(100000 + (crypto.getRandomValues(new Uint32Array(1))[0]! % 900000));

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Starting a run of a version, its link or PIN shown once, the runs with their counts, closing, results. */
export function QuestionnaireRuns({ memberId, questionnaire }: { memberId: string; questionnaire: Questionnaire }) {
  const { t } = useTranslation('console');
  const runs = useLoad((signal) => consoleApi.questionnaireRuns(memberId, questionnaire.id, { signal }), [memberId, questionnaire.id]);
  const [started, setStarted] = useState<{ run: StartedRun; pin?: string } | undefined>(undefined);
  const [another, setAnother] = useState(false);
  const latest = questionnaire.versions.at(-1)?.version;
  return (
    <section aria-labelledby="runs" style={{ marginBottom: 40 }}>
      <Heading variant="h2" id="runs" mb="s">
        {t('questionnaires.runs.title')}
      </Heading>
      <Paragraph mb="m">{t('questionnaires.runs.intro')}</Paragraph>
      {started && <StartedNotice started={started} />}
      {latest === undefined ? (
        <Paragraph mb="m">{t('questionnaires.runs.publishFirst')}</Paragraph>
      ) : started && !another ? (
        // The form would show a new suggested PIN right under the one just given: one PIN on the screen at a time.
        <Button variant="secondary" onClick={() => setAnother(true)} style={{ marginBottom: 24 }}>
          {t('questionnaires.runs.startAnother')}
        </Button>
      ) : (
        <StartRun
          memberId={memberId}
          questionnaire={questionnaire}
          onStarted={(run, pin) => {
            setStarted({ run, ...(pin ? { pin } : {}) });
            setAnother(false);
            runs.reload();
          }}
        />
      )}
      <LoadState loaded={runs}>
        {({ runs: list }) =>
          list.length === 0 ? (
            <Paragraph>{t('questionnaires.runs.none')}</Paragraph>
          ) : (
            <>
              {list.map((run) => (
                <RunCard key={run.id} memberId={memberId} questionnaire={questionnaire} run={run} onClosed={runs.reload} />
              ))}
            </>
          )
        }
      </LoadState>
    </section>
  );
}

function StartedNotice({ started }: { started: { run: StartedRun; pin?: string } }) {
  const { t } = useTranslation('console');
  const { run, pin } = started;
  return (
    <Once role="region" aria-label={t('questionnaires.runs.startedTitle')} tabIndex={-1} ref={(el) => el?.focus()}>
      <Heading variant="h3" mb="s">
        {t('questionnaires.runs.startedTitle')}
      </Heading>
      <Paragraph mb="s">{t(`questionnaires.runs.tell.${run.access}`)}</Paragraph>
      {pin && run.code ? (
        <>
          <ol>
            <li>
              {t('questionnaires.runs.goTo')} <span className="address">{`${window.location.origin}/q`}</span>
            </li>
            <li>
              {t('questionnaires.runs.codeIs')} <span className="big" data-testid="run-code">{run.code}</span>
            </li>
            <li>
              {t('questionnaires.runs.pinIs')} <span className="big" data-testid="run-pin">{pin}</span>
            </li>
          </ol>
          <Paragraph mb="s">{t('questionnaires.runs.direct')}</Paragraph>
          <p className="address" data-testid="run-address">
            {runAddress(run.id)}
          </p>
        </>
      ) : (
        <>
          <p className="address" data-testid="run-address">
            {runAddress(run.id, run.link_key)}
          </p>
          {pin && (
            <p>
              {t('questionnaires.runs.pinIs')} <span className="big" data-testid="run-pin">{pin}</span>
            </p>
          )}
        </>
      )}
      {(run.link_key || pin) && <Paragraph>{t('questionnaires.runs.onlyOnce')}</Paragraph>}
    </Once>
  );
}

function StartRun({ memberId, questionnaire, onStarted }: { memberId: string; questionnaire: Questionnaire; onStarted: (run: StartedRun, pin?: string) => void }) {
  const { t } = useTranslation('console');
  const versions = questionnaire.versions.map((v) => v.version);
  const [version, setVersion] = useState(String(versions.at(-1)));
  const [name, setName] = useState('');
  const [access, setAccess] = useState<'open' | 'link' | 'pin'>('pin');
  const [pin, setPin] = useState(suggestedPin);
  const [opens, setOpens] = useState(dateText(today()));
  const [closes, setCloses] = useState(dateText(inDays(7)));
  const [profileSaving, setProfileSaving] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<'name' | 'pin' | 'opens' | 'closes', string>>>({});
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const start = async () => {
    const wrong: typeof errors = {};
    if (!name.trim()) wrong.name = t('questionnaires.runs.nameMissing');
    if (access === 'pin' && !/^[A-Za-z0-9]{6,20}$/.test(pin)) wrong.pin = t('questionnaires.runs.pinInvalid');
    const from = parseDate(opens);
    const until = parseDate(closes);
    if (!from) wrong.opens = t('vouchers.form.invalid.date');
    if (!until) wrong.closes = t('vouchers.form.invalid.date');
    else if (from && until < from) wrong.closes = t('vouchers.form.invalid.order');
    setErrors(wrong);
    if (Object.keys(wrong).length > 0) return;
    // Today opens now; another day at its start, and the last day to its end, in the organiser's own time zone.
    const opensAt = from === today() ? new Date() : new Date(`${from}T00:00:00`);
    const closesAt = new Date(`${until}T23:59:59`);
    setBusy(true);
    setError(undefined);
    try {
      const run = await consoleApi.startRun(memberId, questionnaire.id, {
        version: Number(version),
        name: name.trim(),
        access,
        ...(access === 'pin' ? { pin } : {}),
        opens_at: opensAt.toISOString(),
        closes_at: closesAt.toISOString(),
        profile_saving: profileSaving,
      });
      onStarted(run, access === 'pin' ? pin : undefined);
      setName('');
      setPin(suggestedPin());
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const status = (e: string | undefined) => (e ? { status: 'error' as const, statusText: e } : {});
  return (
    <Fieldset>
      <legend>{t('questionnaires.runs.start')}</legend>
      <div className="row">
        <NativeSelect label={t('questionnaires.runs.version')} value={version} onChange={setVersion} options={versions.map((v) => ({ value: String(v), label: t('questionnaires.versionN', { n: v }) }))} />
        <TextInput labelText={t('questionnaires.runs.name')} hintText={t('questionnaires.runs.nameHint')} value={name} onChange={(v) => setName(String(v ?? ''))} maxLength={200} {...status(errors.name)} mb="m" />
      </div>
      <RadioButtonGroup labelText={t('questionnaires.runs.access')} name="run-access" value={access} onChange={(v) => setAccess(v as typeof access)}>
        <RadioButton value="pin" hintText={t('questionnaires.runs.accessHint.pin')}>
          {t('questionnaires.runs.accessKind.pin')}
        </RadioButton>
        <RadioButton value="link" hintText={t('questionnaires.runs.accessHint.link')}>
          {t('questionnaires.runs.accessKind.link')}
        </RadioButton>
        <RadioButton value="open" hintText={t('questionnaires.runs.accessHint.open')}>
          {t('questionnaires.runs.accessKind.open')}
        </RadioButton>
      </RadioButtonGroup>
      <div style={{ height: 16 }} />
      {access === 'pin' && <TextInput labelText={t('questionnaires.runs.pin')} hintText={t('questionnaires.runs.pinHint')} value={pin} onChange={(v) => setPin(String(v ?? '').trim())} maxLength={20} {...status(errors.pin)} mb="m" />}
      <div className="row">
        <TextInput labelText={t('questionnaires.runs.opens')} hintText={t('vouchers.form.dateHint')} value={opens} onChange={(v) => setOpens(String(v ?? ''))} {...status(errors.opens)} mb="m" />
        <TextInput labelText={t('questionnaires.runs.closes')} hintText={t('vouchers.form.dateHint')} value={closes} onChange={(v) => setCloses(String(v ?? ''))} {...status(errors.closes)} mb="m" />
      </div>
      <Checkbox checked={profileSaving} onClick={({ checkboxState }) => setProfileSaving(checkboxState)} hintText={t('questionnaires.runs.profileSavingHint')}>
        {t('questionnaires.runs.profileSaving')}
      </Checkbox>
      <div style={{ height: 16 }} />
      <ErrorAlert error={error} />
      <Button onClick={() => void start()} disabled={busy} style={{ marginBottom: 16 }}>
        {t('questionnaires.runs.startButton')}
      </Button>
    </Fieldset>
  );
}

function RunCard({ memberId, questionnaire, run, onClosed }: { memberId: string; questionnaire: Questionnaire; run: QuestionnaireRun; onClosed: () => void }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const open = new Date(run.closes_at) > new Date();
  const [showResults, setShowResults] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const headingId = `run-${run.id}`;
  const close = async () => {
    setError(undefined);
    try {
      await consoleApi.closeRun(memberId, questionnaire.id, run.id);
      onClosed();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Card className={open ? 'open' : 'closed'} aria-labelledby={headingId} data-testid="questionnaire-run">
      <Heading variant="h3" as="h3" id={headingId} mb="xs">
        {run.name}
      </Heading>
      <dl>
        <dt>{t('questionnaires.runs.state')}</dt>
        <dd>{open ? t('questionnaires.runs.openUntil', { at: formatDateTime(run.closes_at, language) }) : t('questionnaires.runs.closedAt', { at: formatDateTime(run.closes_at, language) })}</dd>
        <dt>{t('questionnaires.runs.access')}</dt>
        <dd>{t(`questionnaires.runs.accessKind.${run.access}`)}</dd>
        {run.access !== 'link' && (
          <>
            <dt>{t('questionnaires.runs.address')}</dt>
            <dd>{runAddress(run.id)}</dd>
          </>
        )}
        {run.code && (
          <>
            <dt>{t('questionnaires.runs.code')}</dt>
            <dd>{t('questionnaires.runs.codeAt', { code: run.code, address: `${window.location.origin}/q` })}</dd>
          </>
        )}
        <dt>{t('questionnaires.runs.version')}</dt>
        <dd>{t('questionnaires.versionN', { n: run.version })}</dd>
        <dt>{t('questionnaires.runs.answered')}</dt>
        <dd data-testid="run-responses">{formatNumber(run.responses, language)}</dd>
      </dl>
      <ErrorAlert error={error} />
      <div className="actions">
        <Button variant="secondary" onClick={() => setShowResults((s) => !s)} aria-expanded={showResults} aria-label={`${showResults ? t('questionnaires.results.hide') : t('questionnaires.results.show')}: ${run.name}`}>
          {showResults ? t('questionnaires.results.hide') : t('questionnaires.results.show')}
        </Button>
        {open && (
          <Button variant="secondaryNoBorder" onClick={() => void close()} aria-label={`${t('questionnaires.runs.close')}: ${run.name}`}>
            {t('questionnaires.runs.close')}
          </Button>
        )}
      </div>
      {showResults && <Results memberId={memberId} questionnaire={questionnaire} run={run} />}
    </Card>
  );
}

function Results({ memberId, questionnaire, run }: { memberId: string; questionnaire: Questionnaire; run: QuestionnaireRun }) {
  // The answers are labelled with the texts of the version that was run, not of today's draft.
  const loaded = useLoad(
    async (signal) => {
      const [results, version] = await Promise.all([consoleApi.runResults(memberId, questionnaire.id, run.id, { signal }), consoleApi.questionnaireVersion(memberId, questionnaire.id, run.version, { signal })]);
      return { results, definition: version.definition };
    },
    [memberId, questionnaire.id, run.id],
  );
  return <LoadState loaded={loaded}>{({ results, definition }) => <ResultsView results={results} definition={definition} runName={run.name} />}</LoadState>;
}

/** A run's release: the meters' noised means as a chart and a table, each question's noised counts; never free text. */
function ResultsView({ results, definition, runName }: { results: RunResults; definition: Definition; runName: string }) {
    const { t } = useTranslation('console');
    const language = useLanguage();
    if (results.status !== 'released')
      return results.status === 'not-yet' ? (
        <Paragraph role="status" data-testid="results-not-yet">
          {t('questionnaires.results.notYet', { n: results.responses, threshold: results.threshold })}
        </Paragraph>
      ) : (
        <Paragraph role="status">{t('questionnaires.results.noBudget')}</Paragraph>
      );
    const { figures, privacy } = results;
    const questions = definition.pages.flatMap((p) => p.elements);
    const means = figures.meters.filter((m) => m.mean !== null);
    const description = means.map((m) => `${meterName(language, m.meter as Meter)} ${formatNumber(m.mean!, language, 1)}`).join(', ');
    return (
      <div data-testid="results">
        <Paragraph mb="s">{t('questionnaires.results.released', { n: results.release, at: formatDateTime(results.released_at, language), respondents: Math.max(figures.respondents, results.threshold ?? 10) })}</Paragraph>
        <Paragraph mb="m">{t('questionnaires.results.noise', { epsilon: formatNumber(privacy.epsilon, language, 1), spent: formatNumber(privacy.epsilon_spent, language, 1), cap: formatNumber(privacy.epsilon_cap, language, 1), scale: formatNumber(figures.noise_scale, language, 1) })}</Paragraph>
        {means.length > 0 && (
          <>
            <BarChart
              caption={t('questionnaires.results.metersCaption', { name: runName })}
              subcaption={t('questionnaires.results.metersSub')}
              description={description}
              bars={means.map((m) => ({ label: meterName(language, m.meter as Meter).slice(0, 12), value: Math.round(m.mean! * 10) / 10, title: `${meterName(language, m.meter as Meter)}: ${formatNumber(m.mean!, language, 1)}` }))}
              hiddenLabel={t('statistics.hidden')}
              labelEvery={1}
            />
            <Table
              caption={t('questionnaires.results.metersTable')}
              condensed
              columns={[
                { key: 'meter', labelText: t('statistics.meter') },
                { key: 'mean', labelText: t('statistics.meanColumn'), textAlign: 'right' as const },
              ]}
              data={means.map((m) => ({ id: m.meter, meter: meterName(language, m.meter as Meter), mean: formatNumber(m.mean!, language, 1) }))}
            />
          </>
        )}
        <Details summaryLabel={t('questionnaires.results.answers')} mb="m">
          {figures.questions.map((fq) => {
            const q = questions.find((x) => x.name === fq.name);
            const label = (value: string) => (q && (q.type === 'radiogroup' || q.type === 'checkbox') ? localized(q.choices.find((c) => c.value === value)?.text, language) || value : value);
            return (
              <Table
                key={fq.name}
                caption={localized(q?.title, language) || fq.name}
                condensed
                columns={[
                  { key: 'answer', labelText: t('questionnaires.results.answer') },
                  { key: 'count', labelText: t('questionnaires.results.count'), textAlign: 'right' as const },
                ]}
                data={Object.entries(fq.counts).map(([value, count]) => ({ id: value, answer: label(value), count: formatNumber(count, language) }))}
              />
            );
          })}
          <Paragraph>{t('questionnaires.results.freeText')}</Paragraph>
        </Details>
      </div>
    );
  }
