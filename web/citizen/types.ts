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

/** Why a service was recommended; `text` comes localised from the server (kinds include 'situation'). */
export interface Reason {
  kind: string;
  text: string;
  situation?: string;
}
export interface RecommendationItem {
  service_id: string;
  score: number;
  name: Localized;
  summary: Localized;
  /** The languages the catalogue has the name in (an older server does not say). */
  text_languages?: ('fi' | 'sv' | 'en')[];
  explanation: string;
  reasons: Reason[];
  open_url: string;
  /** How well the service fits, 0..1. */
  confidence?: number;
  /** A crisis service: the server pins it first. */
  crisis?: boolean;
}

/*
 * What the recommender understood and what it offers when nothing fits (issue #12). The fields
 * are optional because an older server does not send them: the app must work with both.
 */
export interface Situation {
  id: string;
  label: string;
  /** The situation as the person told it, in the answer's language: "You said you lost your job". */
  said: string;
  confidence: number;
}
export interface Understood {
  language: 'fi' | 'sv' | 'en';
  situations: Situation[];
  /** The text signals immediate danger. */
  crisis: boolean;
  asker: 'person' | 'business';
}
export interface HelpLine {
  id: string;
  kind: 'emergency' | 'crisis' | 'support' | 'advice';
  name: string;
  phone: string;
  description: string;
  hours: string | null;
  url: string | null;
  /** The municipalities the line serves (codes); null: the whole country. */
  municipalities?: string[] | null;
}
export interface TryInstead {
  kind: 'life_event' | 'life_situation_check' | 'help_line' | 'rephrase';
  text: string;
  life_event?: string;
}
export interface Recommendation {
  recommendation_id: string;
  language: string;
  items: RecommendationItem[];
  understood?: Understood;
  /** No service reached the relevance threshold; items is then empty. */
  nothing_fits?: boolean;
  help_lines?: HelpLine[];
  try_instead?: TryInstead[];
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
  /** The languages the catalogue has the name in (an older server does not say). */
  text_languages?: ('fi' | 'sv' | 'en')[];
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
