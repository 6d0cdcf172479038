import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { LocalizedText, LocalizedList } from '../catalogue/model.ts';

/** Kysely's view of the tables. Each domain's migrations own the tables named here. */
export interface DB {
  code_list_entries: CodeListEntryTable;
  organizations: OrganizationTable;
  services: ServiceTable;
  service_channels: ServiceChannelTable;
  service_channel_links: ServiceChannelLinkTable;
  imported_taxonomies: ImportedTaxonomyTable;
  imported_taxonomy_terms: ImportedTaxonomyTermTable;
  import_runs: ImportRunTable;
  api_clients: ApiClientTable;
  audit_log: AuditLogTable;
  members: MemberTable;
  member_services: MemberServiceTable;
  staff_users: StaffUserTable;
  staff_sessions: StaffSessionTable;
  membership_rate_events: MembershipRateEventTable;
  oidc_login_states: OidcLoginStateTable;
  suomifi_requests: SuomifiRequestTable;
  recommendations: RecommendationTable;
  recommendation_signals: RecommendationSignalTable;
  consent_keys: ConsentKeyTable;
  transfer_targets: TransferTargetTable;
  consents: ConsentTable;
  consent_audit: ConsentAuditTable;
  consent_audit_head: ConsentAuditHeadTable;
  consent_audit_chains: ConsentAuditChainTable;
  person_consents: PersonConsentTable;
  person_checks: PersonCheckTable;
  consent_rate_events: ConsentRateEventTable;
  service_events: ServiceEventTable;
  privacy_budgets: PrivacyBudgetTable;
  privacy_budget_spent: PrivacyBudgetSpentTable;
  statistics_releases: StatisticsReleaseTable;
  statistics_week_releases: StatisticsWeekReleaseTable;
  privacy_week_spent: PrivacyWeekSpentTable;
  identity_oidc_models: IdentityOidcModelTable;
  identity_accounts: IdentityAccountTable;
  identity_signing_keys: IdentitySigningKeyTable;
  job_leases: JobLeaseTable;
  identity_account_persons: IdentityAccountPersonTable;
  profile_keys: ProfileKeyTable;
  profile_attributes: ProfileAttributeTable;
  profile_history: ProfileHistoryTable;
  identity_account_clients: IdentityAccountClientTable;
  profile_requests: ProfileRequestTable;
  profile_request_calls: ProfileRequestCallTable;
  demo_login_client: DemoLoginClientTable;
  demo_login_people: DemoLoginPersonTable;
  demo_service_webhook: DemoServiceWebhookTable;
  demo_service_events: DemoServiceEventTable;
  life_events: LifeEventTable;
  life_event_consents: LifeEventConsentTable;
  event_endpoints: EventEndpointTable;
  event_subscriptions: EventSubscriptionTable;
  event_deliveries: EventDeliveryTable;
  member_events: MemberEventTable;
  event_bus_network: EventBusNetworkTable;
  register_cursors: RegisterCursorTable;
  register_income_periods: RegisterIncomePeriodTable;
  register_fact_requests: RegisterFactRequestTable;
  voucher_programmes: VoucherProgrammeTable;
  voucher_programme_services: VoucherProgrammeServiceTable;
  voucher_programme_service_classes: VoucherProgrammeServiceClassTable;
  voucher_programme_providers: VoucherProgrammeProviderTable;
  vouchers: VoucherTable;
  voucher_issue_counts: VoucherIssueCountTable;
  voucher_prices: VoucherPriceTable;
  voucher_orders: VoucherOrderTable;
  voucher_order_events: VoucherOrderEventTable;
  voucher_redemption_codes: VoucherRedemptionCodeTable;
  voucher_settlements: VoucherSettlementTable;
  voucher_settlement_statements: VoucherSettlementStatementTable;
  voucher_bank_accounts: VoucherBankAccountTable;
  ledger_accounts: LedgerAccountTable;
  ledger_transfers: LedgerTransferTable;
  idempotency_keys: IdempotencyKeyTable;
  questionnaires: QuestionnaireTable;
  questionnaire_versions: QuestionnaireVersionTable;
  questionnaire_runs: QuestionnaireRunTable;
  questionnaire_responses: QuestionnaireResponseTable;
  questionnaire_releases: QuestionnaireReleaseTable;
  chatbot_bots: ChatbotBotTable;
  chatbot_versions: ChatbotVersionTable;
  chatbot_conversations: ChatbotConversationTable;
  chatbot_messages: ChatbotMessageTable;
}

