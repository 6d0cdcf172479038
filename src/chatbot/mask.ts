/**
 * Masks what identifies a person in a message before anything is stored or passed on: e-mail
 * addresses, Finnish personal identity codes, payment card numbers and phone numbers. Card numbers
 * are masked whether or not they pass the Luhn check (a mistyped one is still someone's), and phone
 * numbers from seven digits on, written with spaces or dashes, so that an age or a date stays.
 */
export const MASKS = { email: '[email]', identityCode: '[id-code]', card: '[card]', phone: '[phone]' } as const;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
// DDMMYY, the century sign (+, -, A–F, and the 2023 additions U–Y), three digits, a check character.
const IDENTITY_CODE = /(?<![\p{L}\p{N}])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\p{L}\p{N}])/giu;
// 13–19 digits, in groups separated by single spaces or dashes.
const CARD = /(?<![\p{N}])\d(?:[ -]?\d){12,18}(?![\p{N}])/gu;
// A leading + or 0, then digits with single spaces or dashes: seven digits at least.
const PHONE = /(?<![\p{N}+])(?:\+|00|0)\d(?:[ -]?\d){5,14}(?![\p{N}])/gu;
// Any other run of nine or more digits (an account, a customer number) is masked as a phone would be.
const LONG_NUMBER = /(?<![\p{N}])\d{9,}(?![\p{N}])/gu;

export function maskPersonalData(text: string): string {
  return text
    .replace(EMAIL, MASKS.email)
    .replace(IDENTITY_CODE, MASKS.identityCode)
    .replace(CARD, MASKS.card)
    .replace(PHONE, MASKS.phone)
    .replace(LONG_NUMBER, MASKS.phone);
}
