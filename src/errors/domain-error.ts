import { type ErrorCode, errorCodes } from './codes.ts'

export interface FieldError {
  field: string
  message: string
}

export interface DomainErrorOptions {
  message?: string
  details?: FieldError[]
  /** Whether repeating the same call later may succeed (timeouts, 5xx), as opposed to bad input. */
  retryable?: boolean
  /** For `rate_limited`: when to try again, sent as `Retry-After`. */
  retryAfterSeconds?: number
  cause?: unknown
}

/** The one error type verbs throw; `onError` turns it into the public error body. */
export class DomainError extends Error {
  readonly code: ErrorCode
  readonly details: FieldError[] | undefined
  readonly retryable: boolean
  readonly retryAfterSeconds: number | undefined

  constructor(code: ErrorCode, options: DomainErrorOptions = {}) {
    super(options.message ?? errorCodes[code].message, { cause: options.cause })
    this.name = 'DomainError'
    this.code = code
    this.details = options.details
    this.retryable = options.retryable ?? false
    this.retryAfterSeconds = options.retryAfterSeconds
  }
}

export function isDomainError(error: unknown, code?: ErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code)
}
