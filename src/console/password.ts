import { constantTimeEqual, randomBytes, toBase64 } from '../crypto/bytes.ts'

/** OWASP's figure for PBKDF2-HMAC-SHA256 (2023); stored with each hash so it can be raised. */
export const PBKDF2_ITERATIONS = 600_000
export const MIN_PASSWORD_LENGTH = 12
const MAX_PASSWORD_LENGTH = 256
const SALT_BYTES = 16
const HASH_BITS = 256

async function derive(password: string, salt: Uint8Array, iterations: number) {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(password.normalize('NFKC')),
    'PBKDF2',
    false,
    ['deriveBits'],
  )
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(salt), iterations },
    key,
    HASH_BITS,
  )
  return toBase64(new Uint8Array(bits))
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0))
}

/** Why a new password is refused, in words for the person choosing it; undefined if it is fine. */
export function passwordProblem(password: string): string | undefined {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    return `Use at most ${MAX_PASSWORD_LENGTH} characters.`
  }
  if (password.trim() === '') return 'A password cannot be only spaces.'
  return undefined
}

/** `pbkdf2-sha256$<iterations>$<salt>$<hash>` (WebCrypto, so the same on Node and Workers). */
export async function hashPassword(password: string, iterations: number) {
  const salt = randomBytes(SALT_BYTES)
  return `pbkdf2-sha256$${iterations}$${toBase64(salt)}$${await derive(password, salt, iterations)}`
}

/** Parses a stored hash; undefined when it is not one of ours. */
function parseHash(stored: string) {
  const [scheme, iterations, salt, hash] = stored.split('$')
  if (scheme !== 'pbkdf2-sha256' || !iterations || !salt || !hash) return undefined
  const n = Number(iterations)
  if (!Number.isSafeInteger(n) || n < 1) return undefined
  return { iterations: n, salt: fromBase64(salt), hash }
}

export interface PasswordCheck {
  ok: boolean
  /** The hash was made with fewer iterations than today's: store a fresh one. */
  rehash: boolean
}

/** `target`: today's iteration count; a hash made with fewer is due for `rehash`. */
export async function verifyPassword(
  password: string,
  stored: string,
  target: number,
): Promise<PasswordCheck> {
  const parsed = parseHash(stored)
  if (!parsed || password.length > MAX_PASSWORD_LENGTH) return { ok: false, rehash: false }
  const candidate = await derive(password, parsed.salt, parsed.iterations)
  const ok = constantTimeEqual(candidate, parsed.hash)
  return { ok, rehash: ok && parsed.iterations < target }
}

/**
 * A well-formed hash no password matches (its salt and digest are zeros). Checking against it
 * spends the same time as checking a real password, so an unknown email answers as slowly as a
 * known one with a wrong password.
 */
const dummyHash = (iterations: number) =>
  `pbkdf2-sha256$${iterations}$${toBase64(new Uint8Array(SALT_BYTES))}$${toBase64(new Uint8Array(HASH_BITS / 8))}`

export async function burnPasswordCheck(password: string, iterations: number): Promise<void> {
  await verifyPassword(password, dummyHash(iterations), iterations)
}
