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
