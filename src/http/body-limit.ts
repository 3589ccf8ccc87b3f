import type { MiddlewareHandler } from 'hono'
import { bodyLimit as streamingLimit } from 'hono/body-limit'
import { DomainError } from '../errors/domain-error.ts'

/**
 * Refuses bodies over `maxBytes` with `payload_too_large`. A body with a Content-Length is judged
 * by its header alone (the HTTP parser holds the sender to it), so the request is never turned
 * into a stream; only a chunked body is counted as it is read, by Hono's own limit. On Node that
 * keeps the server's lightweight request, which reads the body straight into one buffer.
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  const counted = streamingLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new DomainError('payload_too_large')
    },
  })
  return async (c, next) => {
    const length = c.req.header('content-length')
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (Number.parseInt(length, 10) > maxBytes) throw new DomainError('payload_too_large')
      return next()
    }
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next()
    return counted(c, next)
  }
}