type Json<T extends object | null> = JSONColumnType<T, string, string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface CodeListEntryTable {
  list: string;
  code: string;
  parent: string | null;
  uri: string | null;
  name: Json<LocalizedText>;
  description: Json<LocalizedText>;
  attributes: Json<Record<string, unknown>>;
}

export interface OrganizationTable {
  id: string;
  source: string;
  name: Json<LocalizedText>;
  business_code: string | null;
  updated_at: Defaulted<Date>;
}

export interface ServiceTable {
  id: string;
  source: string;
  source_id: string | null;
  type: string | null;
  funding_type: string | null;
  charge_type: string | null;
  area_type: string;
  nationwide: boolean;
  name: Json<LocalizedText>;
  alternate_name: Json<LocalizedText>;
  summary: Json<LocalizedText>;
  description: Json<LocalizedText>;
  user_instruction: Json<LocalizedText>;
  requirements: Json<LocalizedText>;
  charge_info: Json<LocalizedText>;
  keywords: Json<LocalizedList>;
  languages: string[];
  areas: Json<unknown[]>;
  municipalities: string[];
  service_classes: string[];
  service_class_filter: string[];
  target_groups: string[];
  target_group_filter: string[];
  life_events: string[];
  service_collections: string[];
  organizations: Json<unknown[]>;
  ontology_terms: Json<unknown[]>;
  general_description_id: string | null;
  publishing_status: string | null;
  modified: Timestamp | null;
  content_hash: string;
  sort_name: string;
  search: ColumnType<string, never, never>;
  search_head: ColumnType<string, never, never>;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
  /** The member whose client created the record; null: the operator's. */
  owner_member_id: Defaulted<string | null>;
}

export interface ServiceChannelTable {
  id: string;
  source: string;
  source_id: string | null;
  type: string;
  organization_id: string | null;
  name: Json<LocalizedText>;
  summary: Json<LocalizedText>;
  description: Json<LocalizedText>;
  languages: string[];
  area_type: string | null;
  areas: Json<unknown[]>;
  municipalities: string[];
  web_pages: Json<unknown[]>;
  phones: Json<unknown[]>;
  emails: Json<unknown[]>;
  addresses: Json<unknown[]>;
  service_hours: Json<unknown[]>;
  publishing_status: string | null;
  modified: Timestamp | null;
  content_hash: string;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
  /** The member whose client created the channel; null: the operator's. */
  owner_member_id: Defaulted<string | null>;
}

export interface ServiceChannelLinkTable {
  service_id: string;
  channel_id: string;
  asserted_by: 'service' | 'channel';
  channel_name: string | null;
  description: Json<LocalizedText>;
}

/** An HSDS taxonomy an import brought (catalogue/migrations/2026-12-04-03-hsds-taxonomies.ts): HSDS's fields as given. */
export interface ImportedTaxonomyTable {
  id: string;
  source: string;
  name: string;
  description: string | null;
  uri: string | null;
  version: string | null;
  content_hash: string;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
}

/** An HSDS taxonomy term an import brought, of a taxonomy that is not one of the catalogue's own. */
export interface ImportedTaxonomyTermTable {
  id: string;
  source: string;
  code: string | null;
  name: string;
  description: string | null;
  parent_id: string | null;
  taxonomy: string | null;
  taxonomy_id: string | null;
  language: string | null;
  term_uri: string | null;
  content_hash: string;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
}

export interface ImportRunTable {
  id: Generated<number>;
  format: string;
  actor: string;
  started_at: Timestamp;
  finished_at: Timestamp;
  sources: Json<string[]>;
  added: number;
  updated: number;
  unchanged: number;
  skipped: number;
  skipped_records: Json<unknown[]>;
}

export interface ApiClientTable {
  id: string;
  client_id: string;
  name: string;
  secret_hash: string;
  scopes: string[];
  created_at: Defaulted<Date>;
  last_used_at: Date | null;
  revoked_at: Date | null;
  /** Null for the operator's own clients (made before membership or by `aurora client create`). */
  member_id: Defaulted<string | null>;
  suspended_at: Defaulted<Date | null>;
  rate_limit_per_minute: Defaulted<number | null>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Defaulted<Date>;
  actor: string;
  action: string;
  target: string | null;
  details: Json<Record<string, unknown>>;
  /** The member organisation a row concerns, so that its administrators can read it. */
  member_id: Defaulted<string | null>;
}

export interface RecommendationTable {
  id: string;
  /** The AuroraAI API's integer id of the same recommendation. */
  number: Generated<number>;
  created_at: Defaulted<Date>;
  client_id: string | null;
  source: 'api' | 'auroraai';
  kind: 'meters' | 'text' | 'life_event' | 'mixed';
  language: string | null;
  /** Whether free text took part; the text itself is never stored. */
  had_text: boolean;
  /** Meter → need 0..1, rounded to two decimals; only meters with a need. */
  needs: Json<Record<string, number>>;
  life_event: string | null;
  filters: Json<Record<string, unknown>>;
  result_limit: number;
  /** The services returned, in order. */
  services: Json<{ id: string; score: number }[]>;
}

