import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CompactEncrypt, SignJWT, createLocalJWKSet, decodeJwt, exportJWK, generateKeyPair, importJWK, jwtVerify, type JSONWebKeySet } from 'jose';
import type { CustomFetch } from 'openid-client';
import Type from 'typebox';
import { escapeHtml } from '../../demo/pages.ts';
import { HttpProblem } from '../../http/problem.ts';
import { OidcEid, type OidcEidSettings } from '../oidc-eid.ts';
import { PAGE_CSP } from '../pages.ts';

/**
 * The TEST eID: an OpenID Connect identity provider inside the network's own process, for tests and
 * the demo, with a handful of fictional persons (identity codes from the 900–999 test range). It is
 * never set up in production (server.ts: NODE_ENV=production, or AURORA_DEMO=off). The network
 * reaches it in-process (app.inject), without the network; the browser reaches its page at /test-eid.
 * Its ID tokens carry names as a real eID's do, so that tests can see they are dropped. Tests can
 * set up more of it under other names and paths, requiring what FTN brokers do (private_key_jwt,
 * signed request objects, PAR, encrypted ID tokens: TestEidRequirements).
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

/**
 * What the test eID asks of the network, as an FTN broker does; by default nothing of it (a client
 * secret, plain requests, signed ID tokens), as the demo's test eID.
 */
export interface TestEidRequirements {
  /** Client authentication with private_key_jwt only: a secret is refused. */
  privateKeyJwt?: boolean;
  /** Authorization requests only as request objects signed with the network's key (RFC 9101). */
  signedRequests?: boolean;
  /** Authorization requests only through PAR (RFC 9126). */
  pushedRequests?: boolean;
  /** The one `aud` of client assertions accepted; default either the issuer or the token endpoint. */
  assertionAudience?: 'issuer' | 'token-endpoint';
  /** ID tokens encrypted to the network's `use: enc` key (alg: the key's own by default; enc: A256GCM). */
  encryptIdTokens?: { alg?: string; enc?: string };
}

export interface TestEidOptions {
  /** The eID's name on the login page and in /oidc/eid/<name>/… (default test-oidc). */
  name?: string;
  /** Where it answers (default /test-eid). */
  prefix?: string;
  requires?: TestEidRequirements;
  /** The network's public keys as registered at this eID; default: read from the network's JWKS URL at each use. */
  clientJwks?: JSONWebKeySet;
  /** The network's side of it: its keys and how it sends requests (without a signing key it sends the secret). */
  network?: Pick<OidcEidSettings, 'signingKey' | 'decryptionKey' | 'previousDecryptionKey' | 'signedRequests' | 'pushedRequests' | 'assertionAudience'>;
}

