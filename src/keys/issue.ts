import { type Actor, recordAudit } from '../audit/record.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { modeName } from '../modes.ts'
import { mintApiKey } from './api-key.ts'
import { insertApiKey } from './repository.ts'

/** How the audit log names a key: its public part, never its secret. */
export const keyName = (key: { prefix: string; livemode: boolean }) =>
  `ck_${modeName(key.livemode)}_${key.prefix}`

/**
 * Mints a key of one mode for a provider; the key itself is returned this once. A live key is
 * refused where no live rail is configured, since it could do nothing.
 */
export async function issueKey({
  deps,
  providerId,
  livemode,
  label,
  actor,
}: {
  deps: Pick<AppDeps, 'db' | 'clock' | 'config'>
  providerId: string
  livemode: boolean
  label: string | null
  actor: Actor
}) {
  if (livemode && !deps.config.liveRail) throw new DomainError('live_mode_unavailable')
  const minted = await mintApiKey(livemode)
  const now = deps.clock.now()
  const row = await withTx(deps.db, async (tx) => {
    const inserted = await insertApiKey(tx, {
      providerId,
      prefix: minted.prefix,
      secretSha256: minted.secretSha256,
      livemode,
      label,
      now,
    })
    await recordAudit(tx, {
      actor,
      providerId,
      livemode,
      action: 'key.created',
      target: keyName(inserted),
      after: { label },
      at: now,
    })
    return inserted
  })
  return { ...row, last_used_at: null, revoked_at: null, token: minted.token }
}
