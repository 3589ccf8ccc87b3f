import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { mintApiKey } from './api-key.ts'
import { insertApiKey } from './repository.ts'

/**
 * Mints a key of one mode for a provider; the key itself is returned this once. A live key is
 * refused where no live rail is configured, since it could do nothing.
 */
export async function issueKey({
  deps,
  providerId,
  livemode,
  label,
}: {
  deps: Pick<AppDeps, 'db' | 'clock' | 'config'>
  providerId: string
  livemode: boolean
  label: string | null
}) {
  if (livemode && !deps.config.liveRail) throw new DomainError('live_mode_unavailable')
  const minted = await mintApiKey(livemode)
  const row = await insertApiKey(deps.db, {
    providerId,
    prefix: minted.prefix,
    secretSha256: minted.secretSha256,
    livemode,
    label,
    now: deps.clock.now(),
  })
  return { ...row, last_used_at: null, revoked_at: null, token: minted.token }
}
