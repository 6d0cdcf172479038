import { useTranslation } from 'react-i18next';
import { RadioButton, RadioButtonGroup, TextInput, Textarea } from 'suomifi-ui-components';
import type { OidcClientRegistration } from '../../api.ts';

/**
 * How a service registering at the network's OpenID Provider authenticates: a secret, or its own
 * keys (private_key_jwt) given as a JWKS or a jwks_uri. The server checks the keys themselves
 * (public signing keys only, at most five); here only what can be said before sending.
 */
export interface KeyChoice {
  method: 'client_secret_basic' | 'private_key_jwt';
  jwks: string;
  jwksUri: string;
}

export const NO_KEYS: KeyChoice = { method: 'client_secret_basic', jwks: '', jwksUri: '' };

type KeyProblem = 'keysMissing' | 'jwksInvalid';

/** The registration's fields for the choice, or what is wrong with it. */
export function keyFields(choice: KeyChoice): { fields: Pick<OidcClientRegistration, 'token_endpoint_auth_method' | 'jwks' | 'jwks_uri'> } | { problem: KeyProblem } {
  if (choice.method === 'client_secret_basic') return { fields: {} };
  const jwks = choice.jwks.trim();
  const uri = choice.jwksUri.trim();
  if ((jwks === '') === (uri === '')) return { problem: 'keysMissing' };
  if (uri) return { fields: { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: uri } };
  try {
    const parsed = JSON.parse(jwks) as { keys: Record<string, unknown>[] };
    return { fields: { token_endpoint_auth_method: 'private_key_jwt', jwks: parsed } };
  } catch {
    return { problem: 'jwksInvalid' };
  }
}

export function OidcClientKeys({ choice, onChange, problem }: { choice: KeyChoice; onChange: (choice: KeyChoice) => void; problem: KeyProblem | undefined }) {
  const { t } = useTranslation('console');
  return (
    <>
      <RadioButtonGroup labelText={t('oidc.authLabel')} name="oidc-auth" value={choice.method} onChange={(v) => onChange({ ...choice, method: v as KeyChoice['method'] })} mb="m">
        <RadioButton value="client_secret_basic">{t('oidc.authSecret')}</RadioButton>
        <RadioButton value="private_key_jwt">{t('oidc.authKeys')}</RadioButton>
      </RadioButtonGroup>
      {choice.method === 'private_key_jwt' && (
        <>
          <Textarea
            labelText={t('oidc.jwksLabel')}
            hintText={t('oidc.jwksHint')}
            optionalText={t('app.optional')}
            value={choice.jwks}
            onChange={(e) => onChange({ ...choice, jwks: e.target.value })}
            status={problem ? 'error' : 'default'}
            statusText={problem ? t(`oidc.${problem}`) : undefined}
            fullWidth
            mb="m"
          />
          <TextInput
            labelText={t('oidc.jwksUriLabel')}
            hintText={t('oidc.jwksUriHint')}
            optionalText={t('app.optional')}
            value={choice.jwksUri}
            onChange={(v) => onChange({ ...choice, jwksUri: String(v ?? '') })}
            maxLength={500}
            fullWidth
            mb="m"
          />
        </>
      )}
    </>
  );
}
