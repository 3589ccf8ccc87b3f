import { luhnValid } from './luhn.ts'

const SECRET_KEY =
  /^(pan|ipin|pin|cvv|cvc|exp_?date|password|passphrase|secret|\w*_secret|token|\w*_token|authorization|cookie|set-cookie|api_?key|secret_?key|app_?id|account_number|bsb|payid|destination)$/i

/**
 * A number standing on its own: digit groups joined by runs of separators, taken whole. A
 * separator is what the card field strips (`\s`, so NBSP and the other Unicode spaces too, and
 * `-`), what else a person types between groups (`.`, `_`, `+`, `/`), or one of these
 * percent-encoded, as a URL path keeps `%2B` and `%2F`. The number may not touch a letter,
 * digit or `_`, nor be joined by dashes to a word: that is part of an identifier (`req_<hex>`, a
 * uuid, an ISO date), never a card. Only whole runs match, so a longer number is never cut into
 * a card (but see slashes below), and a run that starts or ends inside an identifier is left
 * whole. Except across a slash: a path segment stands on its own beside an identifier
 * (`/<uuid>/<card>`, `/<card>/12ab`).
 */
const NUMBER_RUN =
  /(?<!(?<!%[25])[\p{L}\p{N}_]|%|\p{L}-+|\d(?:[\s._+-]|%(?:2[0bde]|5f))+)\d+(?:(?:[\s._+/-]|%(?:2[0bdef]|5f))+\d+)*(?![\p{L}\p{N}_]|-+\p{L}|(?:[\s._+-]|%(?:2[0bde]|5f))+\d)/giu

const MAX_DEPTH = 6

/** 13–19 digits passing Luhn: what a card number is. An encoded separator's hex is not digits. */
function isCardNumber(run: string): boolean {
  const digits = run.replace(/%2[0bdef]|%5f|\D/gi, '')
  return digits.length >= 13 && digits.length <= 19 && luhnValid(digits)
}

const MASK = '[card number]'

/**
 * Masks a number of 13–19 digits that passes Luhn: a card number that slipped into free text.
 * Slashes join groups (`4111/1111/…`) but also part a path's segments, so when the whole run is
 * not a card each part between slashes (`/` or `%2F`) is checked on its own: `/c/x/<card>/<id>`.
 */
export function scrubCardNumbers(text: string): string {
  return text.replace(NUMBER_RUN, (run) =>
    isCardNumber(run)
      ? MASK
      : run.replace(/\d(?:[^/%]|%(?!2f))*\d/gi, (part) => (isCardNumber(part) ? MASK : part)),
  )
}

/**
 * True when text holds a card number that logs would mask: for fields that are shown or kept
 * in clear (display names, contacts, account names), which must refuse one rather than hide it.
 */
export function containsCardNumber(text: string): boolean {
  return scrubCardNumbers(text) !== text
}

/**
 * Copies log fields with secrets removed: values under secret-looking keys are replaced,
 * card numbers inside strings are masked, errors keep only name, message and stack.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubCardNumbers(value)
  if (typeof value === 'bigint') return value.toString()
  if (value === null || typeof value !== 'object') return value
  if (depth >= MAX_DEPTH) return '[nested]'
  if (value instanceof Error) {
    return {
      name: value.name,
      message: scrubCardNumbers(value.message),
      ...('code' in value && typeof value.code === 'string' ? { code: value.code } : {}),
      ...(value.stack ? { stack: scrubCardNumbers(value.stack) } : {}),
    }
  }
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : redact(item, depth + 1)
  }
  return out
}
