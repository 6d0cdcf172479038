import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { LocalizedText, LocalizedList } from '../catalogue/model.ts';

/** Kysely's view of the tables. Each domain's migrations own the tables named here. */
export interface DB {
  code_list_entries: CodeListEntryTable;
  organizations: OrganizationTable;
  services: ServiceTable;
  service_channels: ServiceChannelTable;
  service_channel_links: ServiceChannelLinkTable;
  import_runs: ImportRunTable;
  api_clients: ApiClientTable;
  audit_log: AuditLogTable;
  recommendations: RecommendationTable;
  recommendation_signals: RecommendationSignalTable;
  consent_keys: ConsentKeyTable;
  transfer_targets: TransferTargetTable;
  consents: ConsentTable;
  consent_audit: ConsentAuditTable;
  consent_audit_head: ConsentAuditHeadTable;
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
}

export interface ServiceChannelLinkTable {
  service_id: string;
  channel_id: string;
  asserted_by: 'service' | 'channel';
  channel_name: string | null;
  description: Json<LocalizedText>;
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
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Defaulted<Date>;
  actor: string;
  action: string;
  target: string | null;
  details: Json<Record<string, unknown>>;
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
  purpose: 'payload' | 'signing';
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
}

export type ConsentAuditEvent = 'issue' | 'redeem' | 'refuse' | 'withdraw' | 'purge';

/** One consent event in the hash chain; never the attribute values. */
export interface ConsentAuditTable {
  seq: number;
  at: Timestamp;
  event: ConsentAuditEvent;
  consent_id: string | null;
  /** An API client's id, or 'person' or 'system'. */
  actor: string;
  reason: string | null;
  prev_hash: string;
  hash: string;
}

export interface ConsentAuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}
