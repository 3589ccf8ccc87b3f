import type { Context, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from '../http/env.ts'
import type { Logger } from '../log/logger.ts'
import { scrubCardNumbers } from '../log/redact.ts'
import { type ErrorCode, errorCodes, statusOf } from './codes.ts'
import { DomainError, type FieldError } from './domain-error.ts'

export interface ErrorBody {
  message: string
  code: ErrorCode
  request_id: string
  details?: FieldError[]
}

/**
 * The one place an error becomes a response: the public body shape and its status. Messages
 * may quote what the caller sent (a name in a path), so card numbers are masked here, for all.
 */
export function errorResponse(c: Context<AppEnv>, error: DomainError) {
  const body: ErrorBody = {
    message: scrubCardNumbers(error.message),
    code: error.code,
    request_id: c.get('requestId') ?? '',
    ...(error.details
      ? { details: error.details.map((d) => ({ ...d, message: scrubCardNumbers(d.message) })) }
      : {}),
  }
  if (error.retryAfterSeconds !== undefined) setRetryAfter(c, error.retryAfterSeconds)
  return c.json(body, statusOf(error.code))
}

export function createErrorHandler(fallbackLogger: Logger): ErrorHandler<AppEnv> {
  return (err, c) => {
    const known = toDomainError(err)
    if (known) return errorResponse(c, known)
    const logger = c.get('logger') ?? fallbackLogger
    logger.error('unhandled error', { error: err, method: c.req.method })
    return errorResponse(c, new DomainError('internal_error'))
  }
}

export const notFoundHandler: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(
    c,
    new DomainError('not_found', {
      message: `No route matches ${c.req.method} ${scrubCardNumbers(c.req.path)}.`,
    }),
  )

const httpStatusCodes: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
}

export function toDomainError(err: unknown): DomainError | undefined {
  if (err instanceof DomainError) return err
  if (!(err instanceof HTTPException)) return undefined
  // Hono's validator reports unparseable JSON as a bare 400.
  if (err.status === 400 && /json/i.test(err.message)) return new DomainError('invalid_json')
  const code = httpStatusCodes[err.status]
  return code ? new DomainError(code, { message: errorCodes[code].message }) : undefined
}

/** `Retry-After` in whole seconds, at least one: what every refusal that says "later" sends. */
export function setRetryAfter(c: Context, seconds: number) {
  c.header('Retry-After', String(Math.max(1, Math.ceil(seconds))))
}
