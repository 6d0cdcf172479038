/** The network API's answers, as far as the citizen app reads them. */
import type { OpeningHour } from '../../src/catalogue/model.ts';

export type { OpeningHour };
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

export interface WebPage {
  url: string;
  name: string | null;
  language: string | null;
}
export interface Phone {
  type?: string;
  number: string;
  prefix: string | null;
  additionalInformation?: string | null;
  chargeType?: string | null;
  chargeDescription?: string | null;
  language?: string | null;
}
export interface Address {
  type?: string;
  street?: Localized;
  streetNumber?: string | null;
  postalCode?: string | null;
  postOffice?: Localized;
  municipality?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  additionalInformation?: Localized;
}
export interface ServiceHours {
  type: string;
  validFrom: string | null;
  validTo: string | null;
  isClosed: boolean;
  isAlwaysOpen: boolean;
  isReservation: boolean;
  additionalInformation?: Localized;
  openingHours: OpeningHour[];
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
  emails: { address: string; language?: string | null }[];
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

export interface TransferTarget {
  channel_id: string;
  channel_type: string;
  channel_name: { fi?: string; sv?: string; en?: string } | string | null;
  mode: 'link' | 'code';
  accepts: string[];
}
export interface AttributeInfo {
  name: string;
  title: { fi?: string; sv?: string; en?: string };
  description?: { fi?: string; sv?: string; en?: string };
}
export interface TransferResult {
  consent_id: string;
  consent_key?: string;
  status: string;
  expires_at: string;
  receipt: string;
  mode: 'link' | 'code';
  link?: string;
  token?: string;
  code?: string;
  code_display?: string;
  qr_svg?: string;
}
export interface ConsentRecord {
  id: string;
  status: 'given' | 'used' | 'expired' | 'withdrawn';
  attributes: string[];
  purpose: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  withdrawn_at: string | null;
  receipt: string;
  recipient?: {
    service_id: string | null;
    service_name: { fi?: string; sv?: string; en?: string } | null;
    channel_id: string;
    channel_name: { fi?: string; sv?: string; en?: string } | string | null;
  };
}
export interface ServerCheck {
  id: string;
  taken_at: string;
  meters: Record<string, number>;
}
