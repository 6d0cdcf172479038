/**
 * The network API's answers, as far as the citizen app reads them. Where the server has a type for
 * an answer, it is the type here: the server's modules are the wire format (type-only imports).
 */
import type { Address, Email, OpeningHour, Phone, ServiceHours, WebPage } from '../../src/catalogue/model.ts';
import type { Check } from '../../src/person/checks.ts';
import type { PersonConsent } from '../../src/person/consents.ts';
import type { PersonTransferResult } from '../../src/person/send-own-data.ts';
import type { TransferTarget } from '../../src/person/transfer-targets.ts';

export type { Address, OpeningHour, Phone, ServiceHours, TransferTarget, WebPage };
export type ConsentRecord = PersonConsent;
export type TransferResult = PersonTransferResult;
export type ServerCheck = Check;
export type Localized = string | { fi?: string; sv?: string; en?: string } | null;

export interface Reason {
  kind: string;
  text: string;
}
export interface RecommendationItem {
  service_id: string;
  score: number;
  name: Localized;
  summary: Localized;
  explanation: string;
  reasons: Reason[];
  open_url: string;
}
export interface Recommendation {
  recommendation_id: string;
  language: string;
  items: RecommendationItem[];
}

export interface Channel {
  id: string;
  type: string | null;
  name: Localized;
  summary: Localized;
  description: Localized;
  link_description?: Localized;
  languages: string[];
  web_pages: WebPage[];
  phones: Phone[];
  emails: Email[];
  addresses: Address[];
  service_hours: ServiceHours[];
}
export interface ServiceDetail {
  id: string;
  name: Localized;
  summary: Localized;
  description: Localized;
  user_instruction: Localized;
  requirements: Localized;
  charge_info: Localized;
  nationwide: boolean;
  municipalities: string[];
  languages: string[];
  organizations: { id: string; name: Localized; role: string | null }[];
  channels: Channel[];
}

export interface CodeItem {
  code: string;
  name: Localized;
}

export interface AttributeInfo {
  name: string;
  title: { fi?: string; sv?: string; en?: string };
  description?: { fi?: string; sv?: string; en?: string };
}
