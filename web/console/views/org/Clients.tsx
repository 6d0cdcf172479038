import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ParseKeys } from 'i18next';
import { useTranslation } from 'react-i18next';
import { styled } from 'styled-components';
import { Button, Checkbox, CheckboxGroup, Heading, Paragraph, Table, TextInput } from 'suomifi-ui-components';
import { ADMIN_GRANTED_SCOPES, type ClientScope } from '../../../../src/clients/scopes.ts';
import { ApiError, consoleApi, type ApiClient, type ClientSecret } from '../../api.ts';
import { ConfirmDialog, ErrorAlert, LoadState, PageHeading, Small, StatusChip, SuccessAlert, formatDateTime, useLanguage } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import { Actions } from '../admin/Members.tsx';
import { useSession } from '../../session.tsx';

/**
 * The scopes the form offers, in its order (what most clients need first), with their texts. Every
 * scope of the server is here: one added there fails to compile until it has a place and a text.
 */
const SCOPE_TEXTS = {
  recommend: 'clients.scope.recommend',
  'transfer:send': 'clients.scope.transfer_send',
  'transfer:receive': 'clients.scope.transfer_receive',
  'catalogue:write': 'clients.scope.catalogue_write',
  'stats:read': 'clients.scope.stats_read',
  'recommender:teach': 'clients.scope.recommender_teach',
} as const satisfies Record<ClientScope, ParseKeys<'console'>>;
const SCOPES = Object.keys(SCOPE_TEXTS) as ClientScope[];
/** What each scope lets a system do, in words a provider knows; the scope's own name follows in brackets for the developer. */
const SCOPE_HELP = {
  recommend: 'clients.scopeHelp.recommend',
  'transfer:send': 'clients.scopeHelp.transfer_send',
  'transfer:receive': 'clients.scopeHelp.transfer_receive',
  'catalogue:write': 'clients.scopeHelp.catalogue_write',
  'stats:read': 'clients.scopeHelp.stats_read',
  'recommender:teach': 'clients.scopeHelp.recommender_teach',
} as const satisfies Record<ClientScope, ParseKeys<'console'>>;

/** A client's calls a minute as the console shows them: its own limit, or the network's default. */
export function RateLimit({ client }: { client: ApiClient }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  if (client.effective_rate_limit_per_minute === null) return <>{t('clients.noRateLimit')}</>;
  const n = new Intl.NumberFormat(language === 'en' ? 'en-GB' : `${language}-FI`).format(client.effective_rate_limit_per_minute);
  return (
    <>
      {t('clients.perMinute', { n })}
      <Small>{client.rate_limit_per_minute === null ? t('clients.rateDefault') : t('clients.rateSet')}</Small>
    </>
  );
}

export function clientStatus(client: ApiClient): 'active' | 'revoked' | 'suspended' {
  if (client.revoked_at) return 'revoked';
  if (client.suspended_at) return 'suspended';
  return 'active';
}

/** The frame of a credential shown once (here, and a webhook endpoint's signing secret). */
export const SecretBox = styled.section`
  border: 2px solid #e97025;
  border-left-width: 8px;
  background: #fff6ef;
  padding: 20px;
  margin: 0 0 32px;
  outline: none;
  dl {
    margin: 16px 0;
  }
  dt {
    font-weight: 600;
    margin-top: 12px;
  }
  dd {
    margin: 4px 0 0;
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
    align-items: center;
  }
  code {
    font-size: 16px;
    padding: 6px 10px;
    background: #fff;
    border: 1px solid #c8cdd0;
    word-break: break-all;
    user-select: all;
  }
`;

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** The new credential, shown this once: the ID and the secret, each with a copy button. */
export function SecretPanel({ secret, name, onDismiss }: { secret: ClientSecret; name: string; onDismiss: () => void }) {
  const { t } = useTranslation('console');
  const ref = useRef<HTMLElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [secret]);
  const copy = async (what: string, text: string) => setCopied((await copyText(text)) ? t('clients.copied', { what }) : t('clients.copyFailed'));
  return (
    <SecretBox ref={ref} tabIndex={-1} aria-labelledby="secret-title" data-testid="client-secret">
      <Heading variant="h2" id="secret-title" mb="s">
        {t('clients.secretTitle')}
      </Heading>
      <Paragraph>
        <strong>{t('clients.secretWarning')}</strong>
      </Paragraph>
      <Heading variant="h3" as="h3" mt="m">
        {t('clients.secretFor', { name })}
      </Heading>
      <dl>
        <dt>{t('clients.clientId')}</dt>
        <dd>
          <code data-testid="new-client-id">{secret.client_id}</code>
          <Button variant="secondary" onClick={() => void copy(t('clients.clientId'), secret.client_id)}>
            {t('clients.copy', { what: t('clients.clientId') })}
          </Button>
        </dd>
        <dt>{t('clients.secret')}</dt>
        <dd>
          <code data-testid="new-client-secret">{secret.client_secret}</code>
          <Button variant="secondary" onClick={() => void copy(t('clients.secret'), secret.client_secret)}>
            {t('clients.copy', { what: t('clients.secret') })}
          </Button>
        </dd>
      </dl>
      <Paragraph mb="m">{t('clients.usage')}</Paragraph>
      <div role="status" aria-live="polite">
        {copied && <Paragraph mb="m">{copied}</Paragraph>}
      </div>
      <Button onClick={onDismiss}>{t('clients.savedIt')}</Button>
    </SecretBox>
  );
}

