import { randomBytes, randomToken, sha256Hex } from '../crypto/bytes.ts'

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'
/** `ck_test_…` or `ck_live_…`; keys minted before modes existed (`ck_<prefix>_…`) are test keys. */
const KEY = /^ck_(?:(test|live)_)?([a-z2-7]{12})_([A-Za-z0-9_-]{43})$/

export interface MintedKey {
  /** The whole key, shown to the provider once and never stored. */
  token: string
  prefix: string
  secretSha256: string
  livemode: boolean
}

/**
 * A key is `ck_<mode>_<prefix>_<secret>`: the mode says at a glance whether it can move real
 * money, the prefix is public and finds the row, the secret carries 256 bits of entropy and
 * only its SHA-256 is kept (a slow hash adds nothing at that entropy).
 */
export async function mintApiKey(livemode: boolean): Promise<MintedKey> {
  const prefix = Array.from(randomBytes(12), (b) => ALPHABET[b & 31]).join('')
  const secret = randomToken(32)
  const mode = livemode ? 'live' : 'test'
  return {
    token: `ck_${mode}_${prefix}_${secret}`,
    prefix,
    secretSha256: await sha256Hex(secret),
    livemode,
  }
}

export function parseApiKey(
  token: string,
): { prefix: string; secret: string; livemode: boolean } | undefined {
  const match = KEY.exec(token)
  if (!match) return undefined
  return { prefix: match[2] ?? '', secret: match[3] ?? '', livemode: match[1] === 'live' }
}
