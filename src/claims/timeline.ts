import type { AppDeps } from '../deps.ts'
import type { Scope } from '../modes.ts'
import { getClaim } from './read.ts'

/**
 * Everything that happened to one claim, for the console's detail page: the claim (expired on
 * the spot if its time is up), its events in order, every payout attempt and every webhook
 * delivery about it. Only the provider's claim in that mode; anything else is `not_found`.
 * Nothing here writes, apart from the expiry `getClaim` applies.
 */
export async function claimTimeline({
  deps,
  scope,
  claimId,
}: {
  deps: Pick<AppDeps, 'db' | 'clock'>
  scope: Scope
  claimId: string
}) {
  const claim = await getClaim({ deps, scope, claimId })
  const events = await deps.db
    .selectFrom('events')
    .select(['type', 'sequence', 'created_at'])
    .where('claim_id', '=', claim.id)
    .orderBy('sequence')
    .execute()
  // Only the columns a person may see: never the encrypted request or the callback token.
  const payouts = await deps.db
    .selectFrom('payouts')
    .select([
      'attempt',
      'status',
      'waiting_on',
      'destination_masked',
      'failure_code',
      'failure_reason',
      'created_at',
      'updated_at',
    ])
    .where('claim_id', '=', claim.id)
    .orderBy('attempt')
    .execute()
  // In the order of the events they announce (several can share one instant).
  const deliveries = await deps.db
    .selectFrom('webhook_deliveries as d')
    .leftJoin('events as e', 'e.id', 'd.event_id')
    .select([
      'd.id',
      'd.event_type',
      'd.status',
      'd.attempts',
      'd.last_status',
      'd.last_error',
      'd.delivered_at',
      'd.created_at',
    ])
    .where('d.claim_id', '=', claim.id)
    .where('d.provider_id', '=', scope.providerId)
    .where('d.livemode', '=', scope.livemode)
    .orderBy('d.created_at')
    .orderBy(
      (eb) => eb.ref('e.sequence'),
      (ob) => ob.nullsLast(),
    )
    .orderBy('d.id')
    .execute()
  return { claim, events, payouts, deliveries }
}

export type ClaimTimeline = Awaited<ReturnType<typeof claimTimeline>>
