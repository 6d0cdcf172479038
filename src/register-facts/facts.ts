import type { Db } from '../db/database.ts';

/**
 * The register facts a service may ask a person for (register data transfer, issue #16): each one
 * fact, named and described in fi, sv and en, from one register, read for an account from what the
 * register connectors (src/registers/) keep. A reader answers the fact as it stands now, or null when
 * the register has told the network nothing usable for the account; it never sees an identity code.
 */
export type LocalText = { fi: string; sv: string; en: string };

/** What is handed to the service: a value, and the period or date it is of. */
export interface FactValue {
  value: string;
  /** yyyy-mm (a month's income) or yyyy-mm-dd (since when a municipality is home). */
  as_of: string;
  /** The register connector it came from (a test register's name says so). */
  source: string;
}

export interface RegisterFact {
  name: LocalText;
  description: LocalText;
  register: LocalText;
  read(db: Db, accountId: string): Promise<FactValue | null>;
}

const euros = (cents: number) => (cents / 100).toFixed(2);

export const REGISTER_FACTS = {
  'monthly-income': {
    name: { fi: 'Kuukausitulot', sv: 'Månadsinkomst', en: 'Monthly income' },
    description: {
      fi: 'Viimeisimmän kuukauden palkka- ja muut ansiotulot yhteensä euroina ennen veroja, ja mitä kuukautta ne koskevat.',
      sv: 'Den senaste månadens löne- och andra förvärvsinkomster sammanlagt i euro före skatt, och vilken månad de gäller.',
      en: "The latest month's pay and other earned income in total, in euros before tax, and which month it is for.",
    },
    register: { fi: 'Tulorekisteri', sv: 'Inkomstregistret', en: 'Incomes Register' },
    // The month the Incomes Register connector saw last for the account (its baseline for rises and drops).
    read: async (db: Db, accountId: string) => {
      const row = await db
        .selectFrom('register_income_periods')
        .select(['connector', 'period', 'amount_cents'])
        .where('account_id', '=', accountId)
        .orderBy('period', 'desc')
        .orderBy('updated_at', 'desc')
        .executeTakeFirst();
      return row ? { value: euros(row.amount_cents), as_of: row.period, source: row.connector } : null;
    },
  },
  'home-municipality': {
    name: { fi: 'Kotikunta', sv: 'Hemkommun', en: 'Home municipality' },
    description: {
      fi: 'Kotikunnan kuntanumero väestötietojärjestelmän viimeisimmän muuton mukaan, ja muuttopäivä.',
      sv: 'Hemkommunens kommunnummer enligt den senaste flytten i befolkningsdatasystemet, och flyttdagen.',
      en: "The home municipality's code after the latest move the Population Information System reported, and the day of the move.",
    },
    register: { fi: 'Väestötietojärjestelmä', sv: 'Befolkningsdatasystemet', en: 'Population Information System' },
    // The latest move the population register reported since the person has an account. Under a
    // security denial a move is recorded without its municipality: then there is no fact, rather
    // than an older municipality that would no longer be true.
    read: async (db: Db, accountId: string) => {
      const row = await db
        .selectFrom('life_events')
        .select(['source', 'occurred_at', 'data'])
        .where('account_id', '=', accountId)
        .where('type', '=', 'moved')
        .orderBy('occurred_at', 'desc')
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      const code = row?.data.municipality;
      return row && code ? { value: code, as_of: row.occurred_at.toISOString().slice(0, 10), source: row.source } : null;
    },
  },
} as const satisfies Record<string, RegisterFact>;

export type RegisterFactName = keyof typeof REGISTER_FACTS;
export const REGISTER_FACT_NAMES = Object.keys(REGISTER_FACTS) as RegisterFactName[];
export const isRegisterFact = (name: string): name is RegisterFactName => Object.hasOwn(REGISTER_FACTS, name);
