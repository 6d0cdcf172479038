import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';

/**
 * The member that runs the demo's own services (the demo service that logs in with Aurora and hears
 * life events): approved from the start, without staff, so that nobody logs in to the console as it.
 * Its services are member services like any other, which the life event consents and webhooks need
 * (they name a member). Only a demo start makes it; the business ID 0000000-0 is valid in form and
 * belongs to no organisation.
 */
export const DEMO_MEMBER_ID = '8f1d9a52-6c3e-4f7b-9e21-3d5a0c7b4e10';
export const DEMO_MEMBER_NAME = 'Aurora-demo';
export const DEMO_MEMBER_BUSINESS_ID = '0000000-0';

/** The demo member's id; made (approved, audited) on the first call. */
export async function ensureDemoMember(db: Db): Promise<string> {
  const present = await db.selectFrom('members').select('id').where('id', '=', DEMO_MEMBER_ID).executeTakeFirst();
  if (present) return DEMO_MEMBER_ID;
  await db.transaction().execute(async (tx) => {
    const made = await tx
      .insertInto('members')
      .values({
        id: DEMO_MEMBER_ID,
        name: DEMO_MEMBER_NAME,
        business_id: DEMO_MEMBER_BUSINESS_ID,
        contact_name: DEMO_MEMBER_NAME,
        contact_email: 'demo@aurora.invalid',
        status: 'approved',
        decided_at: new Date(),
        decision_reason: 'the demo start',
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (made) await audit(tx, { actor: 'demo', action: 'member.approve', target: DEMO_MEMBER_ID, memberId: DEMO_MEMBER_ID, details: { name: DEMO_MEMBER_NAME, reason: 'the demo start' } });
  });
  return DEMO_MEMBER_ID;
}
