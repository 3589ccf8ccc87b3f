import type { MiddlewareHandler } from 'hono'
import { addressBucket } from '../console/sign-in.ts'
import { constantTimeEqual } from '../crypto/bytes.ts'
import { DomainError } from '../errors/domain-error.ts'
import { bearerToken } from '../keys/auth.ts'
import { clientIp } from './client-ip.ts'
import type { AppEnv } from './env.ts'

/**
 * Registrations one address (an IPv6 /64 counts as one) may attempt in an hour while
 * registration is open. Every attempt counts, refused ones too: each checks a card and resolves
 * an endpoint, and a success hands out a key that can make Cashout send requests.
 */
export const REGISTRATIONS_PER_ADDRESS = { limit: 5, windowMs: 3_600_000 }

/**
 * Who may register. The holder of REGISTRATION_TOKEN always may, unlimited (the operator's own
 * tooling). Anyone else only while registration is open (REGISTRATION_OPEN, the embedded
 * default), within the per-address limit; per process, like the claim page's limits.
 */
export const registrationGate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { config, limiter } = c.var.deps
  const token = config.registrationToken
  const given = bearerToken(c.req.header('Authorization'))
  const holder = token !== undefined && given !== undefined && constantTimeEqual(given, token)
  if (!holder && !config.registrationOpen) {
    c.header('WWW-Authenticate', 'Bearer')
    throw new DomainError('unauthorized', {
      message: 'Registration needs the operator’s registration token as Authorization: Bearer.',
    })
  }
  if (!holder) {
    const address = addressBucket(clientIp(c, config.clientIpSource))
    const { limit, windowMs } = REGISTRATIONS_PER_ADDRESS
    const verdict = limiter.take(`register:${address}`, limit, windowMs)
    if (!verdict.ok) {
      throw new DomainError('rate_limited', {
        message: `Too many registrations from this address: at most ${limit} an hour. Try again in ${minutes(verdict.retryAfterSeconds)}.`,
        retryAfterSeconds: verdict.retryAfterSeconds,
      })
    }
  }
  await next()
}

function minutes(seconds: number): string {
  const m = Math.ceil(seconds / 60)
  return m === 1 ? 'a minute' : `${m} minutes`
}
