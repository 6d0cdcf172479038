import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Checkbox, InlineAlert, RadioButton, RadioButtonGroup } from 'suomifi-ui-components';
import { ApiError } from '../../shared/api.ts';
import { currentLanguage } from '../../shared/i18n.ts';
import { MeterChart, MeterTable } from '../components/MeterChart.tsx';
import { MeterSlider } from '../components/MeterSlider.tsx';
import { waitMinutes } from '../components/Problem.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { AreaMirror } from '../components/AreaMirror.tsx';
import { SharePicture, type ShareChoice } from '../components/SharePicture.tsx';
import { shareAnswers } from '../picture.ts';
import { METERS, METER_TEXTS, type Meters } from '../meters.ts';
import { my } from '../person.ts';
import { AppLink, useRouter } from '../../shared/router.tsx';
import { useSearch } from '../search.tsx';
import { addCheck, loadChecks, loadPrefs, onStorageChange, removeCheck, savePrefs, updateCheck, type Check } from '../storage.ts';
import { formatDate, formatDateTime } from '../text.ts';

function useChecks(): Check[] {
  const raw = useSyncExternalStore(onStorageChange, () => JSON.stringify(loadChecks()));
  return JSON.parse(raw) as Check[];
}

export function CheckPage({ phase }: { phase: 'answer' | 'result' }) {
  return phase === 'answer' ? <Answer /> : <Result />;
}

function Answer() {
  const { t, i18n } = useTranslation('citizen');
  const { navigate } = useRouter();
  const language = currentLanguage(i18n);
  const prefs = loadPrefs();
  const [mode, setMode] = useState<'one' | 'all'>(prefs.mode ?? 'one');
  const [plain, setPlain] = useState(prefs.plain ?? false);
  const [answers, setAnswers] = useState<Meters>({});
  const [step, setStep] = useState(0);
  const [error, setError] = useState(false);
  // Unticked until the person ticks it: nothing is shared by default.
  const [share, setShare] = useState<ShareChoice>({ share: false, municipality: prefs.municipality ?? '', ageBand: prefs.ageBand ?? '' });
  const [shareMissing, setShareMissing] = useState(false);
  const [finishing, setFinishing] = useState(false);
  const questionRef = useRef<HTMLHeadingElement>(null);
  const moved = useRef(false);
  const texts = METER_TEXTS[language];
  const explanations = plain && language === 'fi' ? METER_TEXTS.plain : texts;
  const answeredCount = METERS.filter((m) => answers[m] !== undefined).length;

  useEffect(() => {
    // Moving between questions puts focus on the new question, not on the page's top.
    if (moved.current) questionRef.current?.focus();
  }, [step]);

  const set = (meter: (typeof METERS)[number], value: number | undefined) => {
    setError(false);
    setAnswers((a) => {
      const next = { ...a };
      if (value === undefined) delete next[meter];
      else next[meter] = value;
      return next;
    });
  };
  const go = (to: number) => {
    moved.current = true;
    setStep(to);
  };
  const finish = async () => {
    if (answeredCount === 0) {
      setError(true);
      return;
    }
    if (share.share && (!share.municipality || !share.ageBand)) {
      setShareMissing(true);
      return;
    }
    const check = addCheck(answers);
    if (share.share) {
      savePrefs({ municipality: share.municipality, ageBand: share.ageBand });
      setFinishing(true);
      try {
        await shareAnswers(share.municipality, share.ageBand, answers);
        updateCheck(check.id, { shared: true });
      } catch {
        // The check is kept either way; the result page says the sharing failed.
        updateCheck(check.id, { shared: false });
      }
    }
    navigate('/check/result');
  };
  const slider = (meter: (typeof METERS)[number], ref?: React.Ref<HTMLHeadingElement>) => (
    <MeterSlider
      key={meter}
      meter={meter}
      question={texts[meter].question}
      explanation={explanations[meter].explanation}
      value={answers[meter]}
      onChange={(v) => set(meter, v)}
      {...(ref ? { headingRef: ref } : {})}
    />
  );

  // Before the button that finishes, so that the choice is seen before it is too late to make.
  const shareChoice = (
    <SharePicture
      value={share}
      missing={shareMissing}
      onChange={(next) => {
        setShareMissing(false);
        setShare(next);
      }}
    />
  );

  return (
    <div className="check">
      <PageTitle>{t('check.title')}</PageTitle>
      <p className="lead">{t('check.intro')}</p>
      {mode === 'one' ? (
        <div className="check__one">
          <p className="check__progress" aria-live="polite">
            {t('check.questionOf', { n: step + 1, total: METERS.length })} · {t('check.answered', { count: answeredCount })}
          </p>
          <progress max={METERS.length} value={step + 1} aria-hidden="true" className="check__progressbar" />
          {slider(METERS[step]!, questionRef)}
          {step === METERS.length - 1 && shareChoice}
          <div className="actions">
            {step > 0 && (
              <Button variant="secondary" onClick={() => go(step - 1)}>
                {t('check.previous')}
              </Button>
            )}
            {step < METERS.length - 1 ? (
              <>
                <Button onClick={() => go(step + 1)}>{t('check.next')}</Button>
                {answers[METERS[step]!] === undefined && (
                  <Button variant="secondaryNoBorder" onClick={() => go(step + 1)}>
                    {t('check.skip')}
                  </Button>
                )}
              </>
            ) : (
              <Button onClick={() => void finish()} disabled={finishing}>
                {t('check.finish')}
              </Button>
            )}
          </div>
        </div>
      ) : (
        <div className="check__all">
          {METERS.map((m) => slider(m))}
          <p aria-live="polite">{t('check.answered', { count: answeredCount })}</p>
          {shareChoice}
          <div className="actions">
            <Button onClick={() => void finish()} disabled={finishing}>
              {t('check.finish')}
            </Button>
          </div>
        </div>
      )}
      {/* After the question, not before it: on a phone the first question and its slider are on the first screen. */}
      <p className="privacy-note">{share.share ? t('picture.privacyShared') : t('check.privacy')}</p>
      <div className="check__options">
        <RadioButtonGroup
          labelText={t('check.mode')}
          name="mode"
          value={mode}
          onChange={(v) => {
            const m = v === 'all' ? 'all' : 'one';
            setMode(m);
            savePrefs({ mode: m });
          }}
        >
          <RadioButton value="one">{t('check.modeOne')}</RadioButton>
          <RadioButton value="all">{t('check.modeAll')}</RadioButton>
        </RadioButtonGroup>
        {language === 'fi' && (
          <Checkbox
            checked={plain}
            onClick={({ checkboxState }) => {
              setPlain(checkboxState);
              savePrefs({ plain: checkboxState });
            }}
          >
            {t('check.plain')}
          </Checkbox>
        )}
      </div>

      {error && (
        <InlineAlert status="error" className="check__error">
          {t('check.needOne')}
        </InlineAlert>
      )}
    </div>
  );
}

