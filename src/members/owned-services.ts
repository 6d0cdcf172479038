import type { Db } from '../db/database.ts';

/**
 * The services that are a member's: its verified claims, and the services its clients created. A
 * claim still waiting for verification gives the member nothing — no catalogue writes, no transfer
 * targets, no statistics — so that no member gets another's people by claiming its service.
 */
export function ownedServiceIds(db: Db, memberId: string) {
  return db
    .selectFrom('member_services')
    .select('service_id')
    .where('member_id', '=', memberId)
    .where('verified_at', 'is not', null)
    .union(db.selectFrom('services').select('id as service_id').where('owner_member_id', '=', memberId));
}
