import { createHash, randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CustomFetch } from 'openid-client';
import Type from 'typebox';
import { escapeHtml } from '../../demo/pages.ts';
import { HttpProblem } from '../../http/problem.ts';
import { OidcEid } from '../oidc-eid.ts';
import { PAGE_CSP } from '../pages.ts';

/**
 * The TEST eID: an OpenID Connect identity provider inside the network's own process, for tests and
 * the demo, with a handful of fictional persons (identity codes from the 900–999 test range). It is
 * never set up in production (server.ts: NODE_ENV=production, or AURORA_DEMO=off). The network
 * reaches it in-process (app.inject), without the network; the browser reaches its page at /test-eid.
 * Its ID tokens carry names as a real eID's do, so that tests can see they are dropped.
 */
export const TEST_EID_NAME = 'test-oidc';
const PREFIX = '/test-eid';
const CLIENT_ID = 'aurora-network';

export interface TestPerson {
  id: string;
  given_name: string;
  family_name: string;
  personal_identity_code: string;
  birthdate: string;
  municipality_code: string;
  security_denial?: boolean;
}

export const TEST_PERSONS: readonly TestPerson[] = [
  { id: 'aino', given_name: 'Aino', family_name: 'Testinen', personal_identity_code: '010190-901R', birthdate: '1990-01-01', municipality_code: '491' },
  { id: 'veeti', given_name: 'Veeti', family_name: 'Testinen', personal_identity_code: '150610A9026', birthdate: '2010-06-15', municipality_code: '091' },
  { id: 'turva', given_name: 'Turva', family_name: 'Kielto', personal_identity_code: '240385-903Y', birthdate: '1985-03-24', municipality_code: '837', security_denial: true },
];

interface Code {
  person: TestPerson;
  challenge: string;
  nonce: string;
  redirectUri: string;
  expires: number;
}

/** fetch for openid-client that answers from this process (app.inject): nothing leaves the machine. */
export function injectFetch(app: FastifyInstance): CustomFetch {
  return async (url, options) => {
    const target = new URL(url);
    const body = options.body === undefined || options.body === null ? undefined : String(options.body);
    const requestHeaders: Record<string, string> = {};
    new Headers(options.headers).forEach((value, key) => {
      requestHeaders[key] = value;
    });
    const answer = await app.inject({
      method: (options.method ?? 'GET') as 'GET' | 'POST',
      url: target.pathname + target.search,
      headers: requestHeaders,
      ...(body === undefined ? {} : { payload: body }),
    });
    const headers = new Headers();
    for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : String(v));
    return new Response(answer.statusCode === 204 ? null : new Uint8Array(answer.rawPayload), { status: answer.statusCode, headers });
  };
}

