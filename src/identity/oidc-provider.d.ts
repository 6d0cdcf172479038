/**
 * The part of oidc-provider 9 (which ships no types) that src/identity uses. Kept narrow on purpose:
 * anything the network starts using is declared here first.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface AdapterPayload {
    [key: string]: unknown;
    uid?: string;
    grantId?: string;
    userCode?: string;
    consumed?: unknown;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export type AdapterConstructor = new (name: string) => Adapter;

  export interface ClaimsAccount {
    accountId: string;
    claims(use: string, scope: string, claims: Record<string, unknown>, rejected: string[]): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface ClientLike {
    clientId: string;
    clientName?: string;
    sectorIdentifier?: string;
    redirectUris: string[];
    [key: string]: unknown;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown> & { client_id: string; scope?: string; ui_locales?: string; redirect_uri?: string };
    session?: { accountId: string; uid: string; cookie: string };
    grantId?: string;
    lastSubmission?: Record<string, unknown>;
    returnTo: string;
    exp: number;
    result?: Record<string, unknown>;
    save(ttl: number): Promise<string>;
  }

  export class Grant {
    constructor(properties?: { accountId?: string; clientId?: string });
    static find(id: string): Promise<Grant | undefined>;
    accountId?: string;
    clientId?: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    rejectOIDCScope(scope: string): void;
    rejectOIDCClaims(claims: string[]): void;
    getOIDCScope(): string;
    save(ttl?: number): Promise<string>;
  }

  export interface Configuration {
    [key: string]: unknown;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    issuer: string;
    proxy: boolean;
    Grant: typeof Grant & (new (properties?: { accountId?: string; clientId?: string }) => Grant);
    Interaction: { find(uid: string): Promise<InteractionDetails | undefined> };
    Client: { find(id: string): Promise<ClientLike | undefined> };
    AccessToken: { find(value: string): Promise<AccessTokenLike | undefined> };
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    on(event: string, listener: (...args: any[]) => void): this;
    urlFor(name: string, options?: Record<string, unknown>): string;
    registerGrantType(name: string, handler: (ctx: any) => Promise<void>, parameters?: string[], allowedDuplicates?: string[]): void;
  }

  /** An access token as oidc-provider keeps it (opaque format) and finds it (undefined once expired or gone). */
  export interface AccessTokenLike {
    jti: string;
    accountId?: string;
    clientId?: string;
    grantId?: string;
    scope?: string;
    gty?: string;
    /** Set when the token is DPoP-bound: the thumbprint of the key that must sign each use. */
    jkt?: string;
    'x5t#S256'?: string;
    exp?: number;
    aud?: string | string[];
    sessionUid?: string;
    expiresWithSession?: boolean;
  }

  export const errors: Record<string, new (...args: any[]) => Error>;
}

declare module 'oidc-provider/lib/helpers/validate_dpop.js' {
  /** The DPoP proof of a request at one of the provider's endpoints, verified; undefined when none was sent. */
  export default function validateDpop(provider: unknown, ctx: unknown, accessToken?: string): Promise<{ thumbprint: string; jti: string; iat: number } | undefined>;
  export function checkDpopReplay(provider: unknown, ctx: unknown, dPoP: unknown, clientId: string, ErrorClass?: new (description?: string) => Error): Promise<void>;
}
