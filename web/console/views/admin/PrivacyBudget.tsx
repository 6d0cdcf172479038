import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Heading, Paragraph, TextInput } from 'suomifi-ui-components';
import { consoleApi } from '../../api.ts';
import { ErrorAlert, LoadState, SuccessAlert, useLanguage } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';

/** The server's upper bound (MAX_EPSILON_CAP_PER_WEEK). */
const MAX_CAP = 10;
const NUMBER = /^\d+(?:[.,]\d+)?$/;

/** A cap as typed, in either decimal mark (fi and sv write 1,5); undefined when it is not a valid cap. */
function parseCap(text: string): number | undefined {
  const trimmed = text.trim();
  if (!NUMBER.test(trimmed)) return undefined;
  const value = Number(trimmed.replace(',', '.'));
  return value > 0 && value <= MAX_CAP ? value : undefined;
}

/** A member's privacy budget for statistics, for the network administrator to see and change. */
export function PrivacyBudget({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  const settings = useLoad((signal) => consoleApi.privacy(memberId, { signal }), [memberId]);
  const [cap, setCap] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [done, setDone] = useState<string | null>(null);
  const number = (value: number) => new Intl.NumberFormat(language === 'en' ? 'en-GB' : `${language}-FI`, { maximumFractionDigits: 3 }).format(value);
  const parsed = parseCap(cap);
  const invalid = submitted && parsed === undefined;

  const save = async (value: number | null) => {
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      const saved = await consoleApi.setPrivacy(memberId, value);
      setDone(t('member.privacySaved', { cap: number(saved.epsilon_cap_per_week) }));
      setCap('');
      setSubmitted(false);
      settings.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (parsed !== undefined) void save(parsed);
  };

  return (
    <section aria-labelledby="member-privacy">
      <Heading variant="h2" mt="xl" mb="s" id="member-privacy">
        {t('member.privacy')}
      </Heading>
      <LoadState loaded={settings}>
        {(s) => (
          <>
            <Paragraph mb="s">{t('member.privacyIntro', { perRelease: number(s.epsilon_per_release) })}</Paragraph>
            <Paragraph mb="m">
              <strong>{t('member.privacyCap')}</strong>{' '}
              {t('member.privacyCurrent', { cap: number(s.epsilon_cap_per_week), source: s.default ? t('member.privacyDefault') : t('member.privacyOwn') })}
            </Paragraph>
            <SuccessAlert>{done}</SuccessAlert>
            <form onSubmit={submit} noValidate>
              <TextInput
                labelText={t('member.privacyLabel')}
                hintText={t('member.privacyHint', { max: MAX_CAP })}
                inputMode="decimal"
                autoComplete="off"
                value={cap}
                onChange={(v) => setCap(String(v ?? ''))}
                status={invalid ? 'error' : 'default'}
                statusText={invalid ? t('member.privacyInvalid', { max: MAX_CAP }) : undefined}
                mb="m"
              />
              <ErrorAlert error={error} />
              <Button type="submit" disabled={busy} mr="s">
                {t('member.privacySave')}
              </Button>
              {!s.default && (
                <Button type="button" variant="secondary" disabled={busy} onClick={() => void save(null)}>
                  {t('member.privacyReset')}
                </Button>
              )}
            </form>
          </>
        )}
      </LoadState>
    </section>
  );
}
