import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';
import { detachPerson } from '../identity/accounts/account-person.ts';
import { eraseAccountEvents } from '../events/erase-account-events.ts';
import { eraseProfile } from '../profile/erase-profile.ts';
import { forgetRegisterData } from '../registers/forget-account.ts';
import { eraseAccountRequests } from '../register-facts/erase-account-requests.ts';
import { returnAccountVouchers } from '../vouchers/wallet/end-vouchers.ts';
import { appendConsentAudit } from '../transfers/audit-chain.ts';
import { deleteAllChecks } from './checks.ts';
import { lockPerson } from './person-key.ts';

/**
 * Erases everything for the person: consents still waiting are withdrawn (their values deleted),
 * the list, the saved checks, the profile (its data key first: crypto-shredding), the account's life
 * events and its consents to them, its register fact requests (a fact approved and not yet collected
 * with them), its vouchers' unused value (returned to the programmes' budgets), the link to an account and the person's rate-limit entries are deleted. The consent records stay (the receiving
 * service's and the audit log's), no longer linked to the person.
 */
export async function erasePerson(db: Db, person: string) {
  return db.transaction().execute(async (tx) => {
    await lockPerson(tx, person);
    const waiting = await tx
      .updateTable('consents')
      .set({ status: 'withdrawn', withdrawn_at: new Date(), payload: null, payload_key: null })
      .where('status', '=', 'given')
      .where('id', 'in', (eb) => eb.selectFrom('person_consents').select('consent_id').where('person', '=', person))
      .returning('id')
      .execute();
    await appendConsentAudit(tx, waiting.map(({ id }) => ({ event: 'withdraw' as const, consentId: id, actor: 'person', reason: 'erase' })));
    const forgotten = await tx.deleteFrom('person_consents').where('person', '=', person).executeTakeFirst();
    const checks = await deleteAllChecks(tx, person);
    const profile = await eraseProfile(tx, person);
    const account = await tx.selectFrom('identity_account_persons').select('account_id').where('person', '=', person).executeTakeFirst();
    const events = account ? await eraseAccountEvents(tx, account.account_id) : { events: 0, consents: 0 };
    // The income baseline a register connector keeps to tell a rise or a drop.
    if (account) await forgetRegisterData(tx, account.account_id);
    const factRequests = account ? await eraseAccountRequests(tx, account.account_id) : 0;
    // Bookings not delivered are cancelled and the vouchers' unused value goes back to the programmes' budgets.
    const vouchers = account ? await returnAccountVouchers(tx, account.account_id) : 0;
    const detached = await detachPerson(tx, person);
    await tx.deleteFrom('consent_rate_events').where('bucket', '=', `transfer-person:${person}`).execute();
    const summary = {
      withdrawn: waiting.length,
      consents_forgotten: Number(forgotten.numDeletedRows),
      checks_deleted: checks,
      profile_attributes_deleted: profile,
      life_events_deleted: events.events,
      event_consents_deleted: events.consents,
      register_fact_requests_deleted: factRequests,
      vouchers_returned: vouchers,
    };
    // Erasing nothing (a key anyone can make) leaves no row behind: the audit log is kept for good.
    if (Object.values(summary).some((n) => n > 0) || detached)
      await audit(tx, { actor: 'person', action: 'person.erase', details: { ...summary, account_detached: detached } });
    return summary;
  });
}
