import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Checkbox, InlineAlert, TextInput } from 'suomifi-ui-components';
import { ApiError, api } from '../../shared/api.ts';
import { currentLanguage } from '../../shared/i18n.ts';
import { AppLink, useRouter } from '../../shared/router.tsx';
import { QuestionnaireForm, answersToSend, hasPlain, localized, missingRequired, useShownQuestions, type Answers } from '../../shared/questionnaire-form.tsx';
import { MeterChart, MeterTable } from '../components/MeterChart.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { waitMinutes } from '../components/Problem.tsx';
import { METERS, type Meters } from '../meters.ts';
import { useSearch } from '../search.tsx';
import { addCheck, ensurePersonKey, loadPrefs, savePrefs } from '../storage.ts';
import { SharePicture, type ShareChoice } from '../components/SharePicture.tsx';
import type { Definition } from '../../../src/questionnaires/format.ts';

interface Form {
  run_id: string;
  version: number;
  definition: Definition;
  closes_at: string;
  profile_saving: boolean;
}
type Picture = { status: 'not-yet' | 'no-budget'; responses: number; threshold: number } | { status: 'released'; figures: { respondents: number; meters: { meter: string; mean: number | null }[] } };

/** The run's key from the link's fragment (#key=…): a fragment never reaches a server's logs. */
const keyFromLink = () => new URLSearchParams(window.location.hash.slice(1)).get('key') ?? undefined;

/**
 * Answering a questionnaire run: reached by its link (a link run's key in the fragment) or its
 * address and the PIN the organiser told; anonymous, in the app's language and plain language where
 * the questionnaire has it; afterwards the person's own 3X10D picture beside the group's, and the
 * way to services for it, as after a life-situation check.
 */
export default function QuestionnairePage({ runId }: { runId: string }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const [credentials, setCredentials] = useState<{ key?: string; pin?: string }>(() => {
    const key = keyFromLink();
    return key ? { key } : {};
  });
  const [form, setForm] = useState<Form | undefined>(undefined);
  const [state, setState] = useState<'loading' | 'pin' | 'answer' | 'done' | 'gone' | 'closed' | 'error'>('loading');
  const [problem, setProblem] = useState('');
  const [meters, setMeters] = useState<Meters>({});

  const problemText = (error: unknown) =>
    error instanceof ApiError ? (error.status === 0 ? t('app.offline') : error.status === 429 ? t('app.busy', { minutes: waitMinutes(error) }) : t('app.error', { detail: error.detail ?? error.title })) : String(error);

  const open = async (with_: { key?: string; pin?: string }) => {
    try {
      const loaded = await api<Form>(`/api/v1/questionnaire-runs/${encodeURIComponent(runId)}/form`, { method: 'POST', body: with_ });
      setCredentials(with_);
      setForm(loaded);
      setState('answer');
      return undefined;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setState('pin');
      else if (error instanceof ApiError && error.status === 403) return t('questionnaire.wrongPin');
      else if (error instanceof ApiError && error.status === 404) setState('gone');
      else if (error instanceof ApiError && error.status === 409) setState('closed');
      else if (error instanceof ApiError && error.status === 429) return problemText(error);
      else {
        setProblem(problemText(error));
        setState('error');
      }
      return undefined;
    }
  };
  useEffect(() => {
    void open(credentials);
    // Once per run: the PIN form opens it again with the PIN.
  }, [runId]);

  if (state === 'loading') return <p role="status">{t('app.loading')}</p>;
  if (state === 'gone' || state === 'closed' || state === 'error')
    return (
      <>
        <PageTitle>{t('questionnaire.title')}</PageTitle>
        <p>{state === 'gone' ? t('questionnaire.gone') : state === 'closed' ? t('questionnaire.closed') : problem}</p>
        <p>
          <AppLink to="/">{t('app.nav.home')}</AppLink>
        </p>
      </>
    );
  if (state === 'pin') return <PinForm onPin={(pin) => open({ pin })} />;
  if (state === 'done' && form) return <Done runId={runId} credentials={credentials} meters={meters} definition={form.definition} />;
  return form ? (
    <Answering
      runId={runId}
      form={form}
      credentials={credentials}
      onDone={(m) => {
        setMeters(m);
        setState('done');
        window.scrollTo(0, 0);
      }}
    />
  ) : null;
}

