import { DOMImplementation, XMLSerializer } from '@xmldom/xmldom';

/**
 * A settlement's payment file: an ISO 20022 pain.001.001.09 Customer Credit Transfer Initiation, as
 * SEPA credit transfers from the payer's account, one per statement. It follows the European
 * Payments Council's customer-to-bank implementation guidelines (EPC132-08, 2023 V1.0), which
 * Finnish banks take as Finance Finland's guide describes: one PmtInf (the payer's account
 * debited once per payment), service level SEPA, charges shared (SLEV), names at most 70
 * characters, amounts in euros with two decimals. The schema is in src/vouchers/settlement/reference/.
 */
export const PAIN_001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

export interface PaymentFileInput {
  /** GrpHdr/MsgId: unique per payer and bank (1 to 35 characters). */
  messageId: string;
  createdAt: Date;
  /** PmtInf/ReqdExctnDt: the day the payer's bank is asked to pay, YYYY-MM-DD. */
  executionDate: string;
  debtor: { name: string; businessId: string; iban: string; bic: string | null };
  payments: readonly {
    endToEndId: string;
    amountCents: number;
    creditor: { name: string; iban: string; bic: string | null };
    /** RmtInf/Ustrd: what the provider sees on its statement (at most 140 characters). */
    remittance: string;
  }[];
}

/** Integer cents as the schema's decimal with two fraction digits: 123456 → "1234.56". */
export function eurosText(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0) throw new Error(`not an amount in cents: ${cents}`);
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * Text the SEPA character set allows (EPC's Latin subset): letters a-z and A-Z, digits, / - ? : ( )
 * . , ' + and space. Finnish and Swedish letters are written as the guidelines suggest (ä → a,
 * ö → o, å → a), anything else as a space; cut to `max` characters.
 */
export function sepaText(text: string, max: number): string {
  const plain = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9/\-?:().,'+ ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return (plain || '-').slice(0, max).trim();
}

/** The pain.001.001.09 XML of the payments, built as a DOM (never by joining strings) and serialised. */
export function paymentFileXml(input: PaymentFileInput): string {
  if (input.payments.length === 0) throw new Error('a payment file holds at least one payment');
  const doc = new DOMImplementation().createDocument(PAIN_001_NAMESPACE, 'Document', null);
  const add = (parent: Element, name: string, text?: string, attributes: Record<string, string> = {}): Element => {
    const element = doc.createElementNS(PAIN_001_NAMESPACE, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
    if (text !== undefined) element.appendChild(doc.createTextNode(text));
    parent.appendChild(element);
    return element;
  };
  const path = (parent: Element, names: string[], text?: string): Element => {
    let at = parent;
    names.forEach((name, i) => (at = add(at, name, i === names.length - 1 ? text : undefined)));
    return at;
  };
  const agent = (parent: Element, name: string, bic: string | null) => {
    const id = path(parent, [name, 'FinInstnId']);
    // A debtor's bank must be named: without a known BIC the guidelines' "NOTPROVIDED" (the bank knows its own).
    if (bic) add(id, 'BICFI', bic);
    else path(id, ['Othr', 'Id'], 'NOTPROVIDED');
  };

  const total = input.payments.reduce((sum, p) => sum + p.amountCents, 0);
  const root = add(doc.documentElement!, 'CstmrCdtTrfInitn');
  const header = add(root, 'GrpHdr');
  add(header, 'MsgId', input.messageId);
  add(header, 'CreDtTm', input.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  add(header, 'NbOfTxs', String(input.payments.length));
  add(header, 'CtrlSum', eurosText(total));
  const initiator = add(header, 'InitgPty');
  add(initiator, 'Nm', sepaText(input.debtor.name, 70));
  path(initiator, ['Id', 'OrgId', 'Othr', 'Id'], input.debtor.businessId);

  const payment = add(root, 'PmtInf');
  add(payment, 'PmtInfId', input.messageId);
  add(payment, 'PmtMtd', 'TRF');
  add(payment, 'BtchBookg', 'false');
  add(payment, 'NbOfTxs', String(input.payments.length));
  add(payment, 'CtrlSum', eurosText(total));
  path(payment, ['PmtTpInf', 'SvcLvl', 'Cd'], 'SEPA');
  path(payment, ['ReqdExctnDt', 'Dt'], input.executionDate);
  add(add(payment, 'Dbtr'), 'Nm', sepaText(input.debtor.name, 70));
  path(payment, ['DbtrAcct', 'Id', 'IBAN'], input.debtor.iban);
  agent(payment, 'DbtrAgt', input.debtor.bic);
  add(payment, 'ChrgBr', 'SLEV');

  for (const p of input.payments) {
    const transaction = add(payment, 'CdtTrfTxInf');
    path(transaction, ['PmtId', 'EndToEndId'], p.endToEndId);
    add(add(transaction, 'Amt'), 'InstdAmt', eurosText(p.amountCents), { Ccy: 'EUR' });
    if (p.creditor.bic) path(transaction, ['CdtrAgt', 'FinInstnId', 'BICFI'], p.creditor.bic);
    add(add(transaction, 'Cdtr'), 'Nm', sepaText(p.creditor.name, 70));
    path(transaction, ['CdtrAcct', 'Id', 'IBAN'], p.creditor.iban);
    path(transaction, ['RmtInf', 'Ustrd'], sepaText(p.remittance, 140));
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(doc)}`;
}