export interface RecommendationSignalTable {
  id: Generated<number>;
  at: Defaulted<Date>;
  kind: 'feedback' | 'service_feedback' | 'open' | 'teaching' | 'recommendation_feedback';
  recommendation_id: string | null;
  service_id: string;
  /** The API client that sent it; null when anonymous. */
  client_id: string | null;
  needs: Json<Record<string, number>>;
  value: number;
  comment: string | null;
}

export interface ConsentKeyTable {
  id: string;
  purpose: 'payload' | 'signing' | 'subject';
  material: string;
  public_jwk: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  wrapped_by: string | null;
  created_at: Defaulted<Date>;
}

export interface TransferTargetTable {
  channel_id: string;
  url: string;
  accepts: string[];
  client_id: string;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
}

export type ConsentStatus = 'given' | 'used' | 'expired' | 'withdrawn';

export interface ConsentTable {
  id: string;
  subject: string | null;
  sender_client_id: string | null;
  recipient_channel_id: string;
  recipient_client_id: string | null;
  attributes: string[];
  purpose: string;
  created_at: Defaulted<Date>;
  expires_at: Timestamp;
  status: Defaulted<ConsentStatus>;
  used_at: Timestamp | null;
  withdrawn_at: Timestamp | null;
  token_hash: string;
  key_hash: string;
  payload: string | null;
  payload_key: string | null;
  receipt: string;
  /** Who deposited: a sending service's client, or the person themself. */
  sender: Defaulted<'service' | 'person'>;
  /** When the token (link) stops working, if earlier than expires_at (a code lives on). */
  token_expires_at: Timestamp | null;
  /** The service the sender named among those the channel serves; null when none was named. */
  recipient_service_id: Generated<string | null>;
  /** Who receives, as it was at deposit: a member (its registered name and business ID), the operator, or the demo. */
  recipient_kind: Defaulted<'member' | 'operator' | 'demo' | null>;
  recipient_organisation: Defaulted<string | null>;
  recipient_business_id: Defaulted<string | null>;
}

export type ConsentAuditEvent = 'issue' | 'redeem' | 'refuse' | 'withdraw' | 'purge';

/** One consent event in one of the hash chains; never the attribute values. */
export interface ConsentAuditTable {
  /** A row id from a sequence (for the rows before chains, also their place in the legacy chain). */
  seq: Generated<number>;
  at: Timestamp;
  event: ConsentAuditEvent;
  consent_id: string | null;
  /** An API client's id, or 'person' or 'system'. */
  actor: string;
  reason: string | null;
  prev_hash: string;
  hash: string;
  /** The chain (1–64; 0 for the legacy chain's rows written by an older server; null for rows from before chains). */
  chain: number | null;
  /** The row's place in its chain, from 1 (null for rows from before chains: their seq is their place). */
  link: number | null;
}

/** The legacy chain's head (the rows from before chains, and those an older server still appends). */
export interface ConsentAuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

/** One chain's head: its last link and that row's hash. */
export interface ConsentAuditChainTable {
  chain: number;
  link: number;
  hash: string;
}

// --- Membership (src/members/migrations, src/clients/migrations) ------------------------------------------

export type MemberStatus = 'pending' | 'approved' | 'rejected' | 'suspended';
export type StaffRole = 'network_admin' | 'org_admin' | 'developer';

export interface MemberTable {
  id: string;
  name: string;
  business_id: string;
  contact_name: string;
  contact_email: string;
  status: Defaulted<MemberStatus>;
  /** Catalogue services named in the application; linked on approval when still free. */
  requested_services: Defaulted<string[]>;
  created_at: Defaulted<Date>;
  decided_at: Date | null;
  decision_reason: string | null;
  /** A hidden API client to which the member's console teaching is attributed. */
  teaching_client_id: Defaulted<string | null>;
}

/** A catalogue service belongs to at most one member. */
export interface MemberServiceTable {
  service_id: string;
  member_id: string;
  linked_at: Defaulted<Date>;
  /** How the claim was verified; null while it waits for a network administrator. */
  verification: Defaulted<'business-id' | 'creator' | 'administrator' | null>;
  verified_at: Defaulted<Date | null>;
  verified_by: Defaulted<string | null>;
}

