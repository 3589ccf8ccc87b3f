import type { Db, Rule } from '../db/schema.ts'
import type { Scope } from '../modes.ts'

/** An API key as authentication needs it, with its provider. */
export interface KnownKey {
  id: string
  prefix: string
  secret_sha256: string
  revoked_at: Date | null
  last_used_at: Date | null
  livemode: boolean
  provider_id: string
  provider_name: string
}

/** What generating a claim needs to know about a provider in one mode, read in one query. */
export interface ClaimContext {
  name: string
  suspended: boolean
  rule: Rule
  /** Whether a low-float threshold is set (then a reservation checks it in its transaction). */
  floatAlert: boolean
}

/**
 * Keys and claim contexts, kept in memory for a few seconds so the hot paths skip their reads.
 * A change made through this process (a revocation, a new rule, a suspension, a threshold) is
 * forgotten at once; another process sees it when its entry's time is up. Generate does not
 * rely on that: its write checks the key, the rule version, the suspension and the threshold in
 * the same statement and starts again on a stale entry, so those take effect at once everywhere.
 * Other routes authenticate from the cache, so a key revoked elsewhere works for up to `ttlMs`.
 */
export interface ProviderCache {
  key(prefix: string, load: () => Promise<KnownKey | undefined>): Promise<KnownKey | undefined>
  context(scope: Scope, load: () => Promise<ClaimContext>): Promise<ClaimContext>
  /** A key was revoked or used: its entry must be read again. */
  forgetKey(prefix: string): void
  /** A provider's rule, suspension, threshold or keys changed. */
  forgetProvider(providerId: string): void
}

const CACHE_TTL_MS = 5_000
const MAX_ENTRIES = 10_000

export function providerCache(options: { ttlMs?: number; now?: () => number } = {}): ProviderCache {
  const ttlMs = options.ttlMs ?? CACHE_TTL_MS
  const now = options.now ?? (() => performance.now())
  const keys = new Map<string, { at: number; value: Promise<KnownKey | undefined> }>()
  const contexts = new Map<string, { at: number; value: Promise<ClaimContext> }>()
  const contextKey = (scope: Scope) => `${scope.providerId}:${scope.livemode}`

  function cached<T>(
    map: Map<string, { at: number; value: Promise<T> }>,
    id: string,
    load: () => Promise<T>,
  ) {
    const hit = map.get(id)
    const t = now()
    if (hit && t - hit.at < ttlMs) return hit.value
    if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as string)
    // Concurrent misses share one read; a failed read is not kept.
    const value = load()
    map.set(id, { at: t, value })
    value.catch(() => map.get(id)?.value === value && map.delete(id))
    return value
  }

  return {
    key: (prefix, load) => cached(keys, prefix, load),
    context: (scope, load) => cached(contexts, contextKey(scope), load),
    forgetKey: (prefix) => {
      keys.delete(prefix)
    },
    forgetProvider: (providerId) => {
      for (const livemode of [false, true]) contexts.delete(contextKey({ providerId, livemode }))
      for (const [prefix, entry] of keys) {
        void entry.value.then((key) => key?.provider_id === providerId && keys.delete(prefix))
      }
    },
  }
}

/**
 * A provider's name, suspension, current rule and threshold in one mode: one query. Every
 * provider has a rule in each mode from registration on.
 */
export async function loadClaimContext(db: Db, scope: Scope): Promise<ClaimContext> {
  const row = await db
    .selectFrom('rules')
    .innerJoin('providers', 'providers.id', 'rules.provider_id')
    .selectAll('rules')
    .select((eb) => [
      'providers.name as provider_name',
      'providers.suspended_at',
      eb
        .exists(
          eb
            .selectFrom('float_alerts')
            .select('float_alerts.provider_id')
            .where('float_alerts.provider_id', '=', scope.providerId)
            .where('float_alerts.livemode', '=', scope.livemode),
        )
        .as('float_alert'),
    ])
    .where('rules.provider_id', '=', scope.providerId)
    .where('rules.livemode', '=', scope.livemode)
    .orderBy('rules.version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  const { provider_name, suspended_at, float_alert, ...rule } = row
  return {
    name: provider_name,
    suspended: suspended_at !== null,
    rule,
    floatAlert: Boolean(float_alert),
  }
}
