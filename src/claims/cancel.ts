import { type Actor, recordAudit } from '../audit/record.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import type { Scope } from '../modes.ts'
import { expireClaim } from './expire.ts'
import { applyTransition } from './lifecycle.ts'
import { findClaim } from './repository.ts'

/**
 * Cancels an open claim of the provider's and releases its reservation; the audit log names who
 * did it (a key or a console member), written in the same transaction as the change.
 */
export async function cancelClaim({
  deps,
  scope,
  claimId,
  actor,
}: {
  deps: Pick<AppDeps, 'db' | 'clock' | 'wakeWebhooks'>
  scope: Scope
  claimId: string
  actor: Actor
}) {
  const now = deps.clock.now()
  const outcome = await withTx(deps.db, async (tx) => {
    const [cancelled] = await applyTransition(tx, {
      name: 'cancel',
      changes: [{ claimId, reason: 'Cancelled by the provider.' }],
      scope,
      now,
    })
    if (cancelled) {
      await recordAudit(tx, {
        actor,
        providerId: scope.providerId,
        livemode: scope.livemode,
        action: 'claim.cancelled',
        target: cancelled.id,
        before: { status: 'open', reference: cancelled.provider_ref },
        after: { status: cancelled.status, status_reason: cancelled.status_reason },
        at: now,
      })
      return { claim: cancelled, cancelled: true }
    }
    const current = await findClaim(tx, claimId, scope)
    if (!current) return undefined
    const expired = current.status === 'open' ? await expireClaim(tx, claimId, now) : undefined
    const latest = expired ?? (await findClaim(tx, claimId, scope)) ?? current
    return { claim: latest, cancelled: false }
  })
  if (!outcome) throw new DomainError('not_found', { message: 'You have no claim with that uuid.' })
  deps.wakeWebhooks?.()
  if (!outcome.cancelled) {
    throw new DomainError('claim_not_open', {
      message: `Only open claims can be cancelled; this one is ${outcome.claim.status}.`,
    })
  }
  return outcome.claim
}
