import { luhnValid } from '../log/luhn.ts'

/** Removes the spaces and dashes people type inside card numbers. */
export function normalisePan(raw: string): string {
  return raw.replace(/[\s-]/g, '')
}

export function panProblem(pan: string): string | undefined {
  if (!/^\d+$/.test(pan)) return 'Must contain only digits.'
  if (pan.length !== 16 && pan.length !== 19) return 'Must be 16 or 19 digits.'
  // No scheme issues a number of one repeated digit; 0000… even passes Luhn.
  if (/^(\d)\1+$/.test(pan)) return 'Is not a real card number (every digit is the same).'
  if (!luhnValid(pan)) return 'Is not a valid card number (check digit mismatch).'
  return undefined
}

/**
 * The card numbers the card brands and the big gateways publish for testing (Visa, Mastercard,
 * Amex, Discover, Diners, JCB, UnionPay; Stripe, Braintree, Adyen, Authorize.Net; eWAY, Westpac
 * PayWay, Mastercard Gateway). Anyone can
 * type them, so they never back a live key; test mode takes them, as the demo does. The 14- and
 * 15-digit ones are refused by length today; they stay listed so the list stays whole.
 */
const TEST_PANS: ReadonlySet<string> = new Set([
  '4111111111111111',
  '4242424242424242',
  '4012888888881881',
  '4005519200000004',
  '4009348888881881',
  '4012000033330026',
  '4012000077777777',
  '4217651111111119',
  '4500600000000061',
  '4000056655665556',
  '4000002500003155',
  '4000002760003184',
  '4000003800000008',
  '4917610000000000',
  '4988438843884305',
  '4035501000000008',
  '4462030000000000',
  '5555555555554444',
  '5105105105105100',
  '5200828282828210',
  '5454545454545454',
  '5431111111111111',
  '5500000000000004',
  '5424000000000015',
  '2223003122003222',
  '2223000048400011',
  '378282246310005',
  '371449635398431',
  '378734493671000',
  '340000000000009',
  '370000000000002',
  '6011111111111117',
  '6011000990139424',
  '6011000000000004',
  '6011981111111113',
  '6445644564456445',
  '3056930009020004',
  '36227206271667',
  '30569309025904',
  '38520000023237',
  '3530111333300000',
  '3566002020360505',
  '3566111111111113',
  '6200000000000005',
  '6200000000000047',
  '6205500000000000004',
  '6250941006528599',
  // Australian gateways' test cards: eWAY, Westpac PayWay, and Mastercard's gateway (which
  // Australian banks' gateways run on).
  '4444333322221111',
  '4564710000000004',
  '5163200000000008',
  '5123450000000008',
  '2223000000000007',
  '4005550000000001',
  '4508750015741019',
  '5200000000001096',
])

/** Stripe's family of outcome cards: 4000 0000 0000 then the outcome (0002 declined, 0077…). */
const STRIPE_OUTCOME = /^400000000000\d{4}$/

export function isKnownTestPan(pan: string): boolean {
  return TEST_PANS.has(pan) || STRIPE_OUTCOME.test(pan)
}

/** Cards are issued for a few years; a later expiry is a placeholder like 9912. */
export const MAX_EXPIRY_YEARS = 20

/**
 * `expDate` is `YYmm`. A card is valid through the last day of its expiry month, so it is
 * expired only once that month has ended (UTC).
 */
export function expiryProblem(expDate: string, now: Date): string | undefined {
  const match = /^(\d{2})(\d{2})$/.exec(expDate)
  if (!match) return 'Must be YYmm, for example 2812 for December 2028.'
  const year = 2000 + Number(match[1])
  const month = Number(match[2])
  if (month < 1 || month > 12) return 'The month must be 01 to 12.'
  const firstOfNextMonth = Date.UTC(year, month, 1)
  if (now.getTime() >= firstOfNextMonth) return 'The card has expired.'
  const latest = Date.UTC(now.getUTCFullYear() + MAX_EXPIRY_YEARS, now.getUTCMonth(), 1)
  if (Date.UTC(year, month - 1, 1) > latest) {
    return `Is more than ${MAX_EXPIRY_YEARS} years away: check the expiry (YYmm, for example 2812 for December 2028).`
  }
  return undefined
}

export function ipinProblem(ipin: string): string | undefined {
  return /^\d{4}$/.test(ipin) ? undefined : 'Must be 4 digits.'
}

/**
 * The PINs people choose most that the rule below misses: the twenty most common in DataGenetics'
 * study of 3.4 million four-digit PINs, less those the rule covers, and the keypad's middle column
 * down and up.
 */
const COMMON_PINS: ReadonlySet<string> = new Set([
  '1212',
  '1004',
  '2000',
  '6969',
  '1122',
  '1313',
  '2001',
  '1010',
  '2580',
  '0852',
])

/**
 * PINs anyone would try first: one digit four times, four digits in a row up or down (`1234`,
 * `9876`), and the most common others. Cashout has no issuer to ask whether an IPIN is right, so
 * where live keys pay real money it at least refuses the ones that say nobody chose them.
 */
export function isPlaceholderIpin(ipin: string): boolean {
  if (!/^\d{4}$/.test(ipin)) return false
  if (COMMON_PINS.has(ipin)) return true
  // Each digit minus the one before: all 0 is one digit four times, all 1 or all -1 a run.
  const steps = [1, 2, 3].map((i) => Number(ipin[i]) - Number(ipin[i - 1]))
  return [0, 1, -1].some((wanted) => steps.every((step) => step === wanted))
}
