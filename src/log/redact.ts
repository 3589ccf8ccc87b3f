import { luhnValid } from './luhn.ts'

const SECRET_KEY =
  /^(pan|ipin|pin|cvv|cvc|exp_?date|password|passphrase|secret|\w*_secret|token|\w*_token|authorization|cookie|set-cookie|api_?key|secret_?key|app_?id|account_number|bsb|payid|destination)$/i

const DIGIT_RUN = /\d{13,19}/g

const MAX_DEPTH = 6

/** Masks any Luhn-valid 13–19 digit run: a card number that slipped into free text. */
export function scrubCardNumbers(text: string): string {
  return text.replace(DIGIT_RUN, (run) => (luhnValid(run) ? '[card number]' : run))
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
