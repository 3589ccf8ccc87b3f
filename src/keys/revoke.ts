import { type Actor, recordAudit } from '../audit/record.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { keyName } from './issue.ts'

/**
 * Revokes a key, refusing to revoke the provider's last active one of its mode. The provider's keys are
 * locked first, so two concurrent revocations cannot both pass the check. Revoking a revoked key
 * changes nothing and is not logged again.
 */
export async function revokeKey({
  deps,
  providerId,
  livemode,
  keyId,
  actor,
}: {
  deps: Pick<AppDeps, 'db' | 'clock' | 'cache'>
  providerId: string
  /** A key manages only keys of its own mode. */
  livemode: boolean
  keyId: string
  actor: Actor
}) {
  return withTx(deps.db, async (tx) => {
    const keys = await tx
      .selectFrom('api_keys')
      .select(['id', 'revoked_at'])
      .where('provider_id', '=', providerId)
      .where('livemode', '=', livemode)
      .orderBy('id')
      .forUpdate()
      .execute()
    const target = keys.find((k) => k.id === keyId)
    if (!target) throw new DomainError('not_found', { message: 'You have no key with that id.' })
    const othersActive = keys.some((k) => k.id !== keyId && k.revoked_at === null)
    if (target.revoked_at === null && !othersActive) throw new DomainError('last_active_key')
    const now = deps.clock.now()
    const revoked = await tx
      .updateTable('api_keys')
      .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(now)) }))
      .where('id', '=', keyId)
      .returning(['id', 'prefix', 'livemode', 'label', 'created_at', 'last_used_at', 'revoked_at'])
      .executeTakeFirstOrThrow()
    if (target.revoked_at === null) {
      await recordAudit(tx, {
        actor,
        providerId,
        livemode,
        action: 'key.revoked',
        target: keyName(revoked),
        before: { revoked: false, label: revoked.label },
        after: { revoked: true },
        at: now,
      })
    }
    return revoked
  }).then((revoked) => {
    deps.cache.forgetKey(revoked.prefix)
    return revoked
  })
}
