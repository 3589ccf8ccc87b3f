import { sql } from 'kysely'
import type { AppDeps } from '../deps.ts'

/**
 * How long the delivery log keeps a delivery that is done (delivered, or exhausted and not
 * replayed): 30 days after its last change. Without a bound, test sends and retries would grow
 * the table without end; pending deliveries are never pruned.
 */
export const DELIVERY_RETENTION_MS = 30 * 86_400_000

/**
 * Deletes finished deliveries past retention with their attempts, one statement per batch.
 * SKIP LOCKED leaves a row a replay is changing to the replay (which makes it pending again),
 * and lets any number of sweeps run at once. Returns how many deliveries were deleted.
 */
export async function pruneDeliveries({
  deps,
  batchSize = 1000,
}: {
  deps: Pick<AppDeps, 'db' | 'clock'>
  batchSize?: number
}): Promise<number> {
  let total = 0
  for (;;) {
    const cutoff = new Date(deps.clock.now().getTime() - DELIVERY_RETENTION_MS)
    const { rows } = await sql<{ id: string }>`
      with doomed as (
        select id from webhook_deliveries
        where status in ('delivered', 'exhausted') and updated_at < ${cutoff}
        order by updated_at
        limit ${batchSize}
        for update skip locked
      ), attempts as (
        delete from webhook_attempts where delivery_id in (select id from doomed)
      )
      delete from webhook_deliveries where id in (select id from doomed)
      returning id`.execute(deps.db)
    total += rows.length
    if (rows.length < batchSize) return total
  }
}
