import type { FastifyBaseLogger } from 'fastify';
import type { ChannelRecord, ServiceRecord } from '../catalogue/model.ts';
import { upsertChannels, upsertServices } from '../catalogue/store.ts';
import type { Db } from '../db/database.ts';
import { DEMO_MEMBER_ID, ensureDemoMember } from '../members/demo-member.ts';
import { setPrice } from '../vouchers/orders/set-price.ts';
import { createProgramme } from '../vouchers/programmes/create-programme.ts';
import { openProgramme } from '../vouchers/programmes/open-programme.ts';
import type { ProgrammeInput } from '../vouchers/programmes/schemas.ts';

/**
 * A service voucher programme for the demo network, so that on a fresh `npm start` a person can
 * receive a voucher and book with it: the demo member pays for and provides "Demo: home help with a
 * service voucher", a service of its own (labelled as a demo, never a real organisation's), at a
 * place in Mikkeli. The test eID's Aino lives in Mikkeli and may receive one; Veeti does not, and
 * is told why. Nobody logs in to the console as the demo member, so the provider's and the payer's
 * side are for real members to try with programmes of their own.
 */
export const DEMO_VOUCHER_SERVICE_ID = 'b7e4c2a1-5d3f-4e8b-9a6c-2f1d0e9b8a73';
export const DEMO_VOUCHER_PLACE_ID = 'c3a9e7d5-1b2f-4c6a-8e4d-7f0b9a2c1d58';
export const DEMO_VOUCHER_PRICE_CENTS = 3500;

const text = (fi: string, sv: string, en: string) => ({ fi, sv, en });
const none = { fi: '', sv: '', en: '' };

const SERVICE: ServiceRecord = {
  id: DEMO_VOUCHER_SERVICE_ID,
  source: 'demo',
  sourceId: null,
  type: 'Service',
  fundingType: 'PubliclyFunded',
  chargeType: 'Charged',
  areaType: 'LimitedType',
  areas: [{ type: 'Municipality', code: null, municipalities: ['491'] }],
  name: text('Demo: Kotiapu palvelusetelillä (Aurora-esittely)', 'Demo: Hemhjälp med servicesedel (Aurora-demo)', 'Demo: Home help with a service voucher (Aurora demo)'),
  alternateName: none,
  summary: text(
    'Aurora-verkon esittelypalvelu, ei oikea palvelu: sillä voi kokeilla palvelusetelin saamista ja varaamista.',
    'En demotjänst i Aurora-nätverket, inte en riktig tjänst: med den kan du prova att få och boka med en servicesedel.',
    'A demo service of the Aurora network, not a real service: with it you can try receiving a service voucher and booking with it.',
  ),
  description: text(
    'Siivousta, kauppa-asiointia ja muuta apua kotona tunneittain. Esittelyssä palveluseteli on Mikkelissä asuville.',
    'Städning, inköp och annan hjälp hemma per timme. I demon är servicesedeln för dem som bor i S:t Michel.',
    'Cleaning, shopping and other help at home by the hour. In the demo the voucher is for people living in Mikkeli.',
  ),
  userInstruction: none,
  requirements: none,
  chargeInfo: text('Omavastuu 20 % hinnasta.', 'Självrisk 20 % av priset.', 'You pay 20 % of the price.'),
  keywords: { fi: [], sv: [], en: [] },
  languages: ['fi', 'sv', 'en'],
  serviceClasses: ['P4.3'],
  targetGroups: [],
  lifeEvents: [],
  serviceCollections: [],
  organizations: [],
  ontologyTerms: [],
  channels: [{ channelId: DEMO_VOUCHER_PLACE_ID, channelName: null, description: {} }],
  generalDescriptionId: null,
  publishingStatus: 'Published',
  modified: null,
};

const PLACE: ChannelRecord = {
  id: DEMO_VOUCHER_PLACE_ID,
  source: 'demo',
  sourceId: null,
  type: 'ServiceLocation',
  organizationId: null,
  name: text('Demo: Kotiavun toimipiste', 'Demo: Hemhjälpens verksamhetsställe', 'Demo: Home help office'),
  summary: none,
  description: {},
  languages: ['fi', 'sv', 'en'],
  areaType: null,
  areas: [],
  webPages: [],
  phones: [],
  emails: [],
  addresses: [
    {
      type: 'Visiting',
      street: { fi: 'Maaherrankatu', sv: 'Maaherrankatu', en: 'Maaherrankatu' },
      streetNumber: '9',
      postalCode: '50100',
      postOffice: { fi: 'Mikkeli', sv: 'S:t Michel', en: 'Mikkeli' },
      municipality: '491',
      latitude: 61.6877,
      longitude: 27.2721,
      additionalInformation: {},
    },
  ],
  serviceHours: [],
  services: [{ serviceId: DEMO_VOUCHER_SERVICE_ID, description: {} }],
  publishingStatus: 'Published',
  modified: null,
};

function programme(today: Date): ProgrammeInput {
  const day = (offset: number) => new Date(today.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  return {
    name: text('Demo: Kotiavun palveluseteli', 'Demo: Servicesedel för hemhjälp', 'Demo: Home help service voucher'),
    description: text(
      'Esittelyn palveluseteli: 10 tuntia kotiapua, enintään 32 € tunnilta. Mikkelissä asuville.',
      'Demons servicesedel: 10 timmar hemhjälp, högst 32 € i timmen. För dem som bor i S:t Michel.',
      "The demo's service voucher: 10 hours of home help, at most 32 € an hour. For people living in Mikkeli.",
    ),
    unit: 'hour',
    value_per_unit_cents: 3200,
    units_per_voucher: 10,
    valid_from: day(-1),
    valid_until: day(365),
    voucher_validity_days: 90,
    co_payment: { kind: 'percentage', percent: 20 },
    budget_cap_cents: 10_000_000,
    per_person_limit: { vouchers: 2, period: 'year' },
    eligibility: { all_of: [{ type: 'municipality', in: ['491'] }] },
    funds: { services: [DEMO_VOUCHER_SERVICE_ID], service_classes: [], providers: [DEMO_MEMBER_ID] },
  };
}

/** Sets up the demo programme once (nothing when the demo member has a programme already); answers its id when made now. */
export async function setUpDemoVouchers(db: Db, log?: FastifyBaseLogger, now = new Date()): Promise<string | undefined> {
  const existing = await db.selectFrom('voucher_programmes').select('id').where('member_id', '=', DEMO_MEMBER_ID).executeTakeFirst();
  if (existing) return undefined;
  await ensureDemoMember(db);
  await upsertServices(db, [SERVICE], DEMO_MEMBER_ID);
  await upsertChannels(db, [PLACE], DEMO_MEMBER_ID);
  const made = await createProgramme(db, DEMO_MEMBER_ID, programme(now), 'demo');
  await openProgramme(db, DEMO_MEMBER_ID, made.id, 'demo');
  await setPrice(db, { memberId: DEMO_MEMBER_ID, programmeId: made.id, serviceId: DEMO_VOUCHER_SERVICE_ID, priceCents: DEMO_VOUCHER_PRICE_CENTS, actor: 'demo' });
  log?.info({ programme: made.id }, 'set up the demo service voucher programme');
  return made.id;
}
