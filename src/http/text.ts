import { z } from '@hono/zod-openapi'

const CONTROL = /\p{Cc}/u
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * Half of a surrogate pair on its own: no character at all. Postgres refuses it in JSON (an
 * audit row's before and after) and anything else would silently replace it.
 */
export function hasLoneSurrogate(s: string): boolean {
  return LONE_SURROGATE.test(s)
}

/**
 * Free text from outside: bounded, no control characters (Postgres refuses NUL outright) and
 * no lone surrogates (they would be silently replaced on the way to the database).
 */
export function text(max: number, min = 1) {
  return z
    .string()
    .min(min, min === 1 ? 'Must not be empty.' : `Must be at least ${min} characters.`)
    .max(max, `Must be at most ${max} characters.`)
    .refine((s) => !CONTROL.test(s), 'Must not contain control characters.')
    .refine((s) => !hasLoneSurrogate(s), 'Must be valid Unicode text.')
}