export interface StaffUserTable {
  id: string;
  /** Lower-cased. */
  email: string;
  name: string;
  role: StaffRole;
  member_id: string | null;
  /** argon2id; null for staff who log in only through OpenID Connect. */
  password_hash: string | null;
  /** The TOTP secret sealed with the payload keyring, and the key that sealed it. */
  totp_secret: Defaulted<string | null>;
  totp_key_id: Defaulted<string | null>;
  totp_pending_secret: Defaulted<string | null>;
  totp_pending_key_id: Defaulted<string | null>;
  /** The time step of the last code accepted: a code is never accepted twice. */
  totp_last_step: Defaulted<number | null>;
  created_at: Defaulted<Date>;
  last_login_at: Defaulted<Date | null>;
  /** The OpenID Connect issuer and subject the user is pinned to since their first OIDC login. */
  oidc_issuer: Defaulted<string | null>;
  oidc_subject: Defaulted<string | null>;
  /** Set while an administrator has disabled the user: no login, no session. */
  disabled_at: Defaulted<Date | null>;
}

export interface StaffSessionTable {
  /** SHA-256 of the cookie's token. */
  token_hash: string;
  staff_id: string;
  method: 'password' | 'oidc';
  created_at: Defaulted<Date>;
  last_seen_at: Defaulted<Date>;
  expires_at: Timestamp;
}

// Unused since logins and applications count in consent_rate_events (src/rate-limits/attempts.ts); no migration drops it.
export interface MembershipRateEventTable {
  key: string;
  at: Defaulted<Date>;
}

export interface OidcLoginStateTable {
  state_hash: string;
  code_verifier: string;
  nonce: string;
  expires_at: Timestamp;
}

// --- Upstream eID: Suomi.fi e-Identification (src/identity/suomifi/migrations) ---------

