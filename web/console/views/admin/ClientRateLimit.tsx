import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Modal, ModalContent, ModalFooter, ModalTitle, Paragraph, TextInput } from 'suomifi-ui-components';
import { consoleApi, type ApiClient } from '../../api.ts';
import { ErrorAlert } from '../../components/common.tsx';

/** The server's bounds (MAX_RATE_LIMIT in src/clients/clients.ts). */
const MAX_RATE = 1_000_000;

/** A limit as typed: a whole number of calls a minute; undefined when it is not one. */
function parseRate(text: string): number | undefined {
  const trimmed = text.trim().replace(/[\s\u00a0]/g, '');
  if (!/^\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return value >= 1 && value <= MAX_RATE ? value : undefined;
}

/**
 * The network administrator sets a client's rate limit (calls a minute), or puts it back to the
 * network's default. Members only read it: they cannot raise their own.
 */
export function ClientRateLimitDialog({ client, onDone, onClose }: { client: ApiClient | null; onDone: (text: string) => void; onClose: () => void }) {
  const { t } = useTranslation('console');
  const [value, setValue] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  useEffect(() => {
    setValue(client?.rate_limit_per_minute ? String(client.rate_limit_per_minute) : '');
    setSubmitted(false);
    setError(undefined);
  }, [client]);
  const parsed = parseRate(value);
  const invalid = submitted && parsed === undefined;

  const save = async (limit: number | null) => {
    if (!client) return;
    setBusy(true);
    setError(undefined);
    try {
      await consoleApi.setClientRateLimit(client.client_id, limit);
      onDone(limit === null ? t('member.rateLimitReset', { name: client.name }) : t('member.rateLimitSaved', { name: client.name, n: limit }));
      onClose();
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
    <Modal visible={client !== null} appElementId="root" onEscKeyDown={onClose} ariaLabelledBy="rate-limit-title">
      <form onSubmit={submit} noValidate>
        <ModalContent>
          <ModalTitle id="rate-limit-title">{client ? t('member.rateLimitTitle', { name: client.name }) : ''}</ModalTitle>
          <Paragraph mb="m">{t('member.rateLimitText')}</Paragraph>
          <TextInput
            labelText={t('clients.rateLimit')}
            hintText={t('member.rateLimitHint', { max: MAX_RATE })}
            inputMode="numeric"
            autoComplete="off"
            value={value}
            onChange={(v) => setValue(String(v ?? ''))}
            status={invalid ? 'error' : 'default'}
            statusText={invalid ? t('member.rateLimitInvalid', { max: MAX_RATE }) : undefined}
            fullWidth
          />
          <ErrorAlert error={error} />
        </ModalContent>
        <ModalFooter>
          <Button type="submit" disabled={busy}>
            {t('member.rateLimitSave')}
          </Button>
          {client?.rate_limit_per_minute !== null && (
            <Button type="button" variant="secondary" disabled={busy} onClick={() => void save(null)}>
              {t('member.rateLimitDefault')}
            </Button>
          )}
          <Button type="button" variant="secondaryNoBorder" onClick={onClose}>
            {t('app.cancel')}
          </Button>
        </ModalFooter>
      </form>
    </Modal>
  );
}
