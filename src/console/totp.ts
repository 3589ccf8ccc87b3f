import { constantTimeEqual, randomBytes } from '../crypto/bytes.ts'

/** RFC 6238 with the parameters every authenticator app assumes: SHA-1, 6 digits, 30 s. */
const STEP_SECONDS = 30
const DIGITS = 6
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

export function base32Encode(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out
}

export function base32Decode(text: string): Uint8Array {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '')
  const out: number[] = []
  let bits = 0
  let value = 0
  for (const ch of clean) {
    const index = ALPHABET.indexOf(ch)
    if (index < 0) throw new Error('not base32')
    value = (value << 5) | index
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Uint8Array.from(out)
}

/** A new secret of 160 bits (RFC 4226's recommendation), base32 as apps expect it. */
export function newTotpSecret(): string {
  return base32Encode(randomBytes(20))
}

export function timeStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / STEP_SECONDS)
}

/** The HOTP value (RFC 4226) for one counter. */
export async function hotp(secret: string, counter: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new Uint8Array(base32Decode(secret)),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  )
  const message = new Uint8Array(8)
  new DataView(message.buffer).setBigUint64(0, BigInt(counter))
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message))
  const offset = (mac[mac.length - 1] as number) & 0x0f
  const binary = new DataView(mac.buffer).getUint32(offset) & 0x7fffffff
  return String(binary % 10 ** DIGITS).padStart(DIGITS, '0')
}

export function totpAt(secret: string, at: Date): Promise<string> {
  return hotp(secret, timeStep(at))
}

/**
 * The time step a code belongs to, allowing one step of clock drift either way; undefined when it
 * matches none. The caller refuses a step at or before the last one accepted (no replays).
 */
export async function matchTotp(secret: string, code: string, at: Date) {
  const digits = code.replace(/\s/g, '')
  if (!/^\d{6}$/.test(digits)) return undefined
  const now = timeStep(at)
  for (const step of [now, now - 1, now + 1]) {
    if (constantTimeEqual(await hotp(secret, step), digits)) return step
  }
  return undefined
}

/** `ABCD EFGH …`: the secret in groups of four, for typing into an app by hand. */
export function groupForTyping(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ')
}

/** The `otpauth://` URI authenticator apps read (Key Uri Format). */
export function otpauthUri(secret: string, account: string, issuer = 'Cashout'): string {
  const label = encodeURIComponent(`${issuer}:${account}`)
  const params = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: '6',
    period: '30',
  })
  return `otpauth://totp/${label}?${params}`
}
