import type { MiddlewareHandler } from 'hono'
import { containsCardNumber } from '../log/redact.ts'
import type { AppEnv } from './env.ts'

const HEADER = 'X-Request-Id'

/** A client's own id as Hono's request-id middleware takes it: word characters, `-`, `=`. */
const CLIENT_ID = /^[\w=-]{1,255}$/

export function newRequestId(): string {
  return `req_${crypto.randomUUID().replaceAll('-', '')}`
}

/**
 * Names each request: the client's `X-Request-Id` when it sent a plain one, so its logs and
 * ours can be matched, else a new id. The id is on every log line and in every reply, so one
 * holding a card number (`4111_1111_1111_1111`) is replaced, never masked into a different id.
 */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = c.req.header(HEADER)
    const id =
      given !== undefined && CLIENT_ID.test(given) && !containsCardNumber(given)
        ? given
        : newRequestId()
    c.set('requestId', id)
    c.header(HEADER, id)
    await next()
  }
}