interface Pending {
  params: Record<string, string>;
  expires: number;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const SIGNING_ALGS = ['RS256', 'ES256'];

class Refused extends Error {
  constructor(readonly error: string) {
    super(error);
  }
}

/**
 * Sets an entry of a map of things that expire, keeping the map small: the test eID is public on a
 * demo server, and every authorize page, code and assertion leaves an entry until it is used.
 */
const MAX_OPEN = 1000;
function remember<V extends { expires: number }>(map: Map<string, V>, key: string, value: V) {
  if (map.size >= MAX_OPEN) for (const [k, v] of map) if (v.expires < Date.now()) map.delete(k);
  // Still full: the oldest go first (a Map keeps insertion order).
  for (const k of map.keys()) {
    if (map.size < MAX_OPEN) break;
    map.delete(k);
  }
  map.set(key, value);
}

const sameSecret = (a: string, b: string) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

export function testEidRoutes(publicOrigin: string, options: TestEidOptions = {}): FastifyPluginAsyncTypebox {
  return async (app) => {
    const prefix = options.prefix ?? PREFIX;
    const requires = options.requires ?? {};
    const issuer = `${publicOrigin}${prefix}`;
    const tokenEndpoint = `${issuer}/token`;
    const secret = randomBytes(24).toString('base64url');
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-eid-1', alg: 'RS256', use: 'sig' };
    const codes = new Map<string, Code>();
    /** Requests pushed (PAR), by request_uri; and those verified at the authorize page, while the person chooses. */
    const pushed = new Map<string, Pending>();
    const pending = new Map<string, Pending>();
    const assertionsSeen = new Map<string, { expires: number }>();
    const eid = new OidcEid(
      {
        name: options.name ?? TEST_EID_NAME,
        labels: { fi: 'Testitunnistus (ei oikea tunnistus)', sv: 'Testidentifiering (inte en riktig identifiering)', en: 'Test identification (not a real eID)' },
        issuer: new URL(issuer),
        clientId: CLIENT_ID,
        ...(options.network?.signingKey ? {} : { clientSecret: secret }),
        ...options.network,
        publicOrigin,
        fetch: injectFetch(app),
      },
      () => app.aurora.identity,
    );
    app.aurora.identity.registerEid(eid);

    /** The network's keys as this eID knows them: as registered, or from its JWKS URL. */
    const clientKeys = async (): Promise<JSONWebKeySet> => {
      if (options.clientJwks) return options.clientJwks;
      const answer = await app.inject(new URL(eid.jwksUri).pathname);
      return answer.statusCode === 200 ? (answer.json() as JSONWebKeySet) : { keys: [] };
    };
    const signatureKeys = async () => createLocalJWKSet({ keys: (await clientKeys()).keys.filter((k) => k.use !== 'enc') });

    /** The network as the client, by its assertion or its secret (Basic or in the form). */
    const authenticate = async (request: FastifyRequest, form: Record<string, string>) => {
      if (form.client_assertion_type === ASSERTION_TYPE) {
        const audience = requires.assertionAudience === 'issuer' ? issuer : requires.assertionAudience === 'token-endpoint' ? tokenEndpoint : [issuer, tokenEndpoint];
        try {
          const { payload } = await jwtVerify(form.client_assertion ?? '', await signatureKeys(), { issuer: CLIENT_ID, subject: CLIENT_ID, audience, algorithms: SIGNING_ALGS, requiredClaims: ['exp', 'jti'], maxTokenAge: '5m' });
          if (assertionsSeen.has(payload.jti!)) throw new Error('replayed');
          remember(assertionsSeen, payload.jti!, { expires: payload.exp! * 1000 });
        } catch {
          throw new Refused('invalid_client');
        }
        return;
      }
      if (requires.privateKeyJwt) throw new Refused('invalid_client');
      const basic = request.headers.authorization?.startsWith('Basic ') ? Buffer.from(request.headers.authorization.slice(6), 'base64').toString() : '';
      const [id, given] = basic ? basic.split(':').map((s) => decodeURIComponent(s)) : [form.client_id, form.client_secret];
      if (id !== CLIENT_ID || !sameSecret(given ?? '', secret)) throw new Refused('invalid_client');
    };

    /** A request object's parameters, once its signature, issuer, audience and time check out. */
    const requestObject = async (jwt: string, clientId: string | undefined) => {
      try {
        const { payload } = await jwtVerify(jwt, await signatureKeys(), { issuer: CLIENT_ID, audience: issuer, algorithms: SIGNING_ALGS, requiredClaims: ['exp'] });
        if (payload.client_id !== CLIENT_ID || (clientId !== undefined && clientId !== CLIENT_ID)) throw new Error('another client');
        return Object.fromEntries(Object.entries(payload).filter((e): e is [string, string] => typeof e[1] === 'string'));
      } catch {
        throw new Refused('invalid_request_object');
      }
    };

    /** The authorization request's parameters however they came: pushed, as a request object, or plain, as this eID requires. */
    const authorizationParameters = async (query: Record<string, string>): Promise<Record<string, string>> => {
      if (query.request_uri) {
        const found = pushed.get(query.request_uri);
        pushed.delete(query.request_uri);
        if (!found || found.expires < Date.now() || query.client_id !== CLIENT_ID) throw new Refused('invalid_request_uri');
        return found.params;
      }
      if (requires.pushedRequests) throw new Refused('invalid_request');
      if (query.request) return requestObject(query.request, query.client_id);
      if (requires.signedRequests) throw new Refused('invalid_request');
      return query;
    };

    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    const hide = { hide: true };

    app.get(`${prefix}/.well-known/openid-configuration`, { schema: hide }, async () => ({
      ...codeFlowDiscovery(issuer),
      pushed_authorization_request_endpoint: `${issuer}/par`,
      require_pushed_authorization_requests: requires.pushedRequests === true,
      request_parameter_supported: true,
      request_object_signing_alg_values_supported: SIGNING_ALGS,
      require_signed_request_object: requires.signedRequests === true,
      token_endpoint_auth_methods_supported: requires.privateKeyJwt ? ['private_key_jwt'] : ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: SIGNING_ALGS,
      ...(requires.encryptIdTokens
        ? { id_token_encryption_alg_values_supported: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES'], id_token_encryption_enc_values_supported: ['A128GCM', 'A256GCM'] }
        : {}),
    }));
    app.get(`${prefix}/jwks`, { schema: hide }, async () => ({ keys: [jwk] }));

    const AuthorizeQuery = Type.Object({
      client_id: Type.String({ maxLength: 100 }),
      redirect_uri: Type.Optional(Type.String({ maxLength: 500 })),
      state: Type.Optional(Type.String({ maxLength: 200 })),
      request: Type.Optional(Type.String({ maxLength: 8000 })),
      request_uri: Type.Optional(Type.String({ maxLength: 200 })),
    });
    // The person picks who they are; the form carries only the request's id, the request stays here.
    app.get(`${prefix}/authorize`, { schema: { ...hide, querystring: Type.Intersect([AuthorizeQuery, Type.Object({}, { additionalProperties: true })]) } }, async (request, reply) => {
      const query = request.query as Record<string, string>;
      let params: Record<string, string>;
      try {
        params = await authorizationParameters(query);
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        // Only ever back to the network's own registered redirect URI, with the state it sent (read unverified: it only routes the refusal).
        let state = query.state;
        try {
          if (query.request) state ??= String(decodeJwt(query.request).state ?? '');
        } catch {
          // not even a JWT
        }
        const back = new URL(eid.redirectUri);
        back.searchParams.set('error', error.error);
        if (state) back.searchParams.set('state', state);
        return reply.redirect(back.href, 303);
      }
      if (params.client_id !== CLIENT_ID || params.redirect_uri !== eid.redirectUri) throw new HttpProblem(400, 'invalid-request', 'The request is not valid', 'unknown client or redirect URI');
      if (!params.state || !params.nonce || !params.code_challenge || params.code_challenge_method !== 'S256')
        throw new HttpProblem(400, 'invalid-request', 'The request is not valid', 'state, nonce and an S256 code challenge are needed');
      const id = randomBytes(16).toString('base64url');
      remember(pending, id, { params, expires: Date.now() + 600_000 });
      const people = TEST_PERSONS.map((p, i) => `<li><input type="radio" name="person" id="p${i}" value="${p.id}"${i === 0 ? ' checked' : ''}> <label for="p${i}">${escapeHtml(`${p.given_name} ${p.family_name}`)}</label></li>`).join('');
      return reply
        .header('content-security-policy', PAGE_CSP)
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test eID</title></head><body><main><h1>Test eID</h1><p>Not a real identification: fictional persons for tests and the demo.</p><form method="post" action="${prefix}/authorize"><input type="hidden" name="request_id" value="${id}"><fieldset><legend>Log in as</legend><ul>${people}</ul></fieldset><button type="submit">Log in</button></form></main></body></html>`,
        );
    });
    app.post(`${prefix}/authorize`, { schema: hide }, async (request, reply) => {
      const form = request.body as Record<string, string>;
      const found = pending.get(form.request_id ?? '');
      pending.delete(form.request_id ?? '');
      const person = TEST_PERSONS.find((p) => p.id === form.person);
      if (!found || found.expires < Date.now() || !person) throw new HttpProblem(400, 'invalid-request', 'The request is not valid', 'start again and choose a person');
      const { params } = found;
      const code = randomBytes(16).toString('base64url');
      remember(codes, code, { person, challenge: params.code_challenge!, nonce: params.nonce!, redirectUri: params.redirect_uri!, expires: Date.now() + 60_000 });
      const back = new URL(params.redirect_uri!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', params.state!);
      back.searchParams.set('iss', issuer);
      return reply.redirect(back.href, 303);
    });
    app.post(`${prefix}/par`, { schema: hide }, async (request, reply) => {
      const form = request.body as Record<string, string>;
      try {
        await authenticate(request, form);
        const { client_assertion: _a, client_assertion_type: _t, client_secret: _s, ...rest } = form;
        if (!rest.request && requires.signedRequests) throw new Refused('invalid_request');
        const params = rest.request ? await requestObject(rest.request, rest.client_id) : { ...rest, client_id: CLIENT_ID };
        const requestUri = `urn:ietf:params:oauth:request_uri:${randomBytes(16).toString('base64url')}`;
        remember(pushed, requestUri, { params, expires: Date.now() + 60_000 });
        return reply.status(201).send({ request_uri: requestUri, expires_in: 60 });
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        return reply.status(error.error === 'invalid_client' ? 401 : 400).send({ error: error.error });
      }
    });
    app.post(`${prefix}/token`, { schema: hide }, async (request, reply) => {
      const form = request.body as Record<string, string>;
      try {
        await authenticate(request, form);
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        return reply.status(401).send({ error: error.error });
      }
      const grant = codes.get(form.code ?? '');
      codes.delete(form.code ?? '');
      const verifier = form.code_verifier ?? '';
      if (!grant || grant.expires < Date.now() || grant.redirectUri !== form.redirect_uri || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge)
        return reply.status(400).send({ error: 'invalid_grant' });
      const { id: _, ...claims } = grant.person;
      let idToken = await new SignJWT({ ...claims, nonce: grant.nonce, acr: 'http://ftn.ficora.fi/2017/loa3' })
        .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
        .setIssuer(issuer)
        .setAudience(CLIENT_ID)
        .setSubject(`test-${grant.person.id}`)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      if (requires.encryptIdTokens) {
        const to = (await clientKeys()).keys.find((k) => k.use === 'enc');
        if (!to) return reply.status(400).send({ error: 'invalid_client', error_description: 'no encryption key registered' });
        const alg = requires.encryptIdTokens.alg ?? to.alg ?? 'RSA-OAEP-256';
        idToken = await new CompactEncrypt(new TextEncoder().encode(idToken))
          .setProtectedHeader({ alg, enc: requires.encryptIdTokens.enc ?? 'A256GCM', cty: 'JWT', ...(to.kid ? { kid: to.kid } : {}) })
          .encrypt(await importJWK(to, alg));
      }
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
