import { luhnValid } from './luhn.ts'

const SECRET_KEY =
  /^(pan|ipin|pin|cvv|cvc|exp_?date|password|passphrase|secret|\w*_secret|token|\w*_token|authorization|cookie|set-cookie|api_?key|secret_?key|app_?id|account_number|bsb|payid|destination)$/i

/**
 * A number standing on its own: digit groups joined by single spaces or dashes (`4111 1111 …`,
 * `4111-1111-…`, or one unbroken run), taken whole. It may not touch a letter, digit or `_`,
 * nor be joined by a dash to one: that is part of an identifier (`req_<hex>`, a uuid, an ISO
 * date), never a card. Only whole runs match, so a longer number is never cut into a card.
 */
const NUMBER_RUN =
  /(?<![\p{L}\p{N}_]|[\p{L}\p{N}_]-|\d )\d+(?:[ -]\d+)*(?![\p{L}\p{N}_]|-[\p{L}\p{N}_]| \d)/gu

const MAX_DEPTH = 6

/** Masks a number of 13–19 digits that passes Luhn: a card number that slipped into free text. */
export function scrubCardNumbers(text: string): string {
  return text.replace(NUMBER_RUN, (run) => {
    const digits = run.replace(/[ -]/g, '')
    const card = digits.length >= 13 && digits.length <= 19 && luhnValid(digits)
    return card ? '[card number]' : run
  })
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
