import { luhnValid } from '../log/luhn.ts'

/** Removes the spaces and dashes people type inside card numbers. */
export function normalisePan(raw: string): string {
  return raw.replace(/[\s-]/g, '')
}

export function panProblem(pan: string): string | undefined {
  if (!/^\d+$/.test(pan)) return 'Must contain only digits.'
  if (pan.length !== 16 && pan.length !== 19) return 'Must be 16 or 19 digits.'
  if (!luhnValid(pan)) return 'Is not a valid card number (check digit mismatch).'
  return undefined
}

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
  return undefined
}

export function ipinProblem(ipin: string): string | undefined {
  return /^\d{4}$/.test(ipin) ? undefined : 'Must be 4 digits.'
}
