/** Largest integer that survives a JSON round trip exactly; no amount may exceed it. */
export const MAX_JSON_INT = BigInt(Number.MAX_SAFE_INTEGER)

/** A bigint amount as a JSON number; amounts are bounded on the way in, so this cannot lose digits. */
export function jsonInt(value: bigint): number {
  if (value > MAX_JSON_INT || value < -MAX_JSON_INT) {
    throw new RangeError(`${value} is outside the exact JSON integer range`)
  }
  return Number(value)
}

/** `AUD 12.34` from 1234 minor units. */
export function formatMoney(minor: bigint, currency: string): string {
  const sign = minor < 0n ? '-' : ''
  const abs = minor < 0n ? -minor : minor
  const cents = (abs % 100n).toString().padStart(2, '0')
  return `${sign}${currency} ${(abs / 100n).toString()}.${cents}`
}
