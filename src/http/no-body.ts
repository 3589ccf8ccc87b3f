import type { MiddlewareHandler } from 'hono'
import { DomainError } from '../errors/domain-error.ts'
import { scrubCardNumbers } from '../log/redact.ts'
import { decodeUtf8 } from './utf8.ts'

/**
 * For a route that takes no body: refuses one with content instead of ignoring it, so a client
 * that sends `{"reason":"fraud"}` to cancel is not left believing it recorded a reason. No body,
 * an empty or blank one, and `{}` (what some clients send by default) still pass. The bytes are
 * read into Hono's body cache, where the JSON decoding after this finds them.
 */
export const noBody: MiddlewareHandler = async (c, next) => {
  const text = decodeUtf8(await c.req.arrayBuffer())
  if (text?.trim() !== '') {
    const keys = objectKeys(text)
    if (keys?.length !== 0) throw refusal(keys?.[0])
  }
  await next()
}

/** Names the body's first field when it is a JSON object, else the body as a whole. */
function refusal(field: string | undefined): DomainError {
  const detail =
    field === undefined
      ? { field: 'body', message: 'This request takes no body; send none.' }
      : {
          // The name is the sender's own text: kept short, never echoing a card number.
          field: scrubCardNumbers(field).slice(0, 100),
          message: 'Not a field of this request; remove it.',
        }
  return new DomainError('validation_failed', { details: [detail] })
}

/** The keys of a body that is a JSON object; undefined for any other body, or bytes not UTF-8. */
function objectKeys(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return Object.keys(value)
    }
  } catch {
    // Not JSON: refused as a body all the same.
  }
  return undefined
}
