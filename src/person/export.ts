import type { Language } from '../catalogue/model.ts';
import type { Db } from '../db/database.ts';
import { audit } from '../audit/audit.ts';
import type { ConsentService } from '../transfers/transfers.ts';
import { readProfile } from '../profile/read-profile.ts';
import { listChecks } from './checks.ts';
import { listConsents } from './consents.ts';

// The export names the kind of actor only: a client's id would tell the person nothing and is not theirs.
type ActorKind = 'person' | 'service' | 'system';
const actorKind = (actor: string): ActorKind => (actor === 'person' ? 'person' : actor === 'system' ? 'system' : 'service');

// The file is the person's: what it is, in their language (the data itself stays as the API names it).
const ABOUT: Record<Language, string> = {
  fi: 'Kaikki, mitä Aurora-verkosto säilyttää henkilöavaimellesi: suostumuksesi allekirjoitettuine kuitteineen ja mitä niille tapahtui, tallentamasi tarkistukset sekä profiilisi tiedot ja niiden historia. Lähettämäsi arvot eivät ole tässä: verkosto poistaa ne, kun ne on luovutettu, suostumus peruttu tai sen aika on kulunut umpeen.',
  sv: 'Allt som Aurora-nätverket har sparat för din personnyckel: dina samtycken med deras undertecknade kvitton och vad som hänt med dem, de kontroller du sparat, och din profil med dess historik. Värdena du skickade finns inte här: nätverket raderar dem när de har lämnats ut, återkallats eller gått ut.',
  en: 'Everything the Aurora network holds for your person key: your consents with their signed receipts and what happened to them, the checks you saved, and your profile with its history. The values you sent are not here: the network deletes them once they are handed over, withdrawn or expired.',
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
  // A key that holds nothing (anyone can make one) leaves no row behind: the audit log is kept for good.
  if (consents.length > 0 || checks.checks.length > 0 || checks.unreadable > 0 || profile.history.length > 0)
    await audit(db, { actor: 'person', action: 'person.export', details: { consents: consents.length, checks: checks.checks.length, profile_attributes: profile.attributes.length } });
  return {
    exported_at: new Date().toISOString(),
    language,
    about: ABOUT[language],
    consents,
    consent_events: events.map((e) => ({ at: new Date(e.at).toISOString(), event: e.event, consent_id: e.consent_id, actor: actorKind(e.actor), reason: e.reason })),
    checks: checks.checks,
    unreadable_checks: checks.unreadable,
    profile,
  };
}