/**
 * /q: where a class types the short code the organiser wrote on the board; it leads to the run's
 * own page, which asks for the PIN.
 */
export function FindQuestionnairePage() {
  const { t } = useTranslation('citizen');
  const { navigate } = useRouter();
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const typed = code.replace(/[\s-]/g, '');
    if (!/^[A-Za-z0-9]{4,20}$/.test(typed)) {
      setError(t('questionnaire.codeFormat'));
      return;
    }
    setBusy(true);
    try {
      const found = await api<{ run_id: string }>('/api/v1/questionnaire-runs/find', { method: 'POST', body: { code: typed } });
      navigate(`/q/${found.run_id}`);
    } catch (error) {
      setError(
        error instanceof ApiError && error.status === 404
          ? t('questionnaire.codeUnknown')
          : error instanceof ApiError && error.status === 429
            ? t('app.busy', { minutes: waitMinutes(error) })
            : error instanceof ApiError && error.status === 0
              ? t('app.offline')
              : t('app.error', { detail: error instanceof ApiError ? (error.detail ?? error.title) : String(error) }),
      );
      setBusy(false);
    }
  };
  return (
    <div className="questionnaire">
      <PageTitle>{t('questionnaire.codeTitle')}</PageTitle>
      <p>{t('questionnaire.codeIntro')}</p>
      <form onSubmit={submit} noValidate>
        <TextInput
          labelText={t('questionnaire.code')}
          hintText={t('questionnaire.codeHint')}
          value={code}
          onChange={(v) => {
            setCode(String(v ?? ''));
            setError('');
          }}
          autoComplete="off"
          autoCapitalize="characters"
          maxLength={20}
          status={error ? 'error' : 'default'}
          statusText={error || undefined}
        />
        <div className="actions">
          <Button type="submit" disabled={busy}>
            {t('questionnaire.codeButton')}
          </Button>
        </div>
      </form>
      <p className="privacy-note">{t('questionnaire.anonymous')}</p>
    </div>
  );
}

function PinForm({ onPin }: { onPin: (pin: string) => Promise<string | undefined> }) {
  const { t } = useTranslation('citizen');
  const [pin, setPin] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!/^[A-Za-z0-9]{6,20}$/.test(pin.trim())) {
      setError(t('questionnaire.pinFormat'));
      return;
    }
    setBusy(true);
    setError((await onPin(pin.trim())) ?? '');
    setBusy(false);
  };
  return (
    <div className="questionnaire">
      <PageTitle>{t('questionnaire.pinTitle')}</PageTitle>
      <p>{t('questionnaire.pinIntro')}</p>
      <form onSubmit={submit} noValidate>
        <TextInput
          labelText={t('questionnaire.pin')}
          hintText={t('questionnaire.pinHint')}
          value={pin}
          onChange={(v) => {
            setPin(String(v ?? ''));
            setError('');
          }}
          autoComplete="off"
          maxLength={20}
          status={error ? 'error' : 'default'}
          statusText={error || undefined}
        />
        <div className="actions">
          <Button type="submit" disabled={busy}>
            {t('questionnaire.pinButton')}
          </Button>
        </div>
      </form>
      <p className="privacy-note">{t('questionnaire.anonymous')}</p>
    </div>
  );
}

