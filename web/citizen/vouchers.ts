import type { Language } from '../shared/i18n.ts';
import type { Text } from './life-events.ts';

/** The person's voucher API (src/vouchers/wallet/person-routes.ts), as the citizen app reads it. */
export type Receivable = 'can-receive' | 'share-needed' | 'not-eligible' | 'limit-reached' | 'budget-spent' | 'not-issuing-now';
export type Unit = 'visit' | 'hour' | 'day' | 'session' | 'voucher';
type Local = Partial<Text>;

export interface ProgrammeForMe {
  programme: {
    id: string;
    payer: { id: string; name: string };
    name: Local;
    description: Local;
    unit: Unit;
    value_per_unit_cents: number;
    units_per_voucher: number;
    co_payment_explained: Text;
    eligibility_explained: Text;
  };
  receivable: Receivable;
  to_share: string[];
  reason: Text;
}

export type OrderStatus = 'requested' | 'accepted' | 'declined' | 'cancelled' | 'no_show' | 'expired' | 'delivered' | 'confirmed' | 'disputed' | 'approved' | 'refunded' | 'settled';

export interface MyOrder {
  id: string;
  status: OrderStatus;
  via: string;
  service: { id: string; name: Local };
  provider: { id: string; name: string };
  units: number;
  delivered_units: number | null;
  price_per_unit_cents: number;
  co_payment_per_unit_cents: number;
  wanted_on: string | null;
  note: string | null;
  created_at: string;
  confirm_by: string | null;
  moves: string[];
  events: { from_status: OrderStatus | null; to_status: OrderStatus; by: 'person' | 'provider' | 'payer' | 'system'; note: string | null; at: string }[];
}

export interface WalletVoucher {
  id: string;
  status: 'active' | 'expired' | 'returned';
  programme: { id: string; name: Local; unit: Unit; payer: { id: string; name: string }; value_per_unit_cents: number; co_payment_explained: Text };
  units: number;
  units_left: number;
  value_cents: number;
  value_left_cents: number;
  valid_until: string;
  orders: MyOrder[];
}

export interface Place {
  latitude: number;
  longitude: number;
  street: Local;
  postal_code: string | null;
  post_office: Local;
}

export interface UsableService {
  id: string;
  name: Local;
  provider: { id: string; name: string } | null;
  channels: { id: string; type: string; name: Local; places: Place[] }[];
  price_per_unit_cents: number | null;
  payer_per_unit_cents: number | null;
  person_per_unit_cents: number | null;
}

const LOCALES: Record<Language, string> = { fi: 'fi-FI', sv: 'sv-FI', en: 'en-IE' };

/** Cents in euros, as the network writes them (co-payment.ts): no decimals for whole euros. */
export function euros(cents: number, language: Language): string {
  return new Intl.NumberFormat(LOCALES[language], { style: 'currency', currency: 'EUR', minimumFractionDigits: cents % 100 === 0 ? 0 : 2 }).format(cents / 100);
}

/** A fresh Idempotency-Key for one press of a button that moves money: a retry of the same press would reuse it. */
export const newKey = () => crypto.randomUUID();
