import { translator } from './i18n/catalogue.ts'

/** `$24.50` from 2450 minor units of AUD; other currencies are spelled out. */
export function displayMoney(minor: bigint, currency: string): string {
  const abs = minor < 0n ? -minor : minor
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cents = (abs % 100n).toString().padStart(2, '0')
  const sign = minor < 0n ? '−' : ''
  return currency === 'AUD' ? `${sign}$${whole}.${cents}` : `${sign}${currency} ${whole}.${cents}`
}

export function displayPoints(points: bigint): string {
  const n = points.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return points === 1n ? '1 point' : `${n} points`
}

/** `28 Nov 2026, 8:30 pm AEDT` in the customer's time zone: the page's English, for the console. */
export function displayTime(at: Date, timeZone: string): string {
  return translator('en').time(at, timeZone)
}