/** A SAML request sent to Suomi.fi and not yet answered (InResponseTo is accepted once). */
export interface SuomifiRequestTable {
  id: string;
  kind: 'authn' | 'logout';
  state: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

// --- Statistics for providers (src/statistics/migrations) ------------------------------

export interface ServiceEventTable {
  /** The Monday of the event's ISO week (Finnish time), YYYY-MM-DD; select it as week::text (drivers turn dates into Dates). */
  week: ColumnType<string, string, string>;
  /** 1 recommended, 2 opened, 3 transfer_received, 4 feedback_useful, 5 feedback_not_useful. */
  kind: number;
  service_id: string;
  /** The person proxy: a recommendation's id, a consent's id, or a random id for a lone event. */
  person: string;
  municipality: string | null;
  /** The ten meters in METERS order (null where not answered); null when none was given. */
  meters: number[] | null;
}

export interface PrivacyBudgetTable {
  member_id: string;
  /** Superseded by epsilon_cap_per_week; no longer read. */
  epsilon_per_month: number | null;
  /** The member's own cap on what releases may spend on one week's people; null: the default. */
  epsilon_cap_per_week: number | null;
  updated_at: Defaulted<Date>;
}

export interface PrivacyBudgetSpentTable {
  member_id: string;
  /** The first day of the calendar month, YYYY-MM-01. */
  month: ColumnType<string, string, string>;
  epsilon_spent: number;
}

export interface StatisticsReleaseTable {
  member_id: string;
  month: ColumnType<string, string, string>;
  query_key: string;
  query: Json<Record<string, unknown>>;
  epsilon: number;
  result: Json<Record<string, unknown>>;
  released_at: Defaulted<Date>;
}

/** One completed week's noisy figures for a member and a set of its services, released once. */
export interface StatisticsWeekReleaseTable {
  member_id: string;
  /** The Monday, YYYY-MM-DD. */
  week: ColumnType<string, string, string>;
  /** contentHash of the sorted service ids. */
  services_key: string;
  epsilon: number;
  cells: Json<unknown[]>;
  suppressed_cells: number;
  released_at: Defaulted<Date>;
}

export interface PrivacyWeekSpentTable {
  member_id: string;
  week: ColumnType<string, string, string>;
  epsilon_spent: number;
}

// --- Consent: the person's side (src/person/migrations) -------------------------------

/** A consent on a person's list; `person` is HMAC(subject key, person key), never the key. */
export interface PersonConsentTable {
  person: string;
  consent_id: string;
  origin: 'made' | 'claimed';
  added_at: Defaulted<Date>;
}

/** A life-situation check the person chose to save; the meters are sealed under a payload key. */
export interface PersonCheckTable {
  id: string;
  person: string;
  payload: string;
  payload_key: string;
  created_at: Defaulted<Date>;
}

/** One reserved attempt in a rate-limit bucket. */
export interface ConsentRateEventTable {
  id: Generated<number>;
  bucket: string;
  at: Defaulted<Date>;
}

// --- The network as an OpenID Provider (src/identity/migrations) -----------------------

export interface IdentityOidcModelTable {
  kind: string;
  id: string;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: Timestamp | null;
  consumed_at: Timestamp | null;
}

export interface IdentityAccountTable {
  id: string;
  /** HMAC-SHA256 of the personal identity code under a network key: never the code itself. */
  identity_key: string;
  /** Only the derived claims the person agreed to share. */
  shared_claims: ColumnType<Record<string, unknown>, string | undefined, string>;
  created_at: Defaulted<Date>;
  last_login_at: Defaulted<Date>;
}

/** The person key attached to an account, sealed (identity/account-person.ts). */
export interface IdentityAccountPersonTable {
  account_id: string;
  /** The person's subject: HMAC of the person key, as the person API knows them. */
  person: string;
  /** The person key sealed with the payload keyring (associated data: the account id). */
  sealed_key: string;
  key_id: string;
  attached_at: Defaulted<Date>;
}

/** A person's profile data key, wrapped by the payload keyring (profile/data-keys.ts). */
export interface ProfileKeyTable {
  person: string;
  key_id: string;
  wrapped_key: string;
  created_at: Defaulted<Date>;
}

export interface ProfileAttributeTable {
  person: string;
  name: string;
  /** AES-256-GCM under the person's data key: base64url(iv ‖ ciphertext ‖ tag). */
  sealed_value: string;
  updated_at: Defaulted<Date>;
  /** `person` or `service:<client id>`. */
  updated_by: string;
}

export interface ProfileHistoryTable {
  id: Generated<string>;
  person: string;
  attribute: string;
  event: 'stored' | 'changed' | 'removed' | 'store-allowed';
  actor: string;
  service_name: string | null;
  at: Defaulted<Date>;
}

export interface IdentitySigningKeyTable {
  kid: string;
  alg: string;
  public_jwk: JSONColumnType<Record<string, unknown>, string, string>;
  sealed_key_id: string;
  sealed_private_jwk: string;
  created_at: Defaulted<Date>;
}

/** A background job's lease (jobs/schedule.ts): who holds it, until when, and how often the network ran it. */
export interface JobLeaseTable {
  name: string;
  leased_by: string | null;
  leased_until: Timestamp | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  last_error: string | null;
  /** Times any server took the job (2026-12-05-40); servers from before it leave it as it is. */
  runs: ColumnType<string, string | number | undefined, string | number>;
}

export interface IdentityAccountClientTable {
  account_id: string;
  client_id: string;
  first_login_at: Defaulted<Date>;
  last_login_at: Defaulted<Date>;
}

export interface ProfileRequestTable {
  id: string;
  account_id: string;
  kind: 'export' | 'erase';
  created_at: Defaulted<Date>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type ProfileCallStatus = 'pending' | 'exported' | 'erased' | 'nothing' | 'refused' | 'unreachable' | 'failed' | 'no-endpoint';

export interface ProfileRequestCallTable {
  request_id: string;
  client_id: string;
  service_name: string;
  endpoint: string | null;
  subject: string;
  status: ProfileCallStatus;
  attempts: Defaulted<number>;
  next_attempt_at: Defaulted<Date>;
  http_status: ColumnType<number | null, number | null | undefined, number | null>;
  reason: ColumnType<unknown, string | null | undefined, string | null>;
  sealed_key_id: ColumnType<string | null, string | null | undefined, string | null>;
  sealed_data: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: Defaulted<Date>;
}

export interface DemoLoginClientTable {
  id: number;
  client_id: string;
  redirect_uri: string;
  created_at: Defaulted<Date>;
}

export interface DemoLoginPersonTable {
  client_id: string;
  subject: string;
  claims: JSONColumnType<Record<string, unknown>, string, string>;
  first_seen_at: Defaulted<Date>;
  last_seen_at: Defaulted<Date>;
}

export interface DemoServiceWebhookTable {
  id: number;
  client_id: string;
  endpoint_id: string;
  url: string;
  secret_key_id: string;
  secret_sealed: string;
  created_at: Defaulted<Date>;
}

export interface DemoServiceEventTable {
  webhook_id: string;
  client_id: string;
  subject: string;
  type: string;
  data: JSONColumnType<Record<string, unknown>, string, string>;
  occurred_at: Timestamp;
  received_at: Defaulted<Date>;
}

type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;

export interface LifeEventTable {
  id: string;
  account_id: string;
  type: string;
  occurred_at: Timestamp;
  municipality: Nullable<string>;
  data: ColumnType<Record<string, string>, string | undefined, string>;
  source: string;
  source_id: string;
  created_at: Defaulted<Date>;
}

export interface LifeEventConsentTable {
  id: string;
  account_id: string;
  event_type: string;
  client_id: string;
  given_at: Defaulted<Date>;
  withdrawn_at: Nullable<Date>;
}

export interface EventEndpointTable {
  id: string;
  member_id: string;
  client_id: string;
  url: string;
  secret_key_id: string;
  secret_sealed: string;
  previous_key_id: Nullable<string>;
  previous_sealed: Nullable<string>;
  previous_until: Nullable<Date>;
  failing_since: Nullable<Date>;
  disabled_at: Nullable<Date>;
  disabled_reason: Nullable<string>;
  created_at: Defaulted<Date>;
  /** Removed by the member: kept for the people's record of who was told, never sent through again. */
  removed_at: Nullable<Date>;
}

export interface EventSubscriptionTable {
  endpoint_id: string;
  event_type: string;
  municipalities: Nullable<string[]>;
  created_at: Defaulted<Date>;
}

export type EventDeliveryStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';

/** An event whose audience is the member itself (a situational picture notice): no person, no consent. */
export interface MemberEventTable {
  id: string;
  member_id: string;
  type: string;
  /** The CloudEvents subject: what the event is about (an area), never a person. */
  subject: string;
  occurred_at: Timestamp;
  data: ColumnType<Record<string, unknown>, string | undefined, string>;
  source: string;
  source_id: string;
  created_at: Defaulted<Date>;
}

export interface EventDeliveryTable {
  id: string;
  /** A life event's delivery; null for a member event's. */
  event_id: Nullable<string>;
  member_event_id: Nullable<string>;
  endpoint_id: string;
  status: EventDeliveryStatus;
  attempts: Defaulted<number>;
  next_attempt_at: Defaulted<Date>;
  last_http_status: Nullable<number>;
  last_error: Nullable<string>;
  delivered_at: Nullable<Date>;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
}

/** The network's name on the NATS server: its subjects and its consumer (one row). */
export interface EventBusNetworkTable {
  only_row: Defaulted<boolean>;
  name: string;
  created_at: Defaulted<Date>;
}

/** A register connector's place in its source; advanced with the events of each batch. */
export interface RegisterCursorTable {
  connector: string;
  cursor: Nullable<string>;
  changes_read: Defaulted<number>;
  events_recorded: Defaulted<number>;
  unknown_people: Defaulted<number>;
  malformed: Defaulted<number>;
  updated_at: Defaulted<Date>;
}

/** The Incomes Register connector's latest payment period per account: what a rise or drop is measured against. */
export interface RegisterIncomePeriodTable {
  connector: string;
  account_id: string;
  /** yyyy-mm: the month the payment period ends in. */
  period: string;
  amount_cents: number;
  updated_at: Defaulted<Date>;
}

export type RegisterFactStatus = 'pending' | 'approved' | 'declined' | 'withdrawn' | 'collected' | 'expired';

/** A service's request for one register fact of a person (src/register-facts/). */
export interface RegisterFactRequestTable {
  id: string;
  /** The OpenID Connect client (a member's service) that asked. */
  client_id: string;
  /** Null when the service's `sub` named nobody it knows: such a request only answers like the others. */
  account_id: string | null;
  fact: string;
  /** The service's own words, at most 200 characters. */
  purpose: string;
  status: Defaulted<RegisterFactStatus>;
  created_at: Defaulted<Date>;
  expires_at: Timestamp;
  decided_at: Nullable<Date>;
  withdrawn_at: Nullable<Date>;
  collected_at: Nullable<Date>;
  /** The fact read at the approval, sealed with the payload keyring; erased when collected or expired. */
  payload: Nullable<string>;
  payload_key: Nullable<string>;
  /** The signed consent receipt (JWS), from the approval. */
  receipt: Nullable<string>;
}

export type VoucherProgrammeStatus = 'draft' | 'open' | 'closed';

/** A payer member's voucher programme (src/vouchers/, docs/vouchers.md). */
export interface VoucherProgrammeTable {
  id: string;
  member_id: string;
  status: Defaulted<VoucherProgrammeStatus>;
  name: Json<LocalizedText>;
  description: Json<LocalizedText>;
  unit: string;
  value_per_unit_cents: number;
  units_per_voucher: number;
  /** Dates (yyyy-mm-dd) as text: a programme's first and last day, in Finnish time. */
  valid_from: ColumnType<string | null, string | null, string | null>;
  valid_until: ColumnType<string | null, string | null, string | null>;
  voucher_validity_days: number;
  co_payment_kind: 'none' | 'fixed' | 'percentage';
  co_payment_cents: number | null;
  co_payment_percent: number | null;
  /** bigint: read as a string on PostgreSQL; Number() it (cents stay far below 2^53). */
  budget_cap_cents: ColumnType<string | number | null, number | null, number | null>;
  per_person_vouchers: number;
  per_person_period: 'programme' | 'year' | 'month';
  /** The eligibility rules (src/vouchers/programmes/eligibility.ts), checked by their schema before they are kept. */
  eligibility: Json<{ all_of: unknown[] }>;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
  opened_at: Date | null;
  closed_at: Date | null;
}

export interface VoucherProgrammeServiceTable {
  programme_id: string;
  service_id: string;
}

export interface VoucherProgrammeServiceClassTable {
  programme_id: string;
  class_code: string;
}

/** An approved provider: a member whose services the programme pays for. */
export interface VoucherProgrammeProviderTable {
  programme_id: string;
  member_id: string;
}

/** bigint cents: read as a string on PostgreSQL; Number() it (cents stay far below 2^53). */
type Cents = ColumnType<string | number, number, number>;

/** A voucher issued to a person (an identity account): its value is in its own ledger account. */
export interface VoucherTable {
  id: string;
  programme_id: string;
  account_id: string;
  status: Defaulted<'active' | 'expired' | 'returned'>;
  units: number;
  value_cents: Cents;
  ledger_account_id: string;
  issue_transfer_id: string;
  issued_at: Defaulted<Date>;
  valid_until: Date;
  ended_at: Date | null;
  return_transfer_id: string | null;
}

/** Vouchers issued per programme, person and period (`programme`, `2026`, `2026-12`): the per-person limit. */
export interface VoucherIssueCountTable {
  programme_id: string;
  account_id: string;
  period: string;
  issued: number;
}

export interface VoucherPriceTable {
  programme_id: string;
  member_id: string;
  service_id: string;
  price_per_unit_cents: number;
  updated_at: Defaulted<Date>;
}

export type VoucherOrderStatus = 'requested' | 'accepted' | 'declined' | 'cancelled' | 'no_show' | 'expired' | 'delivered' | 'confirmed' | 'disputed' | 'approved' | 'refunded' | 'settled';

/** A booking of a voucher's units at a provider (src/vouchers/orders/order-states.ts). */
export interface VoucherOrderTable {
  id: string;
  voucher_id: string;
  programme_id: string;
  provider_member_id: string;
  service_id: string;
  status: VoucherOrderStatus;
  via: 'online' | 'desk';
  units: number;
  delivered_units: number | null;
  price_per_unit_cents: number;
  payer_per_unit_cents: number;
  co_payment_per_unit_cents: number;
  payable_account_id: string;
  booking_transfer_id: string | null;
  delivery_transfer_id: string | null;
  refund_transfer_id: string | null;
  settlement_id: string | null;
  wanted_on: ColumnType<string | null, string | null, string | null>;
  note: string | null;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
  delivered_at: Date | null;
  confirm_by: Date | null;
}

export interface VoucherOrderEventTable {
  id: Generated<number>;
  order_id: string;
  from_status: VoucherOrderStatus | null;
  to_status: VoucherOrderStatus;
  actor_kind: 'person' | 'provider' | 'payer' | 'system';
  actor: string;
  transfer_id: string | null;
  note: string | null;
  at: Defaulted<Date>;
}

export interface VoucherRedemptionCodeTable {
  code_hash: string;
  voucher_id: string;
  created_at: Defaulted<Date>;
  expires_at: Date;
  used_at: Date | null;
  order_id: string | null;
}

export interface VoucherSettlementTable {
  id: string;
  member_id: string;
  number: number;
  through: ColumnType<string, string, string>;
  total_cents: Cents;
  orders: number;
  message_id: string;
  payment_file: string | null;
  created_by: string;
  created_at: Defaulted<Date>;
}

export interface VoucherSettlementStatementTable {
  settlement_id: string;
  provider_member_id: string;
  programme_id: string;
  total_cents: Cents;
  orders: number;
  transfer_id: string;
  end_to_end_id: string;
  creditor_name: string;
  creditor_iban: string;
  creditor_bic: string | null;
}

/** A member's bank account for settlements: a payer pays from it, a provider is paid to it. */
export interface VoucherBankAccountTable {
  member_id: string;
  holder: string;
  iban: string;
  bic: string | null;
  updated_at: Defaulted<Date>;
  updated_by: string;
}

/** A ledger account (src/ledger/): its balances in cents change only under a row lock, with a transfer. */
export interface LedgerAccountTable {
  id: string;
  code: string;
  kind: string;
  debits_must_not_exceed_credits: Defaulted<boolean>;
  credits_must_not_exceed_debits: Defaulted<boolean>;
  debits_pending: Defaulted<number>;
  debits_posted: Defaulted<number>;
  credits_pending: Defaulted<number>;
  credits_posted: Defaulted<number>;
  created_at: Defaulted<Timestamp>;
}

/** The ledger's journal: append-only (a trigger refuses UPDATE and DELETE). */
export interface LedgerTransferTable {
  id: string;
  kind: 'single' | 'pending' | 'post' | 'void' | 'expire';
  debit_account_id: string;
  credit_account_id: string;
  amount: number;
  pending_id: string | null;
  timeout_at: Timestamp | null;
  reference: Json<Record<string, unknown>> | null;
  created_at: Defaulted<Timestamp>;
}

/** An Idempotency-Key's request and, once answered, its answer (src/http/idempotency.ts). */
export interface IdempotencyKeyTable {
  caller: string;
  key: string;
  request_hash: string;
  status: number | null;
  content_type: string | null;
  body: string | null;
  created_at: Defaulted<Timestamp>;
  locked_until: Timestamp | null;
  expires_at: Timestamp;
}

/** A member's questionnaire (src/questionnaires/, docs/questionnaires.md): its draft, SurveyJS JSON checked by src/questionnaires/format.ts. */
export interface QuestionnaireTable {
  id: string;
  member_id: string;
  /** The draft's title, kept apart for lists and the audit log. */
  title: Json<Record<string, string>>;
  draft: Json<Record<string, unknown>>;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
}

/** A published version: never changed; responses and runs name it. */
export interface QuestionnaireVersionTable {
  questionnaire_id: string;
  version: number;
  definition: Json<Record<string, unknown>>;
  published_at: Defaulted<Date>;
  published_by: string;
}

export type QuestionnaireAccess = 'open' | 'link' | 'pin';

export interface QuestionnaireRunTable {
  id: string;
  questionnaire_id: string;
  version: number;
  member_id: string;
  name: string;
  access: QuestionnaireAccess;
  /** The link key's SHA-256 (link) or the PIN's argon2id hash (pin); null for an open run. */
  secret_hash: string | null;
  opens_at: Date;
  closes_at: Date;
  profile_saving: Defaulted<boolean>;
  /** What the run's releases have spent of its privacy budget. */
  epsilon_spent: Defaulted<number>;
  created_at: Defaulted<Date>;
  /** A PIN run's short code, typed at /q to find it; null for other runs and those started before codes. */
  code: Defaulted<string | null>;
}

/** One anonymous response: no person, no address, only the answers and the meters they gave. */
export interface QuestionnaireResponseTable {
  id: string;
  run_id: string;
  version: number;
  answers: Json<Record<string, unknown>>;
  meters: Json<Record<string, number>>;
  submitted_at: Defaulted<Date>;
}

/** A noised release of a run's results, kept and shown until the next. */
export interface QuestionnaireReleaseTable {
  run_id: string;
  release: number;
  /** The true count at release, never shown: it decides when the next release is due. */
  responses: number;
  epsilon: number;
  figures: Json<Record<string, unknown>>;
  released_at: Defaulted<Date>;
}

/** A member's bot (src/chatbot/, docs/chatbot.md): its draft content pack, checked by src/chatbot/pack.ts, and the version that answers. */
export interface ChatbotBotTable {
  id: string;
  member_id: string;
  name: string;
  draft: Json<Record<string, unknown>>;
  published_version: number | null;
  retention_days: Defaulted<number>;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
}

/** A published content pack: never changed; publishing an older one again is a roll back. */
export interface ChatbotVersionTable {
  bot_id: string;
  version: number;
  pack: Json<Record<string, unknown>>;
  published_at: Defaulted<Date>;
  published_by: string;
}

/** A conversation with a bot: the version that answers it, its form state; purged at expires_at. */
export interface ChatbotConversationTable {
  id: string;
  bot_id: string;
  version: number;
  language: string;
  state: Json<Record<string, unknown>>;
  started_at: Defaulted<Date>;
  last_at: Defaulted<Date>;
  expires_at: Timestamp;
}

/** One turn of a transcript, its text masked (src/chatbot/conversations/mask.ts) before it was stored. */
export interface ChatbotMessageTable {
  id: Generated<number>;
  conversation_id: string;
  author: 'person' | 'bot';
  text: string;
  intent: string | null;
  confidence: number | null;
  created_at: Defaulted<Date>;
  /** When a whisperer dealt with it (an unrecognised message added as an example or dismissed). */
  dismissed_at: Defaulted<Date | null>;
}
