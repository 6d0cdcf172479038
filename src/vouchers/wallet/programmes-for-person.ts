import type { Db } from '../../db/database.ts';
import type { DerivedClaims } from '../../identity/accounts/derived-claims.ts';
import { available, balances } from '../../ledger/balances.ts';
import { accountCodes } from '../accounts.ts';
import { isEligible, type Eligibility } from '../programmes/eligibility.ts';
import { finnishDate, periodOf } from './issue-voucher.ts';
import type { Programme } from '../programmes/schemas.ts';
import { readProgrammes } from '../programmes/store.ts';

type Lang = 'fi' | 'sv' | 'en';
type Texts = Record<Lang, string>;

/**
 * Whether the person can receive a voucher of the programme now, the same checks issueVoucher makes
 * (which decides: this is for showing): `can-receive`; `share-needed` when a rule asks for a claim
 * the person has not shared (`to_share` names it: they are told what to share, not just "no");
 * `not-eligible`; `limit-reached` (the per-person limit for the period); `budget-spent`;
 * `not-issuing-now` (outside the programme's dates).
 */
export type Receivable = 'can-receive' | 'share-needed' | 'not-eligible' | 'limit-reached' | 'budget-spent' | 'not-issuing-now';

export interface ProgrammeForPerson {
  programme: Programme & { payer: { id: string; name: string } };
  receivable: Receivable;
  /** The claims a rule asks for that the person has not shared: age_band, adult, municipality_code. */
  to_share: string[];
  /** Why, in plain words, in fi, sv and en. */
  reason: Texts;
  issued_this_period: number;
}

const CLAIM_OF = { municipality: 'municipality_code', age_band: 'age_band', adult: 'adult', questionnaire: null } as const;

const CLAIM_NAMES: Record<string, Texts> = {
  municipality_code: { fi: 'kotikuntasi', sv: 'din hemkommun', en: 'your home municipality' },
  age_band: { fi: 'ikäryhmäsi', sv: 'din åldersgrupp', en: 'your age group' },
  adult: { fi: 'täysi-ikäisyytesi', sv: 'att du är myndig', en: 'whether you are an adult' },
};

