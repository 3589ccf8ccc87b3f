import type { Actor } from '../audit/record.ts'
import type { AppDeps } from '../deps.ts'
import type { Logger } from '../log/logger.ts'
import type { Scope } from '../modes.ts'

export interface AppEnv {
  Variables: {
    requestId: string
    logger: Logger
    deps: AppDeps
  }
}

export interface AuthedProvider {
  id: string
  name: string
  keyId: string
  /** The key's public prefix, which names it in the audit log. */
  keyPrefix: string
  /** The key's mode: everything the request reads or changes belongs to it. */
  livemode: boolean
}

/** Routes behind provider authentication see who is calling. */
export interface ProviderEnv {
  Variables: AppEnv['Variables'] & { provider: AuthedProvider }
}

/** The calling provider's data in its key's mode. */
export function scopeOf(provider: AuthedProvider): Scope {
  return { providerId: provider.id, livemode: provider.livemode }
}

/** The API key that made a change, as the audit log names it. */
export function actorOf(provider: AuthedProvider): Actor {
  const mode = provider.livemode ? 'live' : 'test'
  return { type: 'key', id: provider.keyId, label: `ck_${mode}_${provider.keyPrefix}` }
}
