import { ApiError, apiResponse, apiWith, type ApiOptions } from '../shared/api.ts';
import type { Language } from '../shared/i18n.ts';
// The console reads what these server modules answer: their types are the wire format.
import type { MemberItem } from '../../src/members/members.ts';
import type { ClientItem } from '../../src/clients/member-clients.ts';
import type { OidcClientItem } from '../../src/identity/oidc-clients.ts';
import type { EndpointItem } from '../../src/events/endpoints/list-endpoints.ts';
import type { DeliveryItem } from '../../src/events/endpoints/list-deliveries.ts';
import type { EventDeliveryStatus } from '../../src/db/schema.ts';
import type { Programme, ProgrammeInput, WhereUsable } from '../../src/vouchers/programmes/schemas.ts';
import type { BankAccount, BankAccountInput } from '../../src/vouchers/orders/bank-account.ts';
import type { DeskVoucher } from '../../src/vouchers/orders/desk-redemption.ts';
import type { ProviderMove } from '../../src/vouchers/orders/move-provider-order.ts';
import type { PricedService, ProvidedProgramme } from '../../src/vouchers/orders/provided-programmes.ts';
import type { ProviderOrder } from '../../src/vouchers/orders/provider-orders.ts';
export type { BankAccount, DeskVoucher, PricedService, ProvidedProgramme, ProviderMove, ProviderOrder };
import type { Static } from 'typebox';
import type { Definition } from '../../src/questionnaires/format.ts';
import type { CreatedRunSchema, PreviewSchema, QuestionnaireListItem, QuestionnaireSchema, ResultsSchema, RunInput, RunSchema } from '../../src/questionnaires/schemas.ts';
export type { Definition };
/** A member's questionnaire (its draft, what keeps it from publishing, its versions), a run and a run's results, as the API answers. */
export type Questionnaire = Static<typeof QuestionnaireSchema>;
export type QuestionnaireItem = Static<typeof QuestionnaireListItem>;
export type QuestionnaireRun = Static<typeof RunSchema>;
export type StartedRun = Static<typeof CreatedRunSchema>;
export type QuestionnairePreview = Static<typeof PreviewSchema>;
export type RunResults = Static<typeof ResultsSchema>;
export type { RunInput };

/** A member's service voucher programme as the console reads and writes it. */
export type VoucherProgramme = Programme;
export type VoucherProgrammeInput = ProgrammeInput;
export type VoucherWhereUsable = WhereUsable;

/** A member's webhook endpoint and one message to it, as the console lists them. */
export type EventEndpoint = EndpointItem;
export type EventDelivery = DeliveryItem;
export type DeliveryStatus = EventDeliveryStatus;
/** A life event type with its names, from GET /api/v1/event-types. */
export interface LifeEventType {
  type: string;
  name: Record<Language, string>;
  description: Record<Language, string>;
  fields: string[];
  /** An event for the member itself (a situational picture alert): sent for its own follows, not by municipality. */
  member?: boolean;
}

/** A member's service registered at the network's OpenID Provider, as the console lists it. */
export type OidcClient = OidcClientItem;
import type { MemberChannel, MemberService, TransferSettings } from '../../src/members/member-services.ts';
import type { ClaimItem, ClaimState, ClaimStatus } from '../../src/members/service-claims.ts';
import type { PrivacySettings } from '../../src/statistics/budget.ts';
import type { PictureView } from '../../src/situational-picture/read-picture.ts';
import type { Follow as PictureFollow, FollowInput } from '../../src/situational-picture/follow.ts';
import type { Notice as PictureNotice } from '../../src/situational-picture/read-follows.ts';

export type { PictureView, PictureFollow, PictureNotice, FollowInput };
/** A view of the situational picture asked for (the query string of GET …/picture). */
export interface PictureQuery {
  area_kind: 'municipality' | 'county' | 'region' | 'country';
  area_code: string;
  age_band: string;
  period: string;
}
import type { MeterStatistics, StatisticsResult, StatisticsWeek, WeekRelease } from '../../src/statistics/provider-statistics.ts';

