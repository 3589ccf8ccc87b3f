import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { applyTransition } from './lifecycle.ts'

/**
 * Sends `claim.expiring` for every open claim whose rule's reminder is due, a batch per
 * transaction, as the expiry sweep does: one statement finds the batch (SKIP LOCKED, so sweeps
 * side by side neither wait on nor repeat each other) and the lifecycle's `remind` moves it,
 * marking each claim reminded so none is reminded twice. A claim whose time is already up is
 * left to the expiry sweep: a reminder after the fact would only precede `claim.expired`.
 */
export async function sweepClaimReminders({
  deps,
  batchSize = 500,
}: {
  deps: Pick<AppDeps, 'db' | 'clock' | 'wakeWebhooks'>
  batchSize?: number
}): Promise<number> {
  let total = 0
  for (;;) {
    const now = deps.clock.now()
    const reminded = await withTx(deps.db, async (tx) => {
      // The conditions of the partial index claims_reminder_due, so it answers alone.
      const ids = await tx
        .selectFrom('claims')
        .select('id')
        .where('status', '=', 'open')
        .where('reminded_at', 'is', null)
        .where('remind_at', 'is not', null)
        .where('remind_at', '<=', now)
        .where('expires_at', '>', now)
        .orderBy('remind_at')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute()
      if (ids.length === 0) return { found: 0, moved: 0 }
      const moved = await applyTransition(tx, {
        name: 'remind',
        changes: ids.map(({ id }) => ({ claimId: id })),
        now,
      })
      return { found: ids.length, moved: moved.length }
    })
    total += reminded.moved
    if (reminded.moved > 0) deps.wakeWebhooks?.()
    if (reminded.found < batchSize) return total
  }
}
