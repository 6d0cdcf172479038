import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { audit } from '../../audit/audit.ts';
import { TooManyRequests, conflict, notFound } from '../../http/problem.ts';
import { lockBucket, recordAttempt, retryAfter, type Bucket } from '../../rate-limits/attempts.ts';
import { REDEMPTION_CODE_MINUTES, newRedemptionCode, redemptionCodeHash } from './redemption-code.ts';

/**
 * A new redemption code for the person's voucher, to show at a provider's desk: the code itself is
 * answered once and never kept (only its hash, voucher_redemption_codes), valid for
 * REDEMPTION_CODE_MINUTES. A new code ends the voucher's earlier ones that are still unused, in the
 * same transaction, so only the latest shown can be redeemed. An ended or expired voucher gets none.
 * At most CODES_PER_HOUR codes a voucher an hour (429 beyond): a desk needs one, a few retries more.
 */
export const CODES_PER_HOUR = 20;
const codesOf = (voucherId: string): Bucket => ({ key: `voucher-code:${voucherId}`, limit: CODES_PER_HOUR, windowSeconds: 3600 });

export async function showRedemptionCode(db: Db, accountId: string, voucherId: string, now = new Date()): Promise<{ code: string; expires_at: string }> {
  return db.transaction().execute(async (tx) => {
    const voucher = await tx.selectFrom('vouchers').select(['id', 'status', 'valid_until']).where('id', '=', voucherId).where('account_id', '=', accountId).forUpdate().executeTakeFirst();
    if (!voucher) throw notFound(`no voucher ${voucherId}`);
    if (voucher.status !== 'active' || voucher.valid_until <= now) throw conflict('voucher-not-active', 'The voucher can no longer be used', 'the voucher has expired or its value was returned');
    const bucket = codesOf(voucherId);
    await lockBucket(tx, bucket);
    const wait = await retryAfter(tx, bucket);
    if (wait > 0) throw new TooManyRequests(wait, `at most ${CODES_PER_HOUR} codes a voucher an hour: try again in ${wait} s`);
    await recordAttempt(tx, bucket);
    await tx
      .updateTable('voucher_redemption_codes')
      .set({ expires_at: sql<Date>`least(expires_at, ${now})` })
      .where('voucher_id', '=', voucherId)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .execute();
    const code = newRedemptionCode();
    const expires = new Date(Math.min(now.getTime() + REDEMPTION_CODE_MINUTES * 60_000, voucher.valid_until.getTime()));
    await tx.insertInto('voucher_redemption_codes').values({ code_hash: redemptionCodeHash(code), voucher_id: voucherId, created_at: now, expires_at: expires, used_at: null, order_id: null }).execute();
    await audit(tx, { actor: 'person', action: 'voucher.redemption-code', target: voucherId });
    return { code, expires_at: expires.toISOString() };
  });
}
