import type { MiddlewareHandler } from 'hono'
import { DomainError } from '../errors/domain-error.ts'
import { decodeUtf8 } from './utf8.ts'

const JSON_TYPE = /^\s*application\/([\w.-]+\+)?json\b/i

/**
 * Decodes a JSON body strictly before anything parses it. `Request.text()` turns each invalid
 * byte into U+FFFD, so ids differing only there (`u\xff`, `u\xfe`) would become one idempotency
 * key. The text is cached where `c.req.json()` and `c.req.text()` look, so the body is still
 * read once, from the buffer the server already holds.
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
    // Hono caches each body reading as a promise, though its type says otherwise.
    ;(c.req.bodyCache as { text?: Promise<string> }).text = Promise.resolve(text)
  }
  await next()
}
