import type { Db } from '../../db/database.ts';
import { notFound } from '../../http/problem.ts';
import type { Programme } from './schemas.ts';
import { readProgrammes } from './store.ts';

/**
 * What anyone may read of the open programmes, before logging in: who pays, what it funds, for whom,
 * the voucher's value and who pays what (the Act on Service Vouchers, 569/2009, has the county tell
 * its clients the value and how the client's share is set). Never the budget cap or what is left of
 * it: that is the payer's to publish, and a running count would invite a race for the last vouchers.
 * At most 500, the first made first.
 */
export async function publicProgrammes(db: Db): Promise<{ programmes: ReturnType<typeof publicView>[]; truncated: boolean }> {
  const all = await readProgrammes(db, { status: 'open', limit: PUBLIC_LIMIT + 1 });
  const programmes = all.slice(0, PUBLIC_LIMIT);
  if (programmes.length === 0) return { programmes: [], truncated: false };
  const payers = await db.selectFrom('members').select(['id', 'name']).where('id', 'in', [...new Set(programmes.map((p) => p.member_id))]).execute();
  return { programmes: programmes.map((p) => publicView(p, payers.find((m) => m.id === p.member_id)?.name ?? '')), truncated: all.length > PUBLIC_LIMIT };
}

const PUBLIC_LIMIT = 500;

function publicView(p: Programme, payer: string) {
  return {
    id: p.id,
    payer: { id: p.member_id, name: payer },
    name: p.name,
    description: p.description,
    unit: p.unit,
    value_per_unit_cents: p.value_per_unit_cents,
    units_per_voucher: p.units_per_voucher,
    valid_from: p.valid_from,
    valid_until: p.valid_until,
    voucher_validity_days: p.voucher_validity_days,
    co_payment: p.co_payment,
    co_payment_explained: p.co_payment_explained,
    eligibility: p.eligibility,
    eligibility_explained: p.eligibility_explained,
    per_person_limit: p.per_person_limit,
    // A service since removed from the catalogue is left out rather than named by its id alone.
    funds: { ...p.funds_named, services: p.funds_named.services.filter((s) => Object.keys(s.name).length > 0) },
  };
}

/** One open programme, or 404 (a draft or closed one is as unknown as none). */
export async function publicProgramme(db: Db, id: string) {
  const [programme] = await readProgrammes(db, { status: 'open', id });
  if (!programme) throw notFound(`no open voucher programme ${id}`);
  return programme;
}
