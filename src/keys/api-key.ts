import { randomBytes, randomToken, sha256Hex } from '../crypto/bytes.ts'

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'
const KEY = /^ck_([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/

export interface MintedKey {
  /** The whole key, shown to the provider once and never stored. */
  token: string
  prefix: string
  secretSha256: string
}

/**
 * A key is `ck_<prefix>_<secret>`: the prefix is public and finds the row, the secret carries
 * 256 bits of entropy and only its SHA-256 is kept (a slow hash adds nothing at that entropy).
 */
export async function mintApiKey(): Promise<MintedKey> {
  const prefix = Array.from(randomBytes(12), (b) => ALPHABET[b & 31]).join('')
  const secret = randomToken(32)
  return { token: `ck_${prefix}_${secret}`, prefix, secretSha256: await sha256Hex(secret) }
}

export function parseApiKey(token: string): { prefix: string; secret: string } | undefined {
  const match = KEY.exec(token)
  return match ? { prefix: match[1] ?? '', secret: match[2] ?? '' } : undefined
}
