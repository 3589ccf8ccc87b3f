import type { Claim, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { releaseForClaim } from '../ledger/reservation.ts'
import type { Scope } from '../modes.ts'
import { recordEvent, transition } from './transition.ts'

/** Expires one open claim whose time is up: releases its reservation and records the event. */
export async function expireClaim(tx: Tx, claimId: string, now: Date): Promise<Claim | undefined> {
  const claim = await transition(tx, {
    claimId,
    from: ['open'],
    to: 'expired',
    reason: 'The claim was not used before it expired.',
    expiredBy: now,
    now,
  })
  if (!claim) return undefined
  await recordEvent(tx, claim, 'claim.expired', now)
  await releaseForClaim(tx, claim, now)
  return claim
}

/**
 * Expires every due open claim, a batch per transaction. Rows are taken with SKIP LOCKED, so
 * any number of processes may sweep at once without waiting on or repeating each other.
 */
export async function sweepExpiredClaims({
  deps,
  scope,
  batchSize = 100,
}: {
  deps: Pick<AppDeps, 'db' | 'clock' | 'wakeWebhooks'>
  /** Only this provider's claims in this mode (before listing them). */
  scope?: Scope
  batchSize?: number
}): Promise<number> {
  let total = 0
  for (;;) {
    const now = deps.clock.now()
    const expired = await withTx(deps.db, async (tx) => {
      let due = tx
        .selectFrom('claims')
        .select('id')
        .where('status', '=', 'open')
        .where('expires_at', '<=', now)
        .orderBy('expires_at')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
      if (scope !== undefined) {
        due = due.where('provider_id', '=', scope.providerId).where('livemode', '=', scope.livemode)
      }
      let count = 0
      for (const { id } of await due.execute()) {
        if (await expireClaim(tx, id, now)) count++
      }
      return count
    })
    total += expired
    if (expired > 0) deps.wakeWebhooks?.()
    if (expired < batchSize) return total
  }
}