/**
 * The member's API clients: create with scopes, see the secret once, rotate, revoke, last used, the
 * rate limit (read-only: a network administrator sets it, on the member's page).
 */
export function Clients({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const language = useLanguage();
  // The server refuses these scopes to a member's own staff: the form leaves them out and says why.
  const isNetworkAdmin = useSession().staff?.role === 'network_admin';
  const grantable = (scope: ClientScope) => isNetworkAdmin || !ADMIN_GRANTED_SCOPES.includes(scope);
  const clients = useLoad((signal) => consoleApi.clients(memberId, { signal }), [memberId]);
  const [secret, setSecret] = useState<{ secret: ClientSecret; name: string } | null>(null);
  const [confirm, setConfirm] = useState<{ action: 'rotate' | 'revoke'; client: ApiClient } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [rateLimit, setRateLimit] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const rate = rateLimit.trim() === '' ? undefined : Number(rateLimit);
  const problems = {
    name: name.trim() ? undefined : t('clients.nameMissing'),
    scopes: scopes.length ? undefined : t('clients.scopesMissing'),
    rate: rate === undefined || (Number.isInteger(rate) && rate >= 1 && rate <= 100000) ? undefined : t('clients.rateLimitInvalid'),
  };

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (problems.name || problems.scopes || problems.rate) return;
    setBusy(true);
    setError(undefined);
    setDone(null);
    try {
      const created = await consoleApi.createClient(memberId, { name: name.trim(), scopes, ...(rate !== undefined ? { rate_limit_per_minute: rate } : {}) });
      setSecret({ secret: created, name: name.trim() });
      setName('');
      setScopes([]);
      setRateLimit('');
      setSubmitted(false);
      clients.reload();
    } catch (e) {
      // The cap on clients per member: say what to do, in the user's language.
      setError(e instanceof ApiError && e.status === 409 && e.type?.endsWith('/client-limit') ? t('clients.limitReached') : e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title={t('clients.title')}>{t('clients.title')}</PageHeading>
      <Paragraph mb="l">{t('clients.intro')}</Paragraph>
      {secret && <SecretPanel secret={secret.secret} name={secret.name} onDismiss={() => setSecret(null)} />}
      <SuccessAlert>{done}</SuccessAlert>
      <LoadState loaded={clients}>
        {({ clients: list }) =>
          list.length === 0 ? (
            <Paragraph mb="l">{t('clients.empty')}</Paragraph>
          ) : (
            <Table
              caption={t('clients.caption')}
              mb="xl"
              condensed
              columns={[
                { key: 'name', labelText: t('clients.name') },
                { key: 'used', labelText: t('clients.lastUsed') },
                { key: 'rate', labelText: t('clients.rateLimitColumn') },
                { key: 'status', labelText: t('clients.status') },
                { key: 'actions', labelText: t('clients.actions') },
              ]}
              data={list.map((c) => {
                const status = clientStatus(c);
                return {
                  id: c.client_id,
                  name: (
                    <>
                      {c.name}
                      <Small>
                        <code>{c.client_id}</code>
                      </Small>
                      <Small>{`${t('clients.scopes')}: ${c.scopes.map((s) => t(SCOPE_TEXTS[s as ClientScope])).join(', ')}`}</Small>
                    </>
                  ),
                  used: (
                    <>
                      {c.last_used_at ? formatDateTime(c.last_used_at, language) : t('clients.never')}
                      <Small>{t('clients.createdAt', { when: formatDateTime(c.created_at, language) })}</Small>
                    </>
                  ),
                  rate: <RateLimit client={c} />,
                  status: <StatusChip status={status} />,
                  actions:
                    status === 'revoked' ? null : (
                      <Actions>
                        <Button variant="secondary" onClick={() => setConfirm({ action: 'rotate', client: c })} aria-label={`${t('clients.rotateShort')}: ${c.name}`}>
                          {t('clients.rotateShort')}
                        </Button>
                        <Button variant="secondaryNoBorder" onClick={() => setConfirm({ action: 'revoke', client: c })} aria-label={`${t('clients.revokeShort')}: ${c.name}`}>
                          {t('clients.revokeShort')}
                        </Button>
                      </Actions>
                    ),
                };
              })}
            />
          )
        }
      </LoadState>

      <Heading variant="h2" mb="s">
        {t('clients.create')}
      </Heading>
      <form onSubmit={create} noValidate>
        <TextInput
          labelText={t('clients.nameLabel')}
          hintText={t('clients.nameHint')}
          value={name}
          onChange={(v) => setName(String(v ?? ''))}
          status={submitted && problems.name ? 'error' : 'default'}
          statusText={submitted ? problems.name : undefined}
          maxLength={200}
          fullWidth
          mb="m"
        />
        <CheckboxGroup
          labelText={t('clients.scopesLabel')}
          groupHintText={t('clients.scopesHint')}
          groupStatus={submitted && problems.scopes ? 'error' : 'default'}
          groupStatusText={submitted ? problems.scopes : undefined}
          mb="m"
        >
          {SCOPES.filter(grantable).map((scope) => (
            <Checkbox
              key={scope}
              value={scope}
              checked={scopes.includes(scope)}
              onClick={({ checkboxState }) => setScopes((list) => (checkboxState ? [...list, scope] : list.filter((s) => s !== scope)))}
              hintText={`${t(SCOPE_HELP[scope])} (${scope})`}
            >
              {t(SCOPE_TEXTS[scope])}
            </Checkbox>
          ))}
        </CheckboxGroup>
        {SCOPES.filter((scope) => !grantable(scope)).map((scope) => (
          <Paragraph key={scope} mb="m">{`${t(SCOPE_TEXTS[scope])} (${scope}): ${t('clients.scopeAdminOnly')}`}</Paragraph>
        ))}
        {isNetworkAdmin ? (
          <TextInput
            labelText={t('clients.rateLimit')}
            hintText={t('clients.rateLimitHint')}
            optionalText={t('app.optional')}
            inputMode="numeric"
            value={rateLimit}
            onChange={(v) => setRateLimit(String(v ?? ''))}
            status={submitted && problems.rate ? 'error' : 'default'}
            statusText={submitted ? problems.rate : undefined}
            mb="m"
          />
        ) : (
          <Paragraph mb="m">{t('clients.rateLimitByNetwork')}</Paragraph>
        )}
        <ErrorAlert error={error} />
        <Button type="submit" disabled={busy}>
          {t('clients.createButton')}
        </Button>
      </form>

      <ConfirmDialog
        visible={confirm !== null}
        title={confirm ? t(`clients.${confirm.action}`, { name: confirm.client.name }) : ''}
        text={confirm ? t(`clients.${confirm.action}Confirm`, { name: confirm.client.name }) : ''}
        confirmText={confirm ? t(`clients.${confirm.action}Short`) : ''}
        onConfirm={async () => {
          if (!confirm) return;
          const { client, action } = confirm;
          if (action === 'rotate') setSecret({ secret: await consoleApi.rotateClient(memberId, client.client_id), name: client.name });
          else {
            await consoleApi.revokeClient(memberId, client.client_id);
            setDone(t('clients.revoked', { name: client.name }));
          }
          clients.reload();
        }}
        onClose={() => setConfirm(null)}
      />
    </>
  );
}