function Answering({ runId, form, credentials, onDone }: { runId: string; form: Form; credentials: { key?: string; pin?: string }; onDone: (meters: Meters) => void }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const { definition } = form;
  const [plain, setPlain] = useState(loadPrefs().plain ?? false);
  const [answers, setAnswers] = useState<Answers>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [save, setSave] = useState(false);
  // Unticked until the person ticks it, as on the check: nothing goes to the area's picture by default.
  const [share, setShare] = useState<ShareChoice>(() => ({ share: false, municipality: loadPrefs().municipality ?? '', ageBand: loadPrefs().ageBand ?? '' }));
  const [shareMissing, setShareMissing] = useState(false);
  const givesMeters = definition.pages.some((p) => p.elements.some((q) => ('meter' in q && q.meter) || ('choices' in q && (q.choices ?? []).some((c) => typeof c === 'object' && c !== null && 'meters' in c && c.meters))));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');
  const summary = useRef<HTMLDivElement>(null);
  const shown = useShownQuestions(definition, answers);
  const plainThere = hasPlain(definition, language);
  const questions = definition.pages.flatMap((p) => p.elements);
  const titleOf = (name: string) => localized(questions.find((q) => q.name === name)?.title, language, plain && plainThere);

  const showErrors = (wrong: Record<string, string>) => {
    setErrors(wrong);
    // The summary takes the focus and names each question at fault, each a link to it.
    requestAnimationFrame(() => summary.current?.focus());
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem('');
    const missing = missingRequired(definition, answers, shown);
    if (missing.length > 0) {
      showErrors(Object.fromEntries(missing.map((name) => [name, t('questionnaire.required')])));
      return;
    }
    if (share.share && (!share.municipality || !share.ageBand)) {
      setShareMissing(true);
      return;
    }
    if (share.share) savePrefs({ municipality: share.municipality, ageBand: share.ageBand });
    setBusy(true);
    try {
      const answer = await api<{ meters: Meters }>(`/api/v1/questionnaire-runs/${encodeURIComponent(runId)}/responses`, {
        method: 'POST',
        body: {
          ...credentials,
          answers: answersToSend(answers, shown),
          ...(save ? { save_to_profile: true } : {}),
          ...(share.share ? { share_for_picture: { municipality: share.municipality, age_band: share.ageBand } } : {}),
        },
        ...(save ? { headers: { authorization: `Bearer ${ensurePersonKey()}` } } : {}),
      });
      onDone(answer.meters);
    } catch (error) {
      if (error instanceof ApiError && error.status === 400 && error.errors.length > 0) showErrors(Object.fromEntries(error.errors.map((e) => [e.field, t('questionnaire.invalid')])));
      else if (error instanceof ApiError && error.status === 409) setProblem(t('questionnaire.closed'));
      else setProblem(error instanceof ApiError ? (error.status === 0 ? t('app.offline') : error.status === 429 ? t('app.busy', { minutes: waitMinutes(error) }) : t('app.error', { detail: error.detail ?? error.title })) : String(error));
    } finally {
      setBusy(false);
    }
  };
  const errorNames = Object.keys(errors).filter((name) => shown.has(name));
  return (
    <div className="questionnaire">
      <PageTitle>{localized(definition.title, language, plain && plainThere)}</PageTitle>
      {definition.description && <p className="lead">{localized(definition.description, language, plain && plainThere)}</p>}
      <p className="privacy-note">{t('questionnaire.anonymous')}</p>
      {plainThere && (
        <Checkbox
          checked={plain}
          onClick={({ checkboxState }) => {
            setPlain(checkboxState);
            savePrefs({ plain: checkboxState });
          }}
        >
          {t('questionnaire.plain')}
        </Checkbox>
      )}
      <form onSubmit={submit} noValidate lang={language}>
        {errorNames.length > 0 && (
          <div className="error-summary" role="alert" tabIndex={-1} ref={summary}>
            <h2>{t('questionnaire.fix', { count: errorNames.length })}</h2>
            <ul>
              {errorNames.map((name) => (
                <li key={name}>
                  <a href={`#q-${name}`} onClick={(e) => {
                    e.preventDefault();
                    const target = document.querySelector<HTMLElement>(`[data-question="${name}"] input, [data-question="${name}"] textarea`);
                    target?.focus();
                  }}>
                    {titleOf(name)}: {errors[name]}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        )}
        <QuestionnaireForm
          definition={definition}
          answers={answers}
          onChange={(name, value) => {
            setAnswers((a) => ({ ...a, [name]: value }));
            setErrors((e) => {
              if (!(name in e)) return e;
              const { [name]: _gone, ...rest } = e;
              return rest;
            });
          }}
          shown={shown}
          language={language}
          plain={plain && plainThere}
          errors={errors}
          texts={{ required: t('questionnaire.requiredMark'), chooseAtMost: (n) => t('questionnaire.chooseAtMost', { count: n }), charactersLeft: (n) => t('questionnaire.charactersLeft', { count: n }) }}
        />
        {form.profile_saving && (
          <div className="panel">
            <Checkbox checked={save} onClick={({ checkboxState }) => setSave(checkboxState)} hintText={t('questionnaire.saveHint')}>
              {t('questionnaire.save')}
            </Checkbox>
          </div>
        )}
        {givesMeters && (
          <SharePicture
            value={share}
            missing={shareMissing}
            hint={t('questionnaire.shareHint')}
            onChange={(next) => {
              setShareMissing(false);
              setShare(next);
            }}
          />
        )}
        {problem && <InlineAlert status="error">{problem}</InlineAlert>}
        <div className="actions">
          <Button type="submit" disabled={busy}>
            {t('questionnaire.send')}
          </Button>
        </div>
      </form>
    </div>
  );
}

/**
 * The noised count as said: a release is made only once at least `threshold` have answered, so a
 * noisy figure below that ("about 0") would only mislead; clamping is post-processing of the
 * released figure, which costs no privacy.
 */
const shownRespondents = (noisy: number, threshold: number) => Math.max(noisy, threshold);
/** The network's rule (src/questionnaires/limits.ts): a group's figures show from 10 answers. */
const GROUP_THRESHOLD = 10;

function Done({ runId, credentials, meters, definition }: { runId: string; credentials: { key?: string; pin?: string }; meters: Meters; definition: Definition }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const { navigate } = useRouter();
  const { setForm } = useSearch();
  const [picture, setPicture] = useState<Picture | undefined>(undefined);
  useEffect(() => {
    api<Picture>(`/api/v1/questionnaire-runs/${encodeURIComponent(runId)}/picture`, { method: 'POST', body: credentials }).then(setPicture, () => setPicture(undefined));
  }, [runId]);
  const group: Meters | undefined =
    picture?.status === 'released'
      ? Object.fromEntries(picture.figures.meters.filter((m) => m.mean !== null && (METERS as readonly string[]).includes(m.meter)).map((m) => [m.meter, Math.round(m.mean! * 10) / 10]))
      : undefined;
  const mine = Object.keys(meters).length > 0;
  // Only the areas this questionnaire asked about: the other seven "not answered" would read as questions skipped.
  const rows = METERS.filter((m) => meters[m] !== undefined);
  const findServices = () => {
    addCheck(meters);
    setForm({ useCheck: true });
    navigate('/find?now=check');
  };
  return (
    <div className="questionnaire">
      <PageTitle>{t('questionnaire.thanks')}</PageTitle>
      <p className="lead">{t('questionnaire.thanksText', { title: localized(definition.title, language) })}</p>
      {mine ? (
        <>
          <h2>{t('questionnaire.mineTitle')}</h2>
          <p>{group ? t('questionnaire.mineWithGroup') : t('questionnaire.mineText')}</p>
          <MeterChart now={meters} before={group} language={language} rows={rows} description={group ? t('questionnaire.chartDesc') : t('questionnaire.chartDescMine')} />
          <MeterTable now={meters} before={group} language={language} rows={rows} nowLabel={t('questionnaire.colMine')} beforeLabel={t('questionnaire.colGroup')} />
        </>
      ) : (
        <p>{t('questionnaire.noMeters')}</p>
      )}
      <section className="panel" aria-labelledby="group-picture">
        <h2 id="group-picture">{t('questionnaire.groupTitle')}</h2>
        {picture === undefined ? (
          <p role="status">{t('app.loading')}</p>
        ) : picture.status === 'released' ? (
          <p>{t('questionnaire.groupShown', { n: shownRespondents(picture.figures.respondents, GROUP_THRESHOLD) })}</p>
        ) : picture.status === 'not-yet' ? (
          <p>{t('questionnaire.groupNotYet', { n: picture.responses, threshold: picture.threshold })}</p>
        ) : (
          <p>{t('questionnaire.groupNone')}</p>
        )}
      </section>
      {mine && (
        <section aria-labelledby="services-for-me">
          <h2 id="services-for-me">{t('questionnaire.servicesTitle')}</h2>
          <p>{t('questionnaire.servicesText')}</p>
          <div className="actions">
            <Button onClick={findServices}>{t('questionnaire.servicesButton')}</Button>
          </div>
        </section>
      )}
    </div>
  );
}