const joined = (items: string[], lang: Lang) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${{ fi: 'ja', sv: 'och', en: 'and' }[lang]} ${items[items.length - 1]}`);

function reasonOf(receivable: Receivable, programme: Programme, toShare: string[]): Texts {
  const limit = programme.per_person_limit;
  switch (receivable) {
    case 'can-receive':
      return { fi: 'Voit saada tämän setelin.', sv: 'Du kan få den här sedeln.', en: 'You can receive this voucher.' };
    case 'share-needed': {
      const what = (lang: Lang) => joined(toShare.map((c) => CLAIM_NAMES[c]![lang]), lang);
      return {
        fi: `Emme voi tarkistaa, kuulutko setelin saajiin, koska et ole jakanut tietoa: ${what('fi')}. Jaa se, niin tarkistamme sen.`,
        sv: `Vi kan inte kontrollera om du kan få sedeln, eftersom du inte har delat uppgiften: ${what('sv')}. Dela den så kontrollerar vi.`,
        en: `We cannot check whether you can receive this voucher, because you have not shared ${what('en')}. Share it and we will check.`,
      };
    }
    case 'not-eligible':
      return {
        fi: `Et kuulu tämän setelin saajiin niillä tiedoilla, jotka olet jakanut. ${programme.eligibility_explained.fi}`,
        sv: `Du hör inte till dem som kan få sedeln med de uppgifter du har delat. ${programme.eligibility_explained.sv}`,
        en: `You are not among those who can receive this voucher, by the details you share. ${programme.eligibility_explained.en}`,
      };
    case 'limit-reached': {
      const one = limit.vouchers === 1;
      const per = { programme: { fi: 'ohjelman aikana', sv: 'under programmet', en: 'for the whole programme' }, year: { fi: 'vuodessa', sv: 'per år', en: 'a year' }, month: { fi: 'kuukaudessa', sv: 'per månad', en: 'a month' } }[limit.period];
      return {
        fi: `Olet jo saanut enimmäismäärän: ${limit.vouchers} ${one ? 'seteli' : 'seteliä'} henkilöä kohden ${per.fi}.`,
        sv: `Du har redan fått det högsta antalet: ${limit.vouchers} ${one ? 'sedel' : 'sedlar'} per person ${per.sv}.`,
        en: `You have already received the most there is: ${limit.vouchers} ${one ? 'voucher' : 'vouchers'} a person ${per.en}.`,
      };
    }
    case 'budget-spent':
      return { fi: 'Ohjelman määräraha on käytetty: uusia seteleitä ei nyt myönnetä.', sv: 'Programmets anslag är förbrukat: inga nya sedlar beviljas nu.', en: "The programme's budget is spent: no new vouchers are issued now." };
    case 'not-issuing-now':
      return {
        fi: `Seteleitä myönnetään ${programme.valid_from ?? ''}–${programme.valid_until ?? ''}.`,
        sv: `Sedlar beviljas ${programme.valid_from ?? ''}–${programme.valid_until ?? ''}.`,
        en: `Vouchers are issued from ${programme.valid_from ?? ''} to ${programme.valid_until ?? ''}.`,
      };
  }
}

/** The claims the rules ask for that the person has not shared. */
export function claimsToShare(rules: Eligibility, claims: DerivedClaims): string[] {
  const asked = rules.all_of.map((c) => CLAIM_OF[c.type]).filter((c): c is NonNullable<typeof c> => c !== null);
  return [...new Set(asked)].filter((c) => claims[c] === undefined);
}

/** The open programmes (at most 500), each with whether this person can receive a voucher of it now and why not. */
export async function programmesForPerson(db: Db, accountId: string, claims: DerivedClaims, now = new Date()): Promise<ProgrammeForPerson[]> {
  const programmes = await readProgrammes(db, { status: 'open', limit: 500 });
  if (programmes.length === 0) return [];
  const [counts, budgets, payers] = await Promise.all([
    db.selectFrom('voucher_issue_counts').select(['programme_id', 'period', 'issued']).where('account_id', '=', accountId).where('programme_id', 'in', programmes.map((p) => p.id)).execute(),
    balances(db, { codes: programmes.map((p) => accountCodes.budget(p.id)) }),
    db.selectFrom('members').select(['id', 'name']).where('id', 'in', [...new Set(programmes.map((p) => p.member_id))]).execute(),
  ]);
  const today = finnishDate(now);
  return programmes.map((programme) => {
    const issued = counts.find((c) => c.programme_id === programme.id && c.period === periodOf(programme.per_person_limit.period, now))?.issued ?? 0;
    const budget = budgets.find((b) => b.code === accountCodes.budget(programme.id));
    // A budget account not made yet is the whole cap: it is funded at the first issue.
    const budgetLeft = budget ? available(budget) : (programme.budget_cap_cents ?? 0);
    const toShare = claimsToShare(programme.eligibility, claims);
    const receivable: Receivable =
      (programme.valid_from && today < programme.valid_from) || (programme.valid_until && today > programme.valid_until)
        ? 'not-issuing-now'
        : isEligible(programme.eligibility, claims)
          ? issued >= programme.per_person_limit.vouchers
            ? 'limit-reached'
            : budgetLeft < programme.value_per_unit_cents * programme.units_per_voucher
              ? 'budget-spent'
              : 'can-receive'
          : toShare.length > 0
            ? 'share-needed'
            : 'not-eligible';
    const payer = { id: programme.member_id, name: payers.find((m) => m.id === programme.member_id)?.name ?? '' };
    return { programme: { ...programme, payer }, receivable, to_share: receivable === 'share-needed' ? toShare : [], reason: reasonOf(receivable, programme, toShare), issued_this_period: issued };
  });
}
