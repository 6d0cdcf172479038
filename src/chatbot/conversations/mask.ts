import { maskIdentityCodes } from '../../identity/suomifi/identity-code.ts';

/**
 * Masks what identifies a person in a message before anything is stored or passed on: e-mail
 * addresses, Finnish personal identity codes, payment card numbers and phone numbers. Card numbers
 * are masked whether or not they pass the Luhn check (a mistyped one is still someone's), and phone
 * numbers from seven digits on, written with spaces or dashes, so that an age or a date stays. Where
 * numbers stand side by side ("00100 34") they may be masked together: the safe way to be wrong.
 */
export const MASKS = { email: '[email]', identityCode: '[id-code]', card: '[card]', phone: '[phone]' } as const;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// 13–19 digits together, or in the groups cards print (4-4-4-4…, 4-6-5) separated by spaces or dashes.
const CARD = /(?<![\p{N}])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{4}([ -])\d{6}\2\d{4,5})(?![\p{N}])/gu;
// ISO dates are kept as they are: a date beside a postal code is not a phone number.
const ISO_DATE = /(?<![\p{N}+-])(?:19|20)\d{2}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\p{N}-])/gu;
// A leading + or 0, then digits with single spaces or dashes: seven digits at least.
const PHONE = /(?<![\p{N}+])(?:\+|00|0)\d(?:[ -]?\d){5,14}(?![\p{N}])/gu;
// Any other run of nine or more digits (an account, a customer number) is masked as a phone would be.
const LONG_NUMBER = /(?<![\p{N}])\d{9,}(?![\p{N}])/gu;

export function maskPersonalData(text: string): string {
  const dates: string[] = [];
  const withoutDates = text.replace(ISO_DATE, (date) => `\u0000${dates.push(date) - 1}\u0000`).replace(EMAIL, MASKS.email);
  return maskIdentityCodes(withoutDates, MASKS.identityCode)
    .replace(CARD, MASKS.card)
    .replace(PHONE, MASKS.phone)
    .replace(LONG_NUMBER, MASKS.phone)
    .replace(/\u0000(\d+)\u0000/g, (_, i: string) => dates[Number(i)]!);
}
