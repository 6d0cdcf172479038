/**
 * The citizen app as a first-party client of the network's own OpenID Provider: a public client
 * (a browser app keeps no secret), so code + PKCE S256 with no client authentication, its redirect
 * URI on the app's own origin (the network's public URL, where the server serves the app). It is
 * registered when the provider starts (a static client: nothing in the database to keep in step)
 * and asks for `openid`: the app needs the account to attach the person key to, nothing about
 * the person. Being the network's own, it is granted `openid` without a consent page. It may also
 * ask for the derived claims (age band, adulthood, home municipality) when the person wants a check
 * that needs one (a voucher programme's eligibility): those the person agrees to on the consent
 * page, like any service, and what they share is kept with their account.
 */
export const CITIZEN_CLIENT_ID = 'aurora-citizen';
export const CITIZEN_CALLBACK_PATH = '/login/callback';

export function citizenClient(issuer: string) {
  const origin = new URL(issuer).origin;
  return {
    client_id: CITIZEN_CLIENT_ID,
    client_name: 'Aurora',
    application_type: 'web',
    redirect_uris: [`${origin}${CITIZEN_CALLBACK_PATH}`],
    post_logout_redirect_uris: [`${origin}/`],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'none',
    subject_type: 'pairwise',
    scope: 'openid age_band adult municipality_code',
    // The network's own app: its tokens let the person call the network as their account (account-token.ts).
    aurora_first_party: true,
  };
}
