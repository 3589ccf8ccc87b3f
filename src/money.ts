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
  const abs = sign ? -minor : minor
  const cents = (abs % 100n).toString().padStart(2, '0')
  return `${sign}${currency} ${(abs / 100n).toString()}.${cents}`
}

/** Minor units as the exact major-unit decimal string Hello Clever's batches take: `"12.34"`. */
export function minorToMajor(minor: bigint): string {
  if (minor < 0n) throw new RangeError('amounts sent to the rail are positive')
  return `${minor / 100n}.${(minor % 100n).toString().padStart(2, '0')}`
}

const MAJOR = /^(0|[1-9]\d{0,14})(?:\.(\d{1,2}))?$/

/**
 * A major-unit amount as the rail reports it (`10`, `12.5`, `"1000.00"`), read exactly as
 * minor units; undefined for anything that is not such an amount. A JSON number is read from
 * its shortest decimal form, so `12.5` is 1250, never 1249.
 */
export function majorToMinor(value: unknown): bigint | undefined {
  // NaN and the infinities print as words, which the pattern refuses like any other.
  if (typeof value !== 'number' && typeof value !== 'string') return undefined
  const match = MAJOR.exec(String(value))
  if (!match) return undefined
  // `12.5` is the digits `12` and `50`, cents padded to two: the amount in minor units.
  return BigInt(`${match[1]}${(match[2] ?? '').padEnd(2, '0')}`)
}
