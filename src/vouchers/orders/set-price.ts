import { audit } from '../../audit/audit.ts';
import type { Db } from '../../db/database.ts';
import { HttpProblem, notFound } from '../../http/problem.ts';
import { sharesOf } from '../programmes/co-payment.ts';
import type { PricedService } from './provided-programmes.ts';
import { readProgrammes } from '../programmes/store.ts';
import { fundsServiceAt } from '../programmes/where-usable.ts';

export interface SetPrice {
  memberId: string;
  programmeId: string;
  serviceId: string;
  priceCents: number;
  actor: string;
}

/**
 * A provider's price per unit for one of its services in an open programme: what a booking from
 * now on is charged (an order keeps the price it was booked at). 422 when the programme does not
 * pay for the service at this provider; 404 for a programme that is not open. Audited with the
 * price before and after.
 */
export async function setPrice(db: Db, input: SetPrice): Promise<PricedService> {
  const [programme] = await readProgrammes(db, { id: input.programmeId, status: 'open' });
  if (!programme) throw notFound(`no open voucher programme ${input.programmeId}`);
  if (!(await fundsServiceAt(db, programme, input.serviceId, input.memberId)))
    throw new HttpProblem(422, 'not-funded', 'The programme does not pay for this service here', "the programme does not fund this service at your organisation: it is not one of the programme's services, or not your organisation's");
  const service = await db.selectFrom('services').select('name').where('id', '=', input.serviceId).executeTakeFirstOrThrow();
  await db.transaction().execute(async (tx) => {
    const before = await tx
      .selectFrom('voucher_prices')
      .select('price_per_unit_cents')
      .where('programme_id', '=', input.programmeId)
      .where('member_id', '=', input.memberId)
      .where('service_id', '=', input.serviceId)
      .forUpdate()
      .executeTakeFirst();
    await tx
      .insertInto('voucher_prices')
      .values({ programme_id: input.programmeId, member_id: input.memberId, service_id: input.serviceId, price_per_unit_cents: input.priceCents })
      .onConflict((oc) => oc.columns(['programme_id', 'member_id', 'service_id']).doUpdateSet({ price_per_unit_cents: input.priceCents, updated_at: new Date() }))
      .execute();
    await audit(tx, {
      actor: input.actor,
      action: 'voucher-price.set',
      target: input.programmeId,
      memberId: input.memberId,
      details: { service: input.serviceId, cents_before: before?.price_per_unit_cents ?? null, cents: input.priceCents },
    });
  });
  const shares = sharesOf(programme.co_payment, programme.value_per_unit_cents, input.priceCents);
  return { service_id: input.serviceId, name: service.name, price_per_unit_cents: input.priceCents, payer_per_unit_cents: shares.payerCents, person_per_unit_cents: shares.personCents };
}
