import type { Language } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';
import type { ConsentService } from '../transfers/transfers.ts';
import { readProfile } from '../profile/read-profile.ts';
import { eventConsentReceipts } from '../events/event-consent-receipt.ts';
import { listMyEvents } from '../events/list-my-events.ts';
import { listMyRequests } from '../register-facts/list-my-requests.ts';
import { wallet } from '../vouchers/wallet/wallet.ts';
import { listChecks } from './checks.ts';
import { listConsents } from './consents.ts';

// The export names the kind of actor only: a client's id would tell the person nothing and is not theirs.
type ActorKind = 'person' | 'service' | 'system';
const actorKind = (actor: string): ActorKind => (actor === 'person' ? 'person' : actor === 'system' ? 'system' : 'service');

// The file is the person's: what it is, in their language (the data itself stays as the API names it).
const ABOUT: Record<Language, string> = {
  fi: 'Kaikki, mitä Aurora-verkosto säilyttää henkilöavaimellesi: suostumuksesi allekirjoitettuine kuitteineen ja mitä niille tapahtui, tallentamasi tarkistukset sekä profiilisi tiedot ja niiden historia. Jos olet kirjautunut, myös kirjautumiseesi liittyvät elämäntapahtumat, niiden suostumukset, rekisteritietopyynnöt sekä palvelusetelit tilauksineen. Lähettämäsi arvot eivät ole tässä: verkosto poistaa ne, kun ne on luovutettu, suostumus peruttu tai sen aika on kulunut umpeen.',
  sv: 'Allt som Aurora-nätverket har sparat för din personnyckel: dina samtycken med deras undertecknade kvitton och vad som hänt med dem, de kontroller du sparat, och din profil med dess historik. Om du har loggat in också din inloggnings livshändelser, samtycken till dem, förfrågningar om registeruppgifter och servicesedlar med beställningar. Värdena du skickade finns inte här: nätverket raderar dem när de har lämnats ut, återkallats eller gått ut.',
  en: 'Everything the Aurora network holds for your person key: your consents with their signed receipts and what happened to them, the checks you saved, and your profile with its history. If you have logged in, also your login\'s life events, your consents to them, register fact requests, and service vouchers with their orders. The values you sent are not here: the network deletes them once they are handed over, withdrawn or expired.',
};

/** Everything the network holds for the person: their consents with receipts and events, saved checks, and their profile. Audited when there is anything. */
export async function exportAll(db: Db, consent: ConsentService, person: string, language: Language = 'en') {
  const consents = await listConsents(db, person);
  const ids = consents.map((c) => c.id);
  const events = ids.length
    ? await db.selectFrom('consent_audit').select(['at', 'event', 'consent_id', 'actor', 'reason']).where('consent_id', 'in', ids).orderBy('seq').execute()
    : [];
  const checks = await listChecks(db, consent.keyring, person);
  const profile = await readProfile(db, consent.keyring, person);
  const account = await accountData(db, consent, person);
  // A key that holds nothing (anyone can make one) leaves no row behind: the audit log is kept for good.
  if (consents.length > 0 || checks.checks.length > 0 || checks.unreadable > 0 || profile.history.length > 0 || account)
    await audit(db, {
      actor: 'person',
      action: 'person.export',
      details: {
        consents: consents.length,
        checks: checks.checks.length,
        profile_attributes: profile.attributes.length,
        ...(account ? { life_events: account.life_events.length, event_consents: account.event_consents.length, register_fact_requests: account.register_fact_requests.length, vouchers: account.vouchers.length } : {}),
      },
    });
  return {
    exported_at: new Date().toISOString(),
    language,
    about: ABOUT[language],
    consents,
    consent_events: events.map((e) => ({ at: new Date(e.at).toISOString(), event: e.event, consent_id: e.consent_id, actor: actorKind(e.actor), reason: e.reason })),
    checks: checks.checks,
    unreadable_checks: checks.unreadable,
    profile,
    account,
  };
}

/**
 * What the network holds for the login the key is attached to (null when none): the same the
 * erasure of the key erases with it (erase.ts), so that the export shows everything the erasure takes.
 */
async function accountData(db: Db, consent: ConsentService, person: string) {
  const link = await db.selectFrom('identity_account_persons').select('account_id').where('person', '=', person).executeTakeFirst();
  if (!link) return null;
  const accountId = link.account_id;
  const [lifeEvents, eventConsents, factRequests, vouchers] = await Promise.all([
    listMyEvents(db, accountId, 10_000),
    eventConsentReceipts(db, accountId),
    listMyRequests(db, consent.keyring, accountId),
    wallet(db, accountId),
  ]);
  return { life_events: lifeEvents, event_consents: eventConsents, register_fact_requests: factRequests, vouchers };
}
