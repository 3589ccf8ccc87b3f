import type { MiddlewareHandler } from 'hono'
import { constantTimeEqual } from '../crypto/bytes.ts'
import { DomainError } from '../errors/domain-error.ts'
import type { AppEnv } from '../http/env.ts'
import { bearerToken } from '../keys/auth.ts'

/** The operator API answers only to OPERATOR_TOKEN, and is closed when none is configured. */
export const requireOperator: MiddlewareHandler<AppEnv> = async (c, next) => {
  const expected = c.var.deps.config.operatorToken
  const given = bearerToken(c.req.header('Authorization'))
  if (!expected || !given || !constantTimeEqual(given, expected)) {
    c.header('WWW-Authenticate', 'Bearer')
    throw new DomainError('unauthorized', {
      message: expected
        ? 'Send the operator token as Authorization: Bearer <token>.'
        : 'The operator API is closed: set OPERATOR_TOKEN to open it.',
    })
  }
  await next()
}

export const asOperator = {
  middleware: [requireOperator],
  security: [{ operatorToken: [] }],
}
