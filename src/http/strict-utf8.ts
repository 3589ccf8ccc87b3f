import type { MiddlewareHandler } from 'hono'
import { DomainError } from '../errors/domain-error.ts'
import { scrubCardNumbers } from '../log/redact.ts'
import { duplicateKey } from './json-keys.ts'
import { decodeUtf8 } from './utf8.ts'

const JSON_TYPE = /^\s*application\/([\w.-]+\+)?json\b/i

/**
 * Decodes a JSON body strictly before anything parses it. `Request.text()` turns each invalid
 * byte into U+FFFD, so ids differing only there (`u\xff`, `u\xfe`) would become one idempotency
 * key. The text is cached where `c.req.json()` and `c.req.text()` look, so the body is still
 * read once, from the buffer the server already holds.
 *
 * A field named twice is refused here too: the parser would keep the last value without a word,
 * so `{"amount":5,"amount":500000}` would read as 500000 to us and as 5 to anything that keeps
 * the first.
 */
export const strictUtf8Json: MiddlewareHandler = async (c, next) => {
  const method = c.req.method
  if (method !== 'GET' && method !== 'HEAD' && JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    const text = decodeUtf8(await c.req.arrayBuffer())
    if (text === undefined) {
      // JSON is UTF-8 (RFC 8259 §8.1).
      throw new DomainError('invalid_json', {
        message: 'The request body is not valid UTF-8. Send JSON encoded as UTF-8.',
      })
    }
    const repeated = duplicateKey(text)
    if (repeated !== undefined) {
      // The path is the sender's own text: kept short, and never echoing a card number.
      const field = scrubCardNumbers(repeated).slice(0, 100)
      throw new DomainError('invalid_json', {
        message: `The request body repeats the field “${field}”; send each field once.`,
        details: [{ field, message: 'Send this field once.' }],
      })
    }
    // Hono caches each body reading as a promise, though its type says otherwise.
    ;(c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text)
  }
  await next()
}
