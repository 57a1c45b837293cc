/** Stripe's test-card rules, shared by the Elements confirm API and the hosted Checkout page. */

export interface CardInput {
  number: string;
  expMonth: number | undefined;
  expYear: number | undefined;
  cvc: string;
}

export interface CardError {
  readonly type: 'card_error';
  readonly code: string;
  readonly decline_code?: string;
  readonly message: string;
  readonly param?: string;
}

const DECLINED = 'Your card was declined.';

/** Stripe's documented test numbers that fail; every other valid number is approved. */
const DECLINES: Readonly<Record<string, Omit<CardError, 'type'>>> = {
  '4000000000000002': { code: 'card_declined', decline_code: 'generic_decline', message: DECLINED },
  '4000000000009995': { code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  '4000000000009987': { code: 'card_declined', decline_code: 'lost_card', message: DECLINED },
  '4000000000000069': { code: 'expired_card', message: 'Your card has expired.' },
  '4000000000000127': { code: 'incorrect_cvc', message: "Your card's security code is incorrect." },
  '4000000000000119': { code: 'processing_error', message: 'An error occurred while processing your card. Try again in a little bit.' },
};

export const digitsOf = (text: string): string => text.replace(/\D/g, '');

const isAmex = (digits: string): boolean => /^3[47]/.test(digits);

export function brandOf(digits: string): string {
  if (digits.startsWith('4')) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(digits)) return 'mastercard';
  if (isAmex(digits)) return 'amex';
  return 'unknown';
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** "MM / YY", "MM/YY", "MMYY" or "MM / YYYY" → month and four-digit year; undefined when not that shape. */
export function parseExpiry(text: string): { month: number; year: number } | undefined {
  const match = /^\s*(\d{1,2})\s*\/?\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (match === null) return undefined;
  const year = Number(match[2]);
  return { month: Number(match[1]), year: year < 100 ? 2000 + year : year };
}

/** The first problem with what was typed (incomplete or invalid fields), as Stripe words it. */
export function checkCard(input: CardInput, now = new Date()): CardError | undefined {
  const number = digitsOf(input.number);
  const wantedLength = isAmex(number) ? 15 : 16;
  if (number.length < wantedLength)
    return { type: 'card_error', code: 'incomplete_number', message: 'Your card number is incomplete.', param: 'number' };
  if (number.length > wantedLength || !luhnValid(number))
    return { type: 'card_error', code: 'invalid_number', message: 'Your card number is invalid.', param: 'number' };
  const { expMonth: month, expYear: year } = input;
  if (month === undefined || year === undefined || !Number.isInteger(month) || !Number.isInteger(year))
    return { type: 'card_error', code: 'incomplete_expiry', message: "Your card's expiration date is incomplete.", param: 'exp_month' };
  if (month < 1 || month > 12)
    return { type: 'card_error', code: 'invalid_expiry_month', message: "Your card's expiration month is invalid.", param: 'exp_month' };
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth();
  if (year * 12 + (month - 1) < thisMonth)
    return {
      type: 'card_error',
      code: 'invalid_expiry_year_past',
      message: "Your card's expiration year is in the past.",
      param: 'exp_year',
    };
  if (digitsOf(input.cvc).length !== (isAmex(number) ? 4 : 3))
    return { type: 'card_error', code: 'incomplete_cvc', message: "Your card's security code is incomplete.", param: 'cvc' };
  return undefined;
}

/** The issuer's answer for a well-formed card: undefined = approved. */
export function charge(number: string, declineAll: boolean): CardError | undefined {
  if (declineAll) return { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: DECLINED };
  const decline = DECLINES[digitsOf(number)];
  return decline === undefined ? undefined : { type: 'card_error', ...decline };
}
