import { grouped } from '../db/group.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { type Outcome, settlePayouts } from './outcome.ts'

/** Settles one payout the rail says it paid, in a transaction shared with others arriving now. */
export type SettleGroup = (payout: { id: string; withdrawalId?: string }) => Promise<Outcome>

/**
 * The rail's `settled` callbacks arrive one request each, and every settlement of a provider
 * posts to the same float accounts. Grouped, concurrent callbacks settle together: one
 * transaction and its row locks per group instead of per payout. Each callback still answers
 * only after its own settlement has committed.
 */
export function settlementGroup(deps: Pick<AppDeps, 'db' | 'clock' | 'logger'>): SettleGroup {
  return grouped(async (payouts: { id: string; withdrawalId?: string }[]) => {
    // The same payout twice in a group (a repeated callback): the first settles it, the rest
    // find it already final, as they would one after the other.
    const first = new Map<string, number>()
    for (const [i, p] of payouts.entries()) if (!first.has(p.id)) first.set(p.id, i)
    const unique = [...first.keys()].map(
      (id) => payouts[first.get(id) as number] as (typeof payouts)[0],
    )
    const outcomes = await withTx(deps.db, (tx) =>
      settlePayouts(tx, {
        payouts: unique,
        now: deps.clock.now(),
        logger: deps.logger,
        finisher: { by: 'rail' },
      }),
    )
    const byId = new Map(outcomes.flatMap((o) => (o.applied ? [[o.payout.id, o] as const] : [])))
    return payouts.map(
      (p, i): Outcome => (first.get(p.id) === i && byId.get(p.id)) || { applied: false },
    )
  })
}
