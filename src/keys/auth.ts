import type { MiddlewareHandler } from 'hono'
import { constantTimeEqual, sha256Hex } from '../crypto/bytes.ts'
import type { Db } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import type { AuthedProvider, ProviderEnv } from '../http/env.ts'
import type { ProviderCache } from '../providers/cache.ts'
import { parseApiKey } from './api-key.ts'
import { findKeyByPrefix, hasActiveLiveKey, touchApiKey, touchDue } from './repository.ts'

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}

const unauthorized = (message: string) => new DomainError('unauthorized', { message })

/**
 * The key a token names, if its secret matches (revoked keys included, for the caller to refuse).
 * With a cache, the key's row is read at most once per cache lifetime.
 */
export async function findKey(db: Db, token: string, cache?: ProviderCache) {
  const parsed = parseApiKey(token)
  if (!parsed) return undefined
  const load = () => findKeyByPrefix(db, parsed.prefix)
  const key = await (cache ? cache.key(parsed.prefix, load) : load())
  if (!key) return undefined
  const matches = constantTimeEqual(await sha256Hex(parsed.secret), key.secret_sha256)
  // A live key relabelled as a test key (or the reverse) is not that key.
  return matches && key.livemode === parsed.livemode ? key : undefined
}

/** Authenticates a provider by API key and puts it on the context; 401 for anything else. */
export const requireProvider: MiddlewareHandler<ProviderEnv> = async (c, next) => {
  const token = bearerToken(c.req.header('Authorization'))
  if (!token) {
    c.header('WWW-Authenticate', 'Bearer')
    throw unauthorized('Send your API key as Authorization: Bearer <key>.')
  }
  const { db, clock, logger, cache } = c.var.deps
  const key = await findKey(db, token, cache)
  if (!key) {
    c.header('WWW-Authenticate', 'Bearer error="invalid_token"')
    throw unauthorized('The API key is not valid.')
  }
  if (key.revoked_at) {
    c.header('WWW-Authenticate', 'Bearer error="invalid_token"')
    throw unauthorized('The API key has been revoked.')
  }
  if (key.livemode && !c.var.deps.config.liveRail) throw new DomainError('live_mode_unavailable')
  c.set('provider', {
    id: key.provider_id,
    name: key.provider_name,
    keyId: key.id,
    keyPrefix: key.prefix,
    livemode: key.livemode,
  })
  const now = clock.now()
  if (touchDue(key.last_used_at, now)) {
    // The cached row remembers the touch, so other requests within the minute do not repeat it.
    key.last_used_at = now
    touchApiKey(db, key.id, now).catch((error: unknown) =>
      logger.warn('could not record API key use', { error }),
    )
  }
  await next()
}

/** Spread into a route definition: authenticates the provider and documents it. */
export const asProvider = {
  middleware: [requireProvider],
  security: [{ providerKey: [] }],
}

/**
 * The endpoint, card and webhook secret serve both modes. Once a provider holds a live key,
 * only a live key may change them, so a test key (often kept with less care) cannot redirect
 * or silence live webhooks.
 */
export async function assertAccountKey(
  deps: Pick<AppDeps, 'db' | 'config'>,
  provider: AuthedProvider,
) {
  // Where live keys are refused (no live rail), they cannot be asked for either.
  if (provider.livemode || !deps.config.liveRail) return
  if (await hasActiveLiveKey(deps.db, provider.id)) throw new DomainError('live_key_required')
}
