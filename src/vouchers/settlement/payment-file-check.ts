import { readFileSync } from 'node:fs';
import { DOMParser } from '@xmldom/xmldom';
import { validateXML } from 'xmllint-wasm';
import { PAIN_001_NAMESPACE } from './payment-file.ts';

/**
 * For tests: a payment file checked as a bank would check it, against the schema (the EPC's SEPA
 * credit transfer schema for pain.001.001.09, src/vouchers/settlement/reference/, through libxml2's xmllint
 * compiled to WebAssembly), and read back.
 */
const schema = readFileSync(new URL('./reference/pain.001.001.09.xsd', import.meta.url), 'utf8');

export async function schemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'payment.xml', contents: xml }], schema: [{ fileName: 'pain.001.001.09.xsd', contents: schema }] });
  return result.valid ? [] : result.errors.map((e) => e.message);
}

/** The file's payments as a bank would read them. */
export function readPaymentFile(xml: string) {
  const doc = new DOMParser().parseFromString(xml, 'text/xml');
  const all = (parent: Element | Document, name: string) => Array.from(parent.getElementsByTagNameNS(PAIN_001_NAMESPACE, name));
  const text = (parent: Element | Document, name: string) => all(parent, name)[0]?.textContent ?? undefined;
  const cents = (euros: string | undefined) => Math.round(Number(euros) * 100);
  const header = all(doc, 'GrpHdr')[0]!;
  const payment = all(doc, 'PmtInf')[0]!;
  return {
    messageId: text(header, 'MsgId'),
    count: Number(text(header, 'NbOfTxs')),
    controlSumCents: cents(text(header, 'CtrlSum')),
    paymentCount: Number(text(payment, 'NbOfTxs')),
    paymentControlSumCents: cents(all(payment, 'CtrlSum')[0]?.textContent ?? undefined),
    serviceLevel: text(payment, 'SvcLvl'),
    executionDate: text(all(payment, 'ReqdExctnDt')[0]!, 'Dt'),
    debtorIban: text(all(payment, 'DbtrAcct')[0]!, 'IBAN'),
    transactions: all(payment, 'CdtTrfTxInf').map((tx) => {
      const amount = all(tx, 'InstdAmt')[0]!;
      return {
        endToEndId: text(tx, 'EndToEndId'),
        amountCents: cents(amount.textContent ?? undefined),
        currency: amount.getAttribute('Ccy'),
        creditorName: text(all(tx, 'Cdtr')[0]!, 'Nm'),
        iban: text(all(tx, 'CdtrAcct')[0]!, 'IBAN'),
        bic: all(tx, 'CdtrAgt')[0] ? text(all(tx, 'CdtrAgt')[0]!, 'BICFI') : undefined,
        remittance: text(tx, 'Ustrd'),
      };
    }),
  };
}

