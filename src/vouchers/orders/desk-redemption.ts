import type { LocalizedText } from '../../catalogue/model.ts';
import { audit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { HttpProblem } from '../../http/problem.ts';
import { limitedAttempt } from '../../rate-limits/attempts.ts';
import { waitText } from '../../rate-limits/per-address.ts';
import { sharesOf, type Unit } from '../programmes/co-payment.ts';
import { deskFailureBuckets } from './limits.ts';
import { placeOrderIn, unitsHeld } from './place-order.ts';
import type { PricedService } from './provided-programmes.ts';
import { providerOrder, type ProviderOrder } from './provider-orders.ts';
import { normaliseRedemptionCode, redemptionCodeHash } from '../wallet/redemption-code.ts';
import { readProgrammes } from '../programmes/store.ts';
import { fundsServiceAt } from '../programmes/where-usable.ts';

/** What the desk sees of a voucher whose code a person showed: enough to book, nothing about the person. */
export interface DeskVoucher {
  programme: { id: string; name: LocalizedText; unit: Unit; payer: string; co_payment_explained: Record<'fi' | 'sv' | 'en', string> };
  units: number;
  units_left: number;
  valid_until: string;
  code_expires_at: string;
  /** The member's priced services the voucher pays for: what the desk can book. */
  services: PricedService[];
}

export interface DeskCall {
  memberId: string;
  /** The code as typed or scanned. */
  code: string;
  /** The caller's address, for the per-address limit on wrong codes. */
  ip: string;
  /** The staff user, for the audit log and the order's history. */
  actor: string;
}

const unknownCode = () => new HttpProblem(404, 'unknown-code', 'No such code', 'no valid redemption code is that: check it with the person, or ask them for a new one (a code is valid for 10 minutes and once)');
const notUsableHere = () => new HttpProblem(422, 'not-usable-here', 'The voucher cannot be used here', 'the voucher does not pay for any service your organisation has priced in its programme');
const tooMany = (wait: number) => `too many wrong redemption codes: try again in ${waitText(wait)}`;

/**
 * The voucher behind a code a person shows at the desk: its programme, units left, how long it is
 * valid, and which of the member's priced services it pays for. A code that is not one, unknown,
 * used or expired is 404, and one for a voucher the member cannot take is 422; both count against
 * the per-address and per-member limits on wrong codes (limits.ts), so that codes cannot be
 * guessed at a desk.
 */
export async function lookUpCode(db: Db, call: DeskCall): Promise<DeskVoucher> {
  return limitedAttempt(db, deskFailureBuckets(call.memberId, call.ip), tooMany, async (failed) => {
    const code = await liveCode(db, call.code);
    if (!code) {
      failed();
      throw unknownCode();
    }
    const found = await deskVoucher(db, call.memberId, code.voucher_id, code.expires_at);
    if (found.services.length === 0) {
      failed();
      throw notUsableHere();
    }
    await audit(db, { actor: call.actor, action: 'voucher.look-up-by-code', target: code.voucher_id, memberId: call.memberId });
    return found;
  });
}

export interface DeskRedemption extends DeskCall {
  /** From the request's Idempotency-Key (keyedId): a retry finds the order booked. */
  orderId: string;
  serviceId: string;
  units: number;
  note?: string | null | undefined;
}

/**
 * Books units of one of the member's priced services on the voucher whose code the person showed:
 * an order accepted at once (placeOrder via the desk), and the code marked used by it, in one
 * transaction, so a code books once and a failed booking leaves it unused. The same order id again
 * answers the order booked.
 */
export async function redeemAtDesk(db: Db, call: DeskRedemption): Promise<{ order: ProviderOrder; replayed: boolean }> {
  const booked = await db.selectFrom('voucher_orders').selectAll().where('id', '=', call.orderId).where('provider_member_id', '=', call.memberId).where('via', '=', 'desk').executeTakeFirst();
  if (booked) return { order: await providerOrder(db, booked), replayed: true };
  return limitedAttempt(db, deskFailureBuckets(call.memberId, call.ip), tooMany, async (failed) => {
    const hash = hashOf(call.code);
    const order = await db.transaction().execute(async (tx) => {
      const code = hash && (await tx.selectFrom('voucher_redemption_codes').selectAll().where('code_hash', '=', hash).forUpdate().executeTakeFirst());
      if (!code || code.used_at !== null || code.expires_at <= new Date()) {
        failed();
        throw unknownCode();
      }
      const { order } = await placeOrderIn(tx, {
        orderId: call.orderId,
        voucherId: code.voucher_id,
        providerMemberId: call.memberId,
        serviceId: call.serviceId,
        units: call.units,
        via: 'desk',
        actor: { kind: 'provider', id: call.actor },
        note: call.note ?? null,
      });
      // The code's row is locked since it was read unused: no other desk can book with it meanwhile.
      await tx.updateTable('voucher_redemption_codes').set({ used_at: new Date(), order_id: order.id }).where('code_hash', '=', code.code_hash).execute();
      await audit(tx, { actor: call.actor, action: 'voucher-order.desk', target: order.id, memberId: call.memberId, details: { service: call.serviceId, units: call.units } });
      return order;
    });
    return { order: await providerOrder(db, order), replayed: false };
  });
}

function hashOf(typed: string): string | undefined {
  return normaliseRedemptionCode(typed) ? redemptionCodeHash(typed) : undefined;
}

async function liveCode(db: Db, typed: string) {
  const hash = hashOf(typed);
  if (!hash) return undefined;
  return db.selectFrom('voucher_redemption_codes').select(['voucher_id', 'expires_at']).where('code_hash', '=', hash).where('used_at', 'is', null).where('expires_at', '>', new Date()).executeTakeFirst();
}

async function deskVoucher(db: Db, memberId: string, voucherId: string, codeExpiresAt: Date): Promise<DeskVoucher> {
  const voucher = await db.selectFrom('vouchers').selectAll().where('id', '=', voucherId).executeTakeFirstOrThrow();
  const [programme] = await readProgrammes(db, { id: voucher.programme_id });
  const payer = await db.selectFrom('members').select('name').where('id', '=', programme!.member_id).executeTakeFirstOrThrow();
  const prices = await db
    .selectFrom('voucher_prices as p')
    .innerJoin('services as s', 's.id', 'p.service_id')
    .select(['p.service_id', 'p.price_per_unit_cents', 's.name'])
    .where('p.programme_id', '=', programme!.id)
    .where('p.member_id', '=', memberId)
    .orderBy('s.sort_name')
    .execute();
  const services: PricedService[] = [];
  if (voucher.status === 'active' && voucher.valid_until > new Date())
    for (const price of prices) {
      if (!(await fundsServiceAt(db, programme!, price.service_id, memberId))) continue;
      const shares = sharesOf(programme!.co_payment, programme!.value_per_unit_cents, price.price_per_unit_cents);
      services.push({ service_id: price.service_id, name: price.name, price_per_unit_cents: price.price_per_unit_cents, payer_per_unit_cents: shares.payerCents, person_per_unit_cents: shares.personCents });
    }
  return {
    programme: { id: programme!.id, name: programme!.name, unit: programme!.unit, payer: payer.name, co_payment_explained: programme!.co_payment_explained },
    units: voucher.units,
    units_left: voucher.units - (await unitsHeld(db, voucher.id)),
    valid_until: voucher.valid_until.toISOString(),
    code_expires_at: codeExpiresAt.toISOString(),
    services,
  };
}
