import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/database.ts';
import type { DerivedClaims } from '../identity/accounts/derived-claims.ts';
import { createNetworkAdmin } from '../staff/staff.ts';
import { ConsoleUser, addService, approvedMember } from '../testing/console.ts';
import { REDEMPTION_CODE_MINUTES, newRedemptionCode, redemptionCodeHash } from './wallet/redemption-code.ts';
import { CITIZEN_CLIENT_ID } from '../identity/citizen-client.ts';
import type { ProgrammeInput } from './programmes/schemas.ts';

/**
 * For the vouchers' tests: a payer member with an open programme, an approved provider that owns a
 * funded service and has priced it, and people (identity accounts with shared claims). Made through
 * the console's HTTP API where it exists, so that the tests start from what a real network has.
 */
export interface VoucherWorld {
  admin: ConsoleUser;
  payer: WorldMember;
  provider: WorldMember;
  /** An approved member that is neither the payer nor an approved provider of the programme. */
  stranger: WorldMember;
  /** The members' administrators' password (a browser test logs in with it). */
  password: string;
  serviceId: string;
  programmeId: string;
  /** The provider's price per unit for the service in the programme. */
  priceCents: number;
}

/** A member of the world, its name, and its administrator's console session; the administrator logs in with `email` and WORLD_PASSWORD (a browser test does). */
export interface WorldMember {
  memberId: string;
  businessId: string;
  user: ConsoleUser;
  email: string;
  name: string;
}
export const WORLD_PASSWORD = 'hyvin-pitka-salasana-1';

let worlds = 0;

/** Home care: 10 hours of at most 32 € an hour, 20 % co-payment, for Mikkeli's residents, 2 vouchers a person a year. */
export function homeCareProgramme(serviceId: string, providerMemberId: string, overrides: Partial<ProgrammeInput> = {}): ProgrammeInput {
  return {
    name: { fi: 'Kotihoidon palveluseteli', sv: 'Servicesedel för hemvård', en: 'Home care service voucher' },
    description: { fi: 'Kotihoitoa hyväksytyiltä tuottajilta.', sv: 'Hemvård av godkända producenter.', en: 'Home care from approved providers.' },
    unit: 'hour',
    value_per_unit_cents: 3200,
    units_per_voucher: 10,
    // Around today, whenever the tests run: vouchers are issued only within these days.
    valid_from: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10),
    valid_until: new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10),
    voucher_validity_days: 90,
    co_payment: { kind: 'percentage', percent: 20 },
    budget_cap_cents: 1_000_000,
    per_person_limit: { vouchers: 2, period: 'year' },
    eligibility: { all_of: [{ type: 'municipality', in: ['491'] }] },
    funds: { services: [serviceId], service_classes: [], providers: [providerMemberId] },
    ...overrides,
  };
}

export async function voucherWorld(app: FastifyInstance, db: Db, options: { programme?: Partial<ProgrammeInput>; priceCents?: number; /** Members' names instead of the numbered ones (for screenshots). */ names?: { payer?: string; provider?: string; service?: string } } = {}): Promise<VoucherWorld> {
  const n = ++worlds;
  const tag = randomBytes(3).toString('hex');
  const adminEmail = `voucher-admin-${tag}@aurora.example`;
  const password = WORLD_PASSWORD;
  await createNetworkAdmin(db, { email: adminEmail, name: 'Ylläpitäjä', password }, 'test');
  const admin = await new ConsoleUser(app).loginOk(adminEmail, password);
  const member = async (name: string, email: string): Promise<WorldMember> => ({ ...(await approvedMember(admin, { name, email, password })), email, name });
  const payer = await member(options.names?.payer ?? `Hyvinvointialue ${n} ${tag}`, `payer-${tag}@aurora.example`);
  const provider = await member(options.names?.provider ?? `Hoivapalvelu ${n} ${tag} Oy`, `provider-${tag}@aurora.example`);
  const stranger = await member(`Muu jäsen ${n} ${tag}`, `stranger-${tag}@aurora.example`);
  const service = await addService(db, options.names?.service ?? `Kotihoito ${tag}`, 1, { businessId: provider.businessId });
  await provider.user.json('POST', `/api/v1/console/members/${provider.memberId}/services`, { service_id: service.serviceId });
  const draft = await payer.user.json('POST', `/api/v1/console/members/${payer.memberId}/voucher-programmes`, homeCareProgramme(service.serviceId, provider.memberId, options.programme));
  await payer.user.json('POST', `/api/v1/console/members/${payer.memberId}/voucher-programmes/${draft.id}/open`, {}, 200);
  const priceCents = options.priceCents ?? 3500;
  await db.insertInto('voucher_prices').values({ programme_id: draft.id, member_id: provider.memberId, service_id: service.serviceId, price_per_unit_cents: priceCents }).execute();
  return { admin, payer, provider, stranger, password, serviceId: service.serviceId, programmeId: draft.id, priceCents };
}

