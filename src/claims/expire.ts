import type { Claim, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import type { Scope } from '../modes.ts'
import { applyTransition } from './lifecycle.ts'

const EXPIRED = 'The claim was not used before it expired.'

/** Expires one open claim whose time is up (releasing its reservation), or nothing. */
export async function expireClaim(tx: Tx, claimId: string, now: Date): Promise<Claim | undefined> {
  const [claim] = await applyTransition(tx, {
    name: 'expire',
    changes: [{ claimId, reason: EXPIRED }],
    now,
  })
  return claim
}

/**
 * Expires every due open claim, a batch per transaction: one statement finds the batch (SKIP
 * LOCKED, so any number of processes may sweep at once without waiting on or repeating each
 * other) and the lifecycle moves it in two more, whatever its size.
 */
export async function sweepExpiredClaims({
  deps,
  scope,
  batchSize = 500,
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
      const ids = await due.execute()
      if (ids.length === 0) return { found: 0, moved: 0 }
      const moved = await applyTransition(tx, {
        name: 'expire',
        changes: ids.map(({ id }) => ({ claimId: id, reason: EXPIRED })),
        now,
      })
      return { found: ids.length, moved: moved.length }
    })
    total += expired.moved
    if (expired.moved > 0) deps.wakeWebhooks?.()
    if (expired.found < batchSize) return total
  }
}