function Result() {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const checks = useChecks();
  const { setForm } = useSearch();
  const latest = checks.at(-1);
  const previous = checks.at(-2);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);

  if (!latest) {
    return (
      <div className="check">
        <PageTitle>{t('check.resultTitle')}</PageTitle>
        <p>{t('check.noneYet')}</p>
        <AppLink to="/check" className="button button--primary">
          {t('check.startNew')}
        </AppLink>
      </div>
    );
  }

  const saveOnServer = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      const saved = await my<{ id: string }>('/checks', { body: { taken_at: latest.taken_at, meters: latest.meters } }, { create: true });
      updateCheck(latest.id, { server_id: saved.id });
    } catch (error) {
      setSaveError(
        error instanceof ApiError
          ? error.status === 0
            ? t('app.offline')
            : error.status === 429
              ? t('app.busy', { minutes: waitMinutes(error) })
              : t('app.error', { detail: error.detail ?? error.title })
          : String(error),
      );
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="check">
      <PageTitle>{t('check.resultTitle')}</PageTitle>
      <p>
        {t('check.takenAt')}: {formatDateTime(latest.taken_at, language)}
      </p>
      <p>{t('check.resultHint')}</p>
      <MeterChart now={latest.meters} before={previous?.meters} language={language} />
      <MeterTable now={latest.meters} before={previous?.meters} language={language} />
      {latest.shared === true && <p role="status">{t('picture.shared')}</p>}
      {latest.shared === false && <InlineAlert status="warning">{t('picture.shareFailed')}</InlineAlert>}
      <div className="actions">
        <AppLink
          // The person asked for services for this situation: the search page runs it at once (?now=check).
          to="/find?now=check"
          className="button button--primary"
          onClick={() => setForm({ useCheck: true })}
        >
          {t('check.findForThis')}
        </AppLink>
        <AppLink to="/check" className="button button--secondary">
          {t('check.startNew')}
        </AppLink>
      </div>

      <AreaMirror meters={latest.meters} />

      <section className="panel" aria-labelledby="save-server">
        <h2 id="save-server">{t('check.saveServer')}</h2>
        <p>{t('check.saveServerHint')}</p>
        {latest.server_id ? (
          <p role="status">{t('check.savedServer')}</p>
        ) : (
          <Button variant="secondary" onClick={() => void saveOnServer()} disabled={saving}>
            {t('check.saveServer')}
          </Button>
        )}
        {saveError && <InlineAlert status="error">{saveError}</InlineAlert>}
      </section>

      <section aria-labelledby="history">
        <h2 id="history">{t('check.history')}</h2>
        {checks.length < 2 ? (
          <p>{t('check.historyEmpty')}</p>
        ) : (
          <>
            <p>{t('check.historyIntro')}</p>
            <History checks={checks} />
          </>
        )}
      </section>
    </div>
  );
}

function History({ checks }: { checks: Check[] }) {
  const { t, i18n } = useTranslation('citizen');
  const language = currentLanguage(i18n);
  const names = METER_TEXTS[language];
  const newestFirst = [...checks].reverse();
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="history">
      <table className="data-table data-table--compact">
        <thead>
          <tr>
            <th scope="col">{t('check.takenAt')}</th>
            {METERS.map((m) => (
              <th scope="col" key={m}>
                {names[m].name}
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">{t('check.remove')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((c, i) => {
            const older = newestFirst[i + 1];
            return (
              <tr key={c.id}>
                <th scope="row">{formatDate(c.taken_at, language)}</th>
                {METERS.map((m) => {
                  const v = c.meters[m];
                  const b = older?.meters[m];
                  const diff = v !== undefined && b !== undefined ? v - b : 0;
                  return (
                    <td key={m}>
                      {v ?? t('check.noValue')}
                      {diff !== 0 && (
                        <span className={`delta delta--${diff > 0 ? 'up' : 'down'}`}>
                          {' '}
                          <span aria-hidden="true">{diff > 0 ? '▲' : '▼'}</span>
                          <span className="visually-hidden">{diff > 0 ? t('check.changeUp', { n: diff }) : t('check.changeDown', { n: -diff })}</span>
                        </span>
                      )}
                    </td>
                  );
                })}
                <td>
                  <button type="button" className="link-button" onClick={() => removeCheck(c.id)} aria-label={t('check.removeCheck', { date: formatDateTime(c.taken_at, language) })}>
                    {t('check.remove')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