export type { ClaimItem, ClaimState, ClaimStatus, MemberChannel, MemberService, MeterStatistics as MeterDistribution, PrivacySettings, StatisticsWeek, WeekRelease };
export type TransferSetting = TransferSettings;
export type Member = MemberItem;
export type ApiClient = ClientItem;
export type Statistics = StatisticsResult;

/**
 * The membership and console API (contract B). The console's session is a SameSite=Strict cookie;
 * every call also carries `x-aurora-csrf: 1`, without which the server refuses cookie-authenticated
 * changes, so a form on another site cannot make them.
 */
const CSRF = { 'x-aurora-csrf': '1' };
const plainCall = apiWith({ headers: CSRF });

let sessionEnded: () => void = () => {};
/** What to do when the server says the session is gone (expired, logged out elsewhere): log in again. */
export function onSessionEnded(handler: () => void) {
  sessionEnded = handler;
}

/** What a read the console may abandon (a view left, its inputs changed) takes. */
type Abortable = Pick<ApiOptions, 'signal'>;

export async function call<T = unknown>(path: string, options: ApiOptions = {}): Promise<T> {
  try {
    return await plainCall<T>(path, options);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && path.startsWith('/api/v1/console/') && !path.startsWith('/api/v1/console/session')) sessionEnded();
    throw error;
  }
}
export { ApiError };

export type Role = 'network_admin' | 'org_admin' | 'developer';
export type MemberStatus = 'pending' | 'approved' | 'rejected' | 'suspended';
export type LocalText = string | null | Partial<Record<Language, string>>;

export interface Staff {
  id: string;
  email: string;
  name: string;
  role: Role;
  member: { id: string; name: string; business_id: string; status: MemberStatus } | null;
  totp_enabled: boolean;
}


/** A decision on a member, from the audit log. */
export interface HistoryEntry {
  at: string;
  action: string;
  actor: string;
  reason: string | null;
}

export interface RequestedService {
  service_id: string;
  in_catalogue: boolean;
  name: LocalText;
  nationwide: boolean;
  municipalities: { code: string; name: LocalText }[];
  organisations: { id: string; name: LocalText; business_id: string | null; matches_applicant: boolean }[];
  service_classes: { code: string; name: LocalText }[];
  business_id_match: boolean;
  held_by: { member_id: string; name: string } | null;
}
export interface RequestedServices {
  business_id: string;
  services: RequestedService[];
}

export interface MemberDetail extends Member {
  requested_services: string[];
  history: HistoryEntry[];
}

export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  totp_enabled?: boolean;
  created_at?: string;
  disabled?: boolean;
}


export interface ClientSecret {
  client_id: string;
  client_secret: string;
}

export interface OidcClientRegistration {
  name: string;
  redirect_uris: string[];
  scopes: string[];
  profile_endpoint?: string;
  token_endpoint_auth_method?: 'client_secret_basic' | 'private_key_jwt';
  jwks?: { keys: Record<string, unknown>[] };
  jwks_uri?: string;
}

/** A registered OIDC client: with a secret (shown once), or, for private_key_jwt, none. */
export interface OidcClientCreated {
  client_id: string;
  client_secret?: string;
  sector_identifier: string;
  token_endpoint_auth_method: 'client_secret_basic' | 'private_key_jwt';
}

export interface Attribute {
  name: string;
  title: Partial<Record<Language, string>>;
  description?: Partial<Record<Language, string>>;
}

export interface CatalogueService {
  id: string;
  name: LocalText;
  summary?: LocalText;
  organizations?: { id: string; name: LocalText }[];
  nationwide?: boolean;
  /** Municipality codes of a limited service. */
  municipalities?: string[];
  service_classes?: { code: string; name: LocalText }[];
}