/** A person as the network knows them: an identity account (a random id) with the derived claims they share. */
export async function personAccount(db: Db, claims: DerivedClaims = { municipality_code: '491', age_band: '65+', adult: true }): Promise<string> {
  // As identity accounts are made (16 random bytes in base64url), not a UUID: a column typed for UUIDs would fail here as in use.
  const id = randomBytes(16).toString('base64url');
  await db.insertInto('identity_accounts').values({ id, identity_key: randomBytes(32).toString('base64url'), shared_claims: JSON.stringify(claims) }).execute();
  return id;
}

/** A redemption code for a voucher, as the person's app would make one (only its hash kept); expired when `minutes` is negative. */
export async function redemptionCodeFor(db: Db, voucherId: string, minutes = REDEMPTION_CODE_MINUTES): Promise<string> {
  const code = newRedemptionCode();
  await db.insertInto('voucher_redemption_codes').values({ code_hash: redemptionCodeHash(code), voucher_id: voucherId, expires_at: new Date(Date.now() + minutes * 60_000), used_at: null, order_id: null }).execute();
  return code;
}

/** A member's bank account for settlements (the provider's console has the form; tests write the row). */
export async function addBankAccount(db: Db, memberId: string, account: { holder: string; iban: string; bic?: string | null }): Promise<void> {
  await db
    .insertInto('voucher_bank_accounts')
    .values({ member_id: memberId, holder: account.holder, iban: account.iban, bic: account.bic ?? null, updated_by: 'test' })
    .onConflict((c) => c.column('member_id').doUpdateSet({ holder: account.holder, iban: account.iban, bic: account.bic ?? null }))
    .execute();
}

/** A service location with coordinates for a service (the wallet's map): Mikkeli's centre unless told. */
export async function addPlace(db: Db, serviceId: string, place: { latitude?: number; longitude?: number; street?: string } = {}): Promise<string> {
  const id = randomUUID();
  const address = { type: 'Visiting', street: { fi: place.street ?? 'Porrassalmenkatu 1' }, streetNumber: null, postalCode: '50100', postOffice: { fi: 'Mikkeli' }, municipality: '491', latitude: place.latitude ?? 61.6886, longitude: place.longitude ?? 27.2723, additionalInformation: {} };
  await db
    .insertInto('service_channels')
    .values({ id, source: 'test', source_id: null, type: 'ServiceLocation', organization_id: null, name: JSON.stringify({ fi: 'Toimipiste', sv: 'Verksamhetsställe', en: 'Office' }), summary: '{}', description: '{}', languages: [], municipalities: [], areas: '[]', web_pages: '[]', phones: '[]', emails: '[]', addresses: JSON.stringify([address]), service_hours: '[]', area_type: null, publishing_status: null, modified: null, content_hash: 'x' })
    .execute();
  await db.insertInto('service_channel_links').values({ service_id: serviceId, channel_id: id, asserted_by: 'service', channel_name: null, description: '{}' }).execute();
  return id;
}

/**
 * An access token of the citizen app for an account, as its login would give (a grant of openid to
 * the app, and a token of it), made straight through the provider's models: for tests with more
 * people than the test eID has. Kept in the database, so every server on it accepts the token.
 */
export async function citizenAccessToken(app: FastifyInstance, accountId: string): Promise<string> {
  // oidc-provider's types here leave out the token's constructor (as token-exchange.ts does).
  const provider = app.aurora.identity.provider as unknown as { Grant: typeof app.aurora.identity.provider.Grant; Client: typeof app.aurora.identity.provider.Client; AccessToken: new (properties: Record<string, unknown>) => { save(): Promise<string> } };
  const grant = new provider.Grant({ accountId, clientId: CITIZEN_CLIENT_ID });
  grant.addOIDCScope('openid');
  const grantId = await grant.save();
  const client = await provider.Client.find(CITIZEN_CLIENT_ID);
  const token = new provider.AccessToken({ accountId, client: client!, grantId, scope: 'openid', gty: 'authorization_code' });
  return token.save();
}
