import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Checkbox, CheckboxGroup, Heading, Paragraph, Table, TextInput, Textarea } from 'suomifi-ui-components';
import { consoleApi, type ClientSecret, type OidcClient } from '../../api.ts';
import { ConfirmDialog, ErrorAlert, LoadState, PageHeading, Small, SuccessAlert } from '../../components/common.tsx';
import { useLoad } from '../../../shared/load.ts';
import { Actions } from '../admin/Members.tsx';
import { SecretPanel } from './Clients.tsx';
import { NO_KEYS, OidcClientKeys, keyFields, type KeyChoice } from './OidcClientKeys.tsx';

/** The attributes a service may ask for (the provider's scopes besides openid), with their texts. */
const ATTRIBUTE_SCOPES = ['age_band', 'adult', 'municipality_code'] as const;

/**
 * A member's services at the network's OpenID Provider: list (sector, attributes, how it
 * authenticates, profile endpoint), register (redirect URIs, attributes, a secret or its own keys,
 * profile endpoint), rotate the secret (shown once; a service with keys has none), remove.
 */
export function OidcClients({ memberId }: { memberId: string }) {
  const { t } = useTranslation('console');
  const clients = useLoad((signal) => consoleApi.oidcClients(memberId, { signal }), [memberId]);
  const [secret, setSecret] = useState<{ secret: ClientSecret; name: string } | null>(null);
  const [confirm, setConfirm] = useState<{ action: 'rotate' | 'revoke'; client: OidcClient } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [redirects, setRedirects] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [profile, setProfile] = useState('');
  const [keys, setKeys] = useState<KeyChoice>(NO_KEYS);
  const [keyClient, setKeyClient] = useState<{ id: string; name: string } | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const redirectUris = redirects.split('\n').map((l) => l.trim()).filter(Boolean);
  const problems = { name: name.trim() ? undefined : t('oidc.nameMissing'), redirects: redirectUris.length ? undefined : t('oidc.redirectMissing') };
  const auth = keyFields(keys);
  const scopeText = (scope: string) => (scope === 'openid' || (ATTRIBUTE_SCOPES as readonly string[]).includes(scope) ? t(`oidc.${scope as 'openid' | (typeof ATTRIBUTE_SCOPES)[number]}`) : scope);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    if (problems.name || problems.redirects || 'problem' in auth) return;
    setBusy(true);
    setError(undefined);
    setDone(null);
    setKeyClient(null);
    try {
      const created = await consoleApi.createOidcClient(memberId, { name: name.trim(), redirect_uris: redirectUris, scopes, ...(profile.trim() ? { profile_endpoint: profile.trim() } : {}), ...auth.fields });
      const { client_secret: clientSecret } = created;
      if (clientSecret) setSecret({ secret: { client_id: created.client_id, client_secret: clientSecret }, name: name.trim() });
      else setKeyClient({ id: created.client_id, name: name.trim() });
      setName('');
      setRedirects('');
      setScopes([]);
      setProfile('');
      setKeys(NO_KEYS);
      setSubmitted(false);
      clients.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageHeading title={t('oidc.title')}>{t('oidc.title')}</PageHeading>
      <Paragraph mb="l">{t('oidc.intro')}</Paragraph>
      {secret && <SecretPanel secret={secret.secret} name={secret.name} onDismiss={() => setSecret(null)} />}
      <SuccessAlert>{done}</SuccessAlert>
      <SuccessAlert>
        {keyClient && (
          <>
            {t('oidc.createdWithKeys', { name: keyClient.name })} <code data-testid="new-key-client-id">{keyClient.id}</code>
          </>
        )}
      </SuccessAlert>
      <LoadState loaded={clients}>
        {({ clients: list }) =>
          list.length === 0 ? (
            <Paragraph mb="l">{t('oidc.empty')}</Paragraph>
          ) : (
            <Table
              caption={t('oidc.caption')}
              mb="xl"
              condensed
              columns={[
                { key: 'name', labelText: t('oidc.name') },
                { key: 'sector', labelText: t('oidc.sector') },
                { key: 'auth', labelText: t('oidc.auth') },
                { key: 'profile', labelText: t('oidc.profile') },
                { key: 'actions', labelText: t('oidc.actions') },
              ]}
              data={list.map((c) => ({
                id: c.client_id,
                name: (
                  <>
                    {c.name}
                    <Small>
                      <code>{c.client_id}</code>
                    </Small>
                    <Small>{c.scopes.map(scopeText).join(', ')}</Small>
                  </>
                ),
                sector: <code>{c.sector_identifier}</code>,
                auth:
                  c.token_endpoint_auth_method === 'private_key_jwt' ? (
                    <>
                      {t('oidc.authKeysShort')}: <code>{c.jwks_uri ?? c.key_ids.map((kid) => kid ?? '–').join(', ')}</code>
                    </>
                  ) : (
                    t('oidc.authSecretShort')
                  ),
                profile: c.profile_endpoint ? <code>{c.profile_endpoint}</code> : t('oidc.none'),
                actions: (
                  <Actions>
                    {c.token_endpoint_auth_method === 'client_secret_basic' && (
                      <Button variant="secondary" onClick={() => setConfirm({ action: 'rotate', client: c })} aria-label={`${t('oidc.rotate')}: ${c.name}`}>
                        {t('oidc.rotate')}
                      </Button>
                    )}
                    <Button variant="secondaryNoBorder" onClick={() => setConfirm({ action: 'revoke', client: c })} aria-label={`${t('oidc.revoke')}: ${c.name}`}>
                      {t('oidc.revoke')}
                    </Button>
                  </Actions>
                ),
              }))}
            />
          )
        }
      </LoadState>

      <Heading variant="h2" mb="s">
        {t('oidc.create')}
      </Heading>
      <form onSubmit={create} noValidate>
        <TextInput
          labelText={t('oidc.nameLabel')}
          value={name}
          onChange={(v) => setName(String(v ?? ''))}
          status={submitted && problems.name ? 'error' : 'default'}
          statusText={submitted ? problems.name : undefined}
          maxLength={200}
          fullWidth
          mb="m"
        />
        <Textarea
          labelText={t('oidc.redirectLabel')}
          hintText={t('oidc.redirectHint')}
          value={redirects}
          onChange={(e) => setRedirects(e.target.value)}
          status={submitted && problems.redirects ? 'error' : 'default'}
          statusText={submitted ? problems.redirects : undefined}
          fullWidth
          mb="m"
        />
        <CheckboxGroup labelText={t('oidc.scopesLabel')} groupHintText={t('oidc.scopesHint')} mb="m">
          {ATTRIBUTE_SCOPES.map((scope) => (
            <Checkbox
              key={scope}
              value={scope}
              checked={scopes.includes(scope)}
              onClick={({ checkboxState }) => setScopes((list) => (checkboxState ? [...list, scope] : list.filter((s) => s !== scope)))}
              hintText={`${t(`oidc.${scope}Help`)} (${scope})`}
            >
              {t(`oidc.${scope}`)}
            </Checkbox>
          ))}
        </CheckboxGroup>
        <OidcClientKeys choice={keys} onChange={setKeys} problem={submitted && 'problem' in auth ? auth.problem : undefined} />
        <TextInput
          labelText={t('oidc.profileLabel')}
          hintText={t('oidc.profileHint')}
          optionalText={t('app.optional')}
          value={profile}
          onChange={(v) => setProfile(String(v ?? ''))}
          maxLength={500}
          fullWidth
          mb="m"
        />
        <ErrorAlert error={error} />
        <Button type="submit" disabled={busy}>
          {t('oidc.createButton')}
        </Button>
      </form>

      <ConfirmDialog
        visible={confirm !== null}
        title={confirm ? `${t(`oidc.${confirm.action}`)}: ${confirm.client.name}` : ''}
        text={confirm ? t(`oidc.${confirm.action}Confirm`, { name: confirm.client.name }) : ''}
        confirmText={confirm ? t(`oidc.${confirm.action}`) : ''}
        onConfirm={async () => {
          if (!confirm) return;
          const { client, action } = confirm;
          if (action === 'rotate') setSecret({ secret: await consoleApi.rotateOidcClient(memberId, client.client_id), name: client.name });
          else {
            await consoleApi.revokeOidcClient(memberId, client.client_id);
            setDone(t('oidc.revoked', { name: client.name }));
          }
          clients.reload();
        }}
        onClose={() => setConfirm(null)}
      />
    </>
  );
}