export interface Municipality {
  code: string;
  name: LocalText;
}

export interface Recommendation {
  recommendation_id: string;
  items: { service_id: string; score: number; name: LocalText; summary: LocalText; explanation: string }[];
}



/** GET /api/v1/console/overview. */
export interface NetworkOverview {
  members: Record<MemberStatus, number>;
  /** linked: services with a verified claim; pending_claims: claims waiting for a network administrator. */
  services: { catalogue: number; linked: number; pending_claims: number };
  clients: { active: number; suspended: number; revoked: number; of_members: number };
  staff: number;
  weeks: { week: string; recommendations: number; transfers: number }[];
}

/** GET /api/v1/console/audit: newest first; next_before pages on. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  target_name: LocalText;
  member_id: string | null;
  details: Record<string, unknown>;
}
export interface AuditPage {
  entries: AuditEntry[];
  next_before: number | null;
}

/** Picks the text in the UI language from a {fi, sv, en} object (falling back), or passes a string. */
export function localText(value: LocalText | undefined, language: Language): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return value[language] ?? value.fi ?? value.sv ?? value.en ?? '';
}

const member = (id: string) => `/api/v1/console/members/${encodeURIComponent(id)}`;

export const consoleApi = {
  session: () => call<{ staff: Staff }>('/api/v1/console/session'),
  logIn: (body: { email: string; password: string; totp?: string }) => call<{ staff: Staff }>('/api/v1/console/session', { method: 'POST', body }),
  logOut: () => call('/api/v1/console/session', { method: 'DELETE' }),
  apply: (body: { organisation_name: string; business_id: string; contact_name: string; contact_email: string; services: string[]; admin_password: string }) =>
    call<{ application_id: string; member_id: string; status: string }>('/api/v1/console/applications', { method: 'POST', body }),
  totpSetup: () => call<{ secret: string; otpauth_url: string; qr_svg: string }>('/api/v1/console/totp/setup', { method: 'POST', body: {} }),
  totpConfirm: (code: string) => call('/api/v1/console/totp/confirm', { method: 'POST', body: { code } }),
  totpDisable: (code: string) => call('/api/v1/console/totp', { method: 'DELETE', body: { code } }),

  members: (status?: MemberStatus, options: Abortable = {}) => call<{ members: Member[] }>('/api/v1/console/members', { query: { status }, ...options }),
  member: (id: string, options: Abortable = {}) => call<MemberDetail>(member(id), options),
  requestedServices: (id: string, options: Abortable = {}) => call<RequestedServices>(`${member(id)}/requested-services`, options),
  decide: (id: string, action: 'approve' | 'reject' | 'suspend' | 'reinstate', reason?: string) =>
    call(`${member(id)}/${action}`, { method: 'POST', body: reason === undefined ? {} : { reason } }),
  overview: (options: Abortable = {}) => call<NetworkOverview>('/api/v1/console/overview', options),
  claims: (status: ClaimStatus, options: Abortable = {}) => call<{ claims: ClaimItem[] }>('/api/v1/console/claims', { query: { status }, ...options }),
  approveClaim: (memberId: string, serviceId: string) => call<ClaimState>(`${member(memberId)}/services/${encodeURIComponent(serviceId)}/approve`, { method: 'POST', body: {} }),
  rejectClaim: (memberId: string, serviceId: string, reason: string) => call(`${member(memberId)}/services/${encodeURIComponent(serviceId)}/reject`, { method: 'POST', body: { reason } }),
  audit: (before?: number, limit = 50) => call<AuditPage>('/api/v1/console/audit', { query: { before, limit } }),

  staff: (memberId: string, options: Abortable = {}) => call<{ staff: StaffUser[] }>(`${member(memberId)}/staff`, options),
  addStaff: (memberId: string, body: { email: string; name: string; role: 'org_admin' | 'developer'; password: string }) =>
    call(`${member(memberId)}/staff`, { method: 'POST', body }),
  changePassword: (body: { current_password: string; new_password: string }) => call('/api/v1/console/password', { method: 'PUT', body }),
  resetStaffPassword: (staffId: string) => call<{ password: string }>(`/api/v1/console/staff/${encodeURIComponent(staffId)}/password`, { method: 'POST', body: {} }),
  updateStaff: (staffId: string, body: { role?: 'org_admin' | 'developer'; disabled?: boolean }) =>
    call(`/api/v1/console/staff/${encodeURIComponent(staffId)}`, { method: 'PATCH', body }),
  removeStaff: (staffId: string) => call(`/api/v1/console/staff/${encodeURIComponent(staffId)}`, { method: 'DELETE' }),

  services: (memberId: string, options: Abortable = {}) => call<{ services: MemberService[] }>(`${member(memberId)}/services`, options),
  /** Claims a catalogue service: the answer says whether the claim was verified at once or waits for a network administrator. */
  linkService: (memberId: string, serviceId: string) => call<MemberService>(`${member(memberId)}/services`, { method: 'POST', body: { service_id: serviceId } }),
  unlinkService: (memberId: string, serviceId: string) => call(`${member(memberId)}/services/${encodeURIComponent(serviceId)}`, { method: 'DELETE' }),
  setTransfer: (memberId: string, channelId: string, body: TransferSetting) =>
    call(`${member(memberId)}/channels/${encodeURIComponent(channelId)}/transfer`, { method: 'PUT', body }),
  removeTransfer: (memberId: string, channelId: string) => call(`${member(memberId)}/channels/${encodeURIComponent(channelId)}/transfer`, { method: 'DELETE' }),

  clients: (memberId: string, options: Abortable = {}) => call<{ clients: ApiClient[] }>(`${member(memberId)}/clients`, options),
  createClient: (memberId: string, body: { name: string; scopes: string[]; rate_limit_per_minute?: number }) =>
    call<ClientSecret>(`${member(memberId)}/clients`, { method: 'POST', body }),
  rotateClient: (memberId: string, clientId: string) => call<ClientSecret>(`${member(memberId)}/clients/${encodeURIComponent(clientId)}/rotate`, { method: 'POST', body: {} }),
  oidcClients: (memberId: string, options: Abortable = {}) => call<{ clients: OidcClient[] }>(`${member(memberId)}/oidc-clients`, options),
  createOidcClient: (memberId: string, body: OidcClientRegistration) => call<OidcClientCreated>(`${member(memberId)}/oidc-clients`, { method: 'POST', body }),
  rotateOidcClient: (memberId: string, clientId: string) => call<ClientSecret>(`${member(memberId)}/oidc-clients/${encodeURIComponent(clientId)}/rotate-secret`, { method: 'POST', body: {} }),
  revokeOidcClient: (memberId: string, clientId: string) => call(`${member(memberId)}/oidc-clients/${encodeURIComponent(clientId)}/revoke`, { method: 'POST', body: {} }),
  revokeClient: (memberId: string, clientId: string) => call(`${member(memberId)}/clients/${encodeURIComponent(clientId)}/revoke`, { method: 'POST', body: {} }),
  setClientRateLimit: (clientId: string, rateLimitPerMinute: number | null) =>
    call<ApiClient>(`/api/v1/console/clients/${encodeURIComponent(clientId)}/rate-limit`, { method: 'PUT', body: { rate_limit_per_minute: rateLimitPerMinute } }),
  suspendClient: (clientId: string) => call(`/api/v1/console/clients/${encodeURIComponent(clientId)}/suspend`, { method: 'POST', body: {} }),
  reinstateClient: (clientId: string) => call(`/api/v1/console/clients/${encodeURIComponent(clientId)}/reinstate`, { method: 'POST', body: {} }),

  eventTypes: (options: Abortable = {}) =>
    call<{ event_types: LifeEventType[]; member_event_types: Omit<LifeEventType, 'fields'>[] }>('/api/v1/event-types', options).then((answer) => ({
      event_types: [...answer.event_types, ...answer.member_event_types.map((m) => ({ ...m, fields: [], member: true }))],
    })),
  eventEndpoints: (memberId: string, options: Abortable = {}) => call<{ endpoints: EventEndpoint[] }>(`${member(memberId)}/event-endpoints`, options),
  createEventEndpoint: (memberId: string, body: { client_id: string; url: string }) => call<EventEndpoint & { secret: string }>(`${member(memberId)}/event-endpoints`, { method: 'POST', body }),
  rotateEventEndpoint: (memberId: string, endpointId: string) =>
    call<{ id: string; secret: string; previous_secret_until: string }>(`${member(memberId)}/event-endpoints/${encodeURIComponent(endpointId)}/rotate-secret`, { method: 'POST', body: {} }),
  enableEventEndpoint: (memberId: string, endpointId: string) => call<EventEndpoint>(`${member(memberId)}/event-endpoints/${encodeURIComponent(endpointId)}/enable`, { method: 'POST', body: {} }),
  removeEventEndpoint: (memberId: string, endpointId: string) => call<{ id: string; cancelled_deliveries: number }>(`${member(memberId)}/event-endpoints/${encodeURIComponent(endpointId)}`, { method: 'DELETE' }),
  subscribeEvent: (memberId: string, endpointId: string, eventType: string, municipalities: string[] | null) =>
    call<EventEndpoint>(`${member(memberId)}/event-endpoints/${encodeURIComponent(endpointId)}/subscriptions/${encodeURIComponent(eventType)}`, { method: 'PUT', body: { municipalities } }),
  unsubscribeEvent: (memberId: string, endpointId: string, eventType: string) =>
    call<EventEndpoint>(`${member(memberId)}/event-endpoints/${encodeURIComponent(endpointId)}/subscriptions/${encodeURIComponent(eventType)}`, { method: 'DELETE' }),
  eventDeliveries: (memberId: string, status: DeliveryStatus | undefined, options: Abortable = {}) =>
    call<{ deliveries: EventDelivery[] }>(`${member(memberId)}/event-deliveries`, { query: { status, limit: 200 }, ...options }),
  replayDelivery: (memberId: string, deliveryId: string) => call<{ id: string; status: 'pending' }>(`${member(memberId)}/event-deliveries/${encodeURIComponent(deliveryId)}/replay`, { method: 'POST', body: {} }),

  voucherProgrammes: (memberId: string, options: Abortable = {}) => call<{ programmes: VoucherProgramme[] }>(`${member(memberId)}/voucher-programmes`, options),
  createVoucherProgramme: (memberId: string, body: VoucherProgrammeInput) => call<VoucherProgramme>(`${member(memberId)}/voucher-programmes`, { method: 'POST', body }),
  editVoucherProgramme: (memberId: string, id: string, body: VoucherProgrammeInput) => call<VoucherProgramme>(`${member(memberId)}/voucher-programmes/${encodeURIComponent(id)}`, { method: 'PUT', body }),
  openVoucherProgramme: (memberId: string, id: string) => call<VoucherProgramme>(`${member(memberId)}/voucher-programmes/${encodeURIComponent(id)}/open`, { method: 'POST', body: {} }),
  closeVoucherProgramme: (memberId: string, id: string) => call<VoucherProgramme>(`${member(memberId)}/voucher-programmes/${encodeURIComponent(id)}/close`, { method: 'POST', body: {} }),
  voucherWhereUsable: (memberId: string, id: string, options: Abortable = {}) => call<VoucherWhereUsable>(`${member(memberId)}/voucher-programmes/${encodeURIComponent(id)}/where-usable`, options),
  voucherProviders: (memberId: string, q: string, options: Abortable = {}) =>
    call<{ providers: { id: string; name: string; business_id: string }[] }>(`${member(memberId)}/voucher-providers`, { query: { q }, ...options }),
  // The provider's side of vouchers: bank account, prices, orders and the desk. A call that moves money sends an Idempotency-Key, the same one when it is retried.
  bankAccount: (memberId: string, options: Abortable = {}) => call<BankAccount>(`${member(memberId)}/bank-account`, options),
  setBankAccount: (memberId: string, body: BankAccountInput) => call<BankAccount>(`${member(memberId)}/bank-account`, { method: 'PUT', body }),
  providedProgrammes: (memberId: string, options: Abortable = {}) => call<{ programmes: ProvidedProgramme[] }>(`${member(memberId)}/voucher-prices`, options),
  setVoucherPrice: (memberId: string, programmeId: string, serviceId: string, cents: number) =>
    call<PricedService>(`${member(memberId)}/voucher-prices/${encodeURIComponent(programmeId)}/${encodeURIComponent(serviceId)}`, { method: 'PUT', body: { price_per_unit_cents: cents } }),
  providerOrders: (memberId: string, options: Abortable = {}) => call<{ orders: ProviderOrder[] }>(`${member(memberId)}/voucher-orders`, { query: { limit: 200 }, ...options }),
  moveVoucherOrder: (memberId: string, orderId: string, move: ProviderMove, body: { delivered_units?: number; note?: string }, idempotencyKey: string) =>
    call<ProviderOrder>(`${member(memberId)}/voucher-orders/${encodeURIComponent(orderId)}/${move}`, { method: 'POST', body, ...(move === 'accept' ? {} : { headers: { 'idempotency-key': idempotencyKey } }) }),
  lookUpVoucherCode: (memberId: string, code: string) => call<DeskVoucher>(`${member(memberId)}/voucher-desk/look-up`, { method: 'POST', body: { code } }),
  redeemVoucherCode: (memberId: string, body: { code: string; service_id: string; units: number; note?: string }, idempotencyKey: string) =>
    call<ProviderOrder>(`${member(memberId)}/voucher-desk/redeem`, { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey } }),
  serviceClasses: (lang: Language, options: Abortable = {}) => call<{ items: Municipality[] }>('/api/v1/codelists/service_classes', { query: { lang }, ...options }),

  teach: (memberId: string, body: { meters: Record<string, number>; municipality?: string; service_id: string; fits: boolean; comment?: string }) =>
    call(`${member(memberId)}/teaching`, { method: 'POST', body }),
  statistics: (memberId: string, from: string, to: string) => call<Statistics>(`${member(memberId)}/statistics`, { query: { from, to, format: 'json' } }),
  privacy: (memberId: string, options: Abortable = {}) => call<PrivacySettings>(`${member(memberId)}/privacy`, options),
  setPrivacy: (memberId: string, epsilonCapPerWeek: number | null) =>
    call<PrivacySettings>(`${member(memberId)}/privacy`, { method: 'PUT', body: { epsilon_cap_per_week: epsilonCapPerWeek } }),
  statisticsCsvUrl: (memberId: string, from: string, to: string, language: Language) =>
    `${member(memberId)}/statistics?${new URLSearchParams({ from, to, format: 'csv', language })}`,
  picture: (memberId: string, query: PictureQuery, options: Abortable = {}) => call<PictureView>(`${member(memberId)}/picture`, { query: { ...query, format: 'json' }, ...options }),
  pictureCsvUrl: (memberId: string, query: PictureQuery, language: Language) => `${member(memberId)}/picture?${new URLSearchParams({ ...query, format: 'csv', language })}`,
  pictureFollows: (memberId: string, options: Abortable = {}) => call<{ follows: PictureFollow[]; notices: PictureNotice[] }>(`${member(memberId)}/picture/follows`, options),
  followPicture: (memberId: string, body: FollowInput) => call<PictureFollow>(`${member(memberId)}/picture/follows`, { method: 'POST', body }),
  unfollowPicture: (memberId: string, followId: string) => call(`${member(memberId)}/picture/follows/${encodeURIComponent(followId)}`, { method: 'DELETE' }),
  areaList: (list: 'regions' | 'wellbeing_service_counties', lang: Language, options: Abortable = {}) =>
    call<{ items: { code: string; name: LocalText }[] }>(`/api/v1/codelists/${list}`, { query: { lang }, ...options }),

  questionnaires: (memberId: string, options: Abortable = {}) => call<{ questionnaires: QuestionnaireItem[] }>(`${member(memberId)}/questionnaires`, options),
  questionnaire: (memberId: string, id: string, options: Abortable = {}) => call<Questionnaire>(`${member(memberId)}/questionnaires/${encodeURIComponent(id)}`, options),
  createQuestionnaire: (memberId: string, definition: Definition) => call<Questionnaire>(`${member(memberId)}/questionnaires`, { method: 'POST', body: { definition } }),
  editQuestionnaire: (memberId: string, id: string, definition: Definition) => call<Questionnaire>(`${member(memberId)}/questionnaires/${encodeURIComponent(id)}`, { method: 'PUT', body: { definition } }),
  previewQuestionnaire: (memberId: string, id: string, answers: Record<string, unknown>) =>
    call<QuestionnairePreview>(`${member(memberId)}/questionnaires/${encodeURIComponent(id)}/preview`, { method: 'POST', body: { answers } }),
  publishQuestionnaire: (memberId: string, id: string) => call<{ version: number }>(`${member(memberId)}/questionnaires/${encodeURIComponent(id)}/versions`, { method: 'POST', body: {} }),
  questionnaireVersion: (memberId: string, id: string, version: number, options: Abortable = {}) =>
    call<{ version: number; definition: Definition }>(`${member(memberId)}/questionnaires/${encodeURIComponent(id)}/versions/${version}`, options),
  questionnaireRuns: (memberId: string, id: string, options: Abortable = {}) => call<{ runs: QuestionnaireRun[] }>(`${member(memberId)}/questionnaires/${encodeURIComponent(id)}/runs`, options),
  startRun: (memberId: string, id: string, body: RunInput) => call<StartedRun>(`${member(memberId)}/questionnaires/${encodeURIComponent(id)}/runs`, { method: 'POST', body }),
  closeRun: (memberId: string, id: string, runId: string) => call<QuestionnaireRun>(`${member(memberId)}/questionnaires/${encodeURIComponent(id)}/runs/${encodeURIComponent(runId)}/close`, { method: 'POST', body: {} }),
  runResults: (memberId: string, id: string, runId: string, options: Abortable = {}) =>
    call<RunResults>(`${member(memberId)}/questionnaires/${encodeURIComponent(id)}/runs/${encodeURIComponent(runId)}/results`, options),

  attributes: (options: Abortable = {}) => call<{ attributes: Attribute[] }>('/api/v1/attributes', options),
  searchServices: (q: string, lang: Language, options: Abortable = {}) =>
    call<{ items: CatalogueService[] }>('/api/v1/services', { query: { q, lang, limit: 10 }, ...options }),
  municipalities: (lang: Language, options: Abortable = {}) => call<{ items: Municipality[] }>('/api/v1/codelists/municipalities', { query: { lang }, ...options }),
  recommend: (body: { meters: Record<string, number>; municipality_code?: string; language: Language; limit: number }) =>
    call<Recommendation>('/api/v1/recommendations', { method: 'POST', body }),
};

/** For a file download the browser makes itself (a CSV): fetch it so a refusal shows as an error. */
export async function downloadFile(url: string, fallbackName: string) {
  const response = await apiResponse(url, { headers: { ...CSRF, accept: 'text/csv' } });
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? fallbackName;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
