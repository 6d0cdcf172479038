import type { Language } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import { HttpProblem, TooManyRequests } from '../http/problem.ts';
import { addressBucket, spendAddressAttempt } from '../rate-limits/per-address.ts';
import { limitedAttempt } from '../rate-limits/attempts.ts';
import { normaliseCode, redeemCode } from '../transfers/codes.ts';
import type { ConsentService } from '../transfers/transfers.ts';
import { deskPage, receiverPage, receiverRefusedPage, type Refusal } from './pages.ts';
import { codeKnown, tokenKnown } from './known.ts';
import { DEMO_DESK_FAILURES, DEMO_PAGES } from './limits.ts';
import { DEMO_CLIENT_NAME, DEMO_WEB_CHANNEL_ID } from './receiving-service.ts';

/**
 * What the demo receiving service does with a person's link or code: redeem it in-process as the
 * demo client, through the API's own redemption (the same refusals and lockout), and answer with
 * the page that says what arrived or why nothing did. Anyone can reach these pages: they are limited
 * per address (limits.ts), and a token or code that names no transfer is refused before the
 * redemption, so that it writes nothing that stays (known.ts).
 */

export interface DemoPage {
  status: number;
  html: string;
  /** Set when the answer is 429: the wait, for a Retry-After header. */
  retryAfterSeconds?: number;
}

/**
 * The demo client's internal id: the client its demo channel names, while that client is still the
 * demo's own and active. Revoking or suspending it turns the demo pages off; a channel pointed at
 * another client never lets these public pages redeem as that client.
 */
async function demoClientId(db: Db): Promise<string | undefined> {
  const row = await db
    .selectFrom('transfer_targets as t')
    .innerJoin('api_clients as c', 'c.id', 't.client_id')
    .select(['c.id', 'c.name', 'c.scopes', 'c.member_id', 'c.revoked_at', 'c.suspended_at'])
    .where('t.channel_id', '=', DEMO_WEB_CHANNEL_ID)
    .executeTakeFirst();
  if (!row || row.name !== DEMO_CLIENT_NAME || row.member_id !== null || row.revoked_at || row.suspended_at || !row.scopes.includes('transfer:receive')) return undefined;
  return row.id;
}

/** The person-facing reason behind a redemption's problem; anything else is not ours to explain. */
function refusalOf(error: unknown): Refusal | undefined {
  if (error instanceof TooManyRequests) return 'rate-limited';
  if (!(error instanceof HttpProblem)) return undefined;
  const byKind: Record<string, Refusal> = {
    'not-found': 'unknown',
    forbidden: 'wrong-client',
    'invalid-request': 'not-a-code',
    'transfer-used': 'used',
    'transfer-expired': 'expired',
    'transfer-withdrawn': 'withdrawn',
    'transfer-gone': 'gone',
    'transfer-code-locked': 'locked',
    'payload-key-missing': 'unavailable',
    'payload-unreadable': 'unavailable',
  };
  return byKind[error.kind];
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The landing page of a link (`?aurora_token=`). */
export async function receiveByLink(db: Db, consent: ConsentService, lang: Language, token: string | undefined, address: string): Promise<DemoPage> {
  if (!token) return { status: 400, html: receiverRefusedPage(lang, 'no-token') };
  const clientId = await demoClientId(db);
  if (!clientId) return { status: 404, html: receiverRefusedPage(lang, 'not-set-up') };
  try {
    await spendAddressAttempt(db, DEMO_PAGES, address);
  } catch (error) {
    if (error instanceof TooManyRequests)
      return { status: 429, html: receiverRefusedPage(lang, 'address-limited', error.retryAfterSeconds), retryAfterSeconds: error.retryAfterSeconds };
    throw error;
  }
  // An unknown token stops here: its refusal would be appended to the consent audit chain for good.
  if (!TOKEN.test(token) || !(await tokenKnown(db, token))) return { status: 404, html: receiverRefusedPage(lang, 'unknown') };
  try {
    const redeemed = await consent.redeem(token, clientId);
    return { status: 200, html: receiverPage(lang, redeemed) };
  } catch (error) {
    const refusal = refusalOf(error);
    if (!refusal) throw error;
    return { status: (error as HttpProblem).status, html: receiverRefusedPage(lang, refusal) };
  }
}

/**
 * The desk's form, sent with the code a person showed or read out. Limited per address: every code
 * sent (DEMO_PAGES), and the wrong ones (DEMO_DESK_FAILURES: unknown, not a code, another service's).
 * An unknown code is refused before the redemption, so that it leaves nothing behind.
 */
export async function receiveByCode(db: Db, consent: ConsentService, lang: Language, typed: string, address: string): Promise<DemoPage> {
  if (!typed.trim()) return { status: 400, html: deskPage(lang, { refusal: 'empty' }) };
  const clientId = await demoClientId(db);
  if (!clientId) return { status: 404, html: deskPage(lang, { refusal: 'not-set-up' }) };
  const refused = (status: number, refusal: Refusal, retryAfterSeconds = 0): DemoPage => ({
    status,
    html: deskPage(lang, { refusal, typed, retryAfterSeconds }),
    ...(status === 429 ? { retryAfterSeconds } : {}),
  });
  try {
    await spendAddressAttempt(db, DEMO_PAGES, address);
  } catch (error) {
    if (error instanceof TooManyRequests) return refused(429, 'address-limited', error.retryAfterSeconds);
    throw error;
  }
  const failures = [addressBucket(DEMO_DESK_FAILURES, address)];
  try {
    return await limitedAttempt(db, failures, (wait) => `too many wrong codes: try again in ${wait} s`, async (failed) => {
      const code = normaliseCode(typed);
      if (!code) {
        failed();
        return refused(400, 'not-a-code');
      }
      if (!(await codeKnown(db, consent.keyring, code))) {
        failed();
        return refused(404, 'unknown');
      }
      try {
        return { status: 200, html: deskPage(lang, { received: await redeemCode(db, consent, typed, clientId) }) };
      } catch (error) {
        const refusal = refusalOf(error);
        if (!refusal) throw error;
        if (refusal === 'wrong-client') failed();
        return refused((error as HttpProblem).status, refusal, error instanceof TooManyRequests ? error.retryAfterSeconds : 0);
      }
    });
  } catch (error) {
    if (error instanceof TooManyRequests) return refused(429, 'rate-limited', error.retryAfterSeconds);
    throw error;
  }
}
