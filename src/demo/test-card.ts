import { randomBytes } from '../crypto/bytes.ts'
import { luhnValid } from '../log/luhn.ts'

/** A random 16-digit number that passes the Luhn check, for a demo provider's card. */
export function testCardNumber(): string {
  const body = `400000${Array.from(randomBytes(9), (b) => b % 10).join('')}`
  for (let check = 0; check < 10; check++) {
    if (luhnValid(`${body}${check}`)) return `${body}${check}`
  }
  throw new Error('unreachable: one check digit always fits')
}
