import type { AppDeps } from '../deps.ts'
import type { Logger } from '../log/logger.ts'

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
}

/** Routes behind provider authentication see who is calling. */
export interface ProviderEnv {
  Variables: AppEnv['Variables'] & { provider: AuthedProvider }
}
