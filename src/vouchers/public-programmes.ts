import { codeLists } from '../catalogue/codelists.ts';
import type { Db } from '../db/database.ts';
import { notFound } from '../http/problem.ts';
import type { Programme } from './schemas.ts';
import { readProgrammes } from './store.ts';

/**
 * What anyone may read of the open programmes, before logging in: who pays, what it funds, for whom,
 * the voucher's value and who pays what (the Act on Service Vouchers, 569/2009, has the county tell
 * its clients the value and how the client's share is set). Never the budget cap or what is left of
 * it: that is the payer's to publish, and a running count would invite a race for the last vouchers.
 */
export async function publicProgrammes(db: Db, id?: string) {
  const programmes = await readProgrammes(db, { status: 'open', ...(id ? { id } : {}) });
  if (programmes.length === 0) return [];
  const memberIds = [...new Set(programmes.flatMap((p) => [p.member_id, ...p.funds.providers]))];
  const serviceIds = [...new Set(programmes.flatMap((p) => p.funds.services))];
  const [members, services] = await Promise.all([
    db.selectFrom('members').select(['id', 'name']).where('id', 'in', memberIds).execute(),
    serviceIds.length > 0 ? db.selectFrom('services').select(['id', 'name']).where('id', 'in', serviceIds).execute() : Promise.resolve([]),
  ]);
  const memberName = (id: string) => members.find((m) => m.id === id)?.name ?? '';
  const classes = codeLists().serviceClassByCode;
  return programmes.map((p: Programme) => ({
    id: p.id,
    payer: { id: p.member_id, name: memberName(p.member_id) },
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
    funds: {
      // A service removed from the catalogue since is left out rather than named by its id alone.
      services: p.funds.services.flatMap((s) => services.filter((x) => x.id === s).map((x) => ({ id: x.id, name: x.name }))),
      service_classes: p.funds.service_classes.map((code) => ({ code, name: classes.get(code)?.name ?? {} })),
      providers: p.funds.providers.map((m) => ({ id: m, name: memberName(m) })),
    },
  }));
}

/** One open programme, or 404 (a draft or closed one is as unknown as none). */
export async function publicProgramme(db: Db, id: string) {
  const [programme] = await readProgrammes(db, { status: 'open', id });
  if (!programme) throw notFound(`no open voucher programme ${id}`);
  return programme;
}
