import type { Db } from '../db/database.ts';
import { isValidIdentityCode } from '../identity/suomifi/identity-code.ts';
import type { ConnectorEvent, KnownPerson, ReadRecord, RegisterConnector, RegisterSource } from './connector.ts';
import { isDay, isMunicipalityCode, isObject } from './read-fields.ts';

/**
 * The population register's change interface, modelled on DVV's VTJ change service
 * ("muutostietopalvelu"; what could be confirmed of it is in docs/events.md): the client asks for the
 * changes after the last record key it has (`viimeisinKirjausavain`), and each change names the
 * person by identity code, the day it happened and the data groups that changed with their new
 * values. The record key is the cursor.
 */
export interface PopulationChange {
  /** The change's own key in the register: the event's source id, so a change read twice is one event. */
  kirjausavain: number;
  henkilotunnus: string;
  /** yyyy-mm-dd */
  muutospaiva: string;
  /** The person's home municipality after the change (three digits). */
  kotikunta?: string;
  /** A security denial: the person's municipality is never passed on. */
  turvakielto?: boolean;
  tietoryhmat: DataGroup[];
}

export type DataGroup =
  | { tietoryhma: 'KOTIKUNTA'; muutosattribuutti: 'LISATTY' | 'MUUTETTU'; kuntakoodi: string }
  | { tietoryhma: 'KOTIKUNTA'; muutosattribuutti: 'POISTETTU' }
  | { tietoryhma: 'LAPSI'; muutosattribuutti: 'LISATTY'; syntymapaiva: string }
  | { tietoryhma: 'OMAISEN_KUOLEMA'; suhde: 'PUOLISO' | 'LAPSI' | 'VANHEMPI'; kuolinpaiva: string }
  | { tietoryhma: 'OPISKELU'; muutosattribuutti: 'LISATTY'; alkupaiva: string }
  | { tietoryhma: 'TYOTTOMYYS'; muutosattribuutti: 'LISATTY'; alkupaiva: string }
  | { tietoryhma: string; [field: string]: unknown };

export interface PopulationSourceAnswer {
  muutokset: unknown[];
  viimeisinKirjausavain: number;
  ajanTasalla: boolean;
}

/** What the change interface is asked: the changes after this record key (0 from the start). */
export type PopulationChangeService = (viimeisinKirjausavain: number) => Promise<PopulationSourceAnswer>;

export function populationSource(service: PopulationChangeService): RegisterSource {
  return {
    poll: async (cursor) => {
      const answer = await service(cursor === null ? 0 : Number(cursor));
      return { changes: answer.muutokset, nextCursor: String(answer.viimeisinKirjausavain) };
    },
  };
}


/** Reads a change; reasons never quote it. Data groups that mean no event are kept and ignored when mapped. */
export function readPopulationChange(record: unknown): ReadRecord<PopulationChange> {
  if (!isObject(record)) return { malformed: 'not an object' };
  const { kirjausavain, henkilotunnus, muutospaiva, kotikunta, turvakielto, tietoryhmat } = record;
  if (!Number.isSafeInteger(kirjausavain) || (kirjausavain as number) < 1) return { malformed: 'kirjausavain is not a positive whole number' };
  if (typeof henkilotunnus !== 'string' || !isValidIdentityCode(henkilotunnus.trim().toUpperCase())) return { malformed: 'henkilotunnus is not a valid identity code' };
  if (!isDay(muutospaiva)) return { malformed: 'muutospaiva is not a yyyy-mm-dd day' };
  if (kotikunta !== undefined && !isMunicipalityCode(kotikunta)) return { malformed: 'kotikunta is not a three-digit municipality code' };
  if (turvakielto !== undefined && typeof turvakielto !== 'boolean') return { malformed: 'turvakielto is not true or false' };
  if (!Array.isArray(tietoryhmat) || !tietoryhmat.every(isObject) || !tietoryhmat.every((g) => typeof g.tietoryhma === 'string')) return { malformed: 'tietoryhmat is not a list of data groups' };
  for (const group of tietoryhmat as Record<string, unknown>[]) {
    // A home municipality removed (the person emigrated) has no new one.
    if (group.tietoryhma === 'KOTIKUNTA' && group.muutosattribuutti !== 'POISTETTU' && !isMunicipalityCode(group.kuntakoodi)) return { malformed: 'KOTIKUNTA has no three-digit kuntakoodi' };
  }
  return { identityCode: henkilotunnus.trim().toUpperCase(), change: record as unknown as PopulationChange };
}

/** The life events a change means: one per data group that is one, each with its own source id. */
export function populationEvents(change: PopulationChange, person: KnownPerson): ConnectorEvent[] {
  const occurredAt = new Date(`${change.muutospaiva}T00:00:00Z`);
  // Under a security denial the person's whereabouts go nowhere, not even to a service they chose.
  const municipality = change.turvakielto ? null : (change.kotikunta ?? person.municipality);
  const events: ConnectorEvent[] = [];
  change.tietoryhmat.forEach((group, index) => {
    const base = { occurredAt, municipality, sourceId: `${change.kirjausavain}/${index}` };
    switch (group.tietoryhma) {
      case 'KOTIKUNTA': {
        if (group.muutosattribuutti === 'POISTETTU') break;
        const moved = change.turvakielto ? null : ((group as { kuntakoodi: string }).kuntakoodi);
        events.push({ ...base, municipality: moved, type: 'moved', data: moved ? { municipality: moved } : {} });
        break;
      }
      case 'LAPSI':
        if (group.muutosattribuutti === 'LISATTY') events.push({ ...base, type: 'child-born' });
        break;
      case 'OMAISEN_KUOLEMA':
        events.push({ ...base, type: 'death-of-close-relative' });
        break;
      case 'OPISKELU':
        if (group.muutosattribuutti === 'LISATTY') events.push({ ...base, type: 'started-studies' });
        break;
      case 'TYOTTOMYYS':
        if (group.muutosattribuutti === 'LISATTY') events.push({ ...base, type: 'unemployed' });
        break;
      // Names, addresses within the municipality and the rest mean no life event here.
    }
  });
  return events;
}

export function populationRegisterConnector(service: PopulationChangeService, name = 'population-register'): RegisterConnector<PopulationChange> {
  return {
    name,
    source: populationSource(service),
    read: readPopulationChange,
    events: async (_tx: Db, change, person) => populationEvents(change, person),
  };
}