export function testEidRoutes(publicOrigin: string): FastifyPluginAsyncTypebox {
  return async (app) => {
    const issuer = `${publicOrigin}${PREFIX}`;
    const secret = randomBytes(24).toString('base64url');
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-eid-1', alg: 'RS256', use: 'sig' };
    const codes = new Map<string, Code>();
    const eid = new OidcEid(
      {
        name: TEST_EID_NAME,
        labels: { fi: 'Testitunnistus (ei oikea tunnistus)', sv: 'Testidentifiering (inte en riktig identifiering)', en: 'Test identification (not a real eID)' },
        issuer: new URL(issuer),
        clientId: CLIENT_ID,
        clientSecret: secret,
        publicOrigin,
        fetch: injectFetch(app),
      },
      () => app.aurora.identity,
    );
    app.aurora.identity.registerEid(eid);

    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const hide = { hide: true };

    app.get(`${PREFIX}/.well-known/openid-configuration`, { schema: hide }, async () => codeFlowDiscovery(issuer));
    app.get(`${PREFIX}/jwks`, { schema: hide }, async () => ({ keys: [jwk] }));

    const AuthorizeQuery = Type.Object({
      client_id: Type.String({ maxLength: 100 }),
      redirect_uri: Type.String({ maxLength: 500 }),
      state: Type.String({ maxLength: 200 }),
      nonce: Type.String({ maxLength: 200 }),
      code_challenge: Type.String({ maxLength: 200 }),
      code_challenge_method: Type.Literal('S256'),
    });
    const checkClient = (clientId: string, redirectUri: string) => {
      if (clientId !== CLIENT_ID || redirectUri !== eid.redirectUri) throw new HttpProblem(400, 'invalid-request', 'The request is not valid', 'unknown client or redirect URI');
    };
    // The person picks who they are; the form carries the request on.
    app.get(`${PREFIX}/authorize`, { schema: { ...hide, querystring: Type.Intersect([AuthorizeQuery, Type.Object({}, { additionalProperties: true })]) } }, async (request, reply) => {
      const q = request.query as Record<string, string>;
      checkClient(q.client_id!, q.redirect_uri!);
      const hidden = ['client_id', 'redirect_uri', 'state', 'nonce', 'code_challenge'].map((k) => `<input type="hidden" name="${k}" value="${escapeHtml(q[k]!)}">`).join('');
      const people = TEST_PERSONS.map((p, i) => `<li><input type="radio" name="person" id="p${i}" value="${p.id}"${i === 0 ? ' checked' : ''}> <label for="p${i}">${escapeHtml(`${p.given_name} ${p.family_name}`)}</label></li>`).join('');
      return reply
        .header('content-security-policy', PAGE_CSP)
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test eID</title></head><body><main><h1>Test eID</h1><p>Not a real identification: fictional persons for tests and the demo.</p><form method="post" action="${PREFIX}/authorize">${hidden}<fieldset><legend>Log in as</legend><ul>${people}</ul></fieldset><button type="submit">Log in</button></form></main></body></html>`,
        );
    });
    app.post(`${PREFIX}/authorize`, { schema: hide }, async (request, reply) => {
      const form = request.body as Record<string, string>;
      checkClient(form.client_id ?? '', form.redirect_uri ?? '');
      const person = TEST_PERSONS.find((p) => p.id === form.person);
      if (!person || !form.code_challenge || !form.nonce || !form.state) throw new HttpProblem(400, 'invalid-request', 'The request is not valid', 'choose a person');
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { person, challenge: form.code_challenge, nonce: form.nonce, redirectUri: form.redirect_uri!, expires: Date.now() + 60_000 });
      const back = new URL(form.redirect_uri!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', form.state);
      back.searchParams.set('iss', issuer);
      return reply.redirect(back.href, 303);
    });
    app.post(`${PREFIX}/token`, { schema: hide }, async (request, reply) => {
      const form = request.body as Record<string, string>;
      const basic = request.headers.authorization?.startsWith('Basic ') ? Buffer.from(request.headers.authorization.slice(6), 'base64').toString() : '';
      const [id, given] = basic ? basic.split(':').map((s) => decodeURIComponent(s)) : [form.client_id, form.client_secret];
      if (id !== CLIENT_ID || given !== secret) return reply.status(401).send({ error: 'invalid_client' });
      const grant = codes.get(form.code ?? '');
      codes.delete(form.code ?? '');
      const verifier = form.code_verifier ?? '';
      if (!grant || grant.expires < Date.now() || grant.redirectUri !== form.redirect_uri || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge)
        return reply.status(400).send({ error: 'invalid_grant' });
      const { id: _, ...claims } = grant.person;
      const idToken = await new SignJWT({ ...claims, nonce: grant.nonce, acr: 'http://ftn.ficora.fi/2017/loa3' })
        .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
        .setIssuer(issuer)
        .setAudience(CLIENT_ID)
        .setSubject(`test-${grant.person.id}`)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      return { access_token: randomBytes(16).toString('base64url'), token_type: 'Bearer', expires_in: 300, id_token: idToken };
    });
  };
}

/** The discovery document of a small OpenID Connect provider for tests and the demo: code flow with S256 PKCE, RS256 ID tokens, endpoints under its issuer. */
export function codeFlowDiscovery(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
  };
}
