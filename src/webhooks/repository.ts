import type { Db, Delivery, DeliveryStatus } from '../db/schema.ts'
import type { Position } from '../http/cursor.ts'
import type { Scope } from '../modes.ts'
import { lastOverlapEnd } from './secrets.ts'

export async function listDeliveries(
  db: Db,
  filter: {
    scope: Scope
    claimId?: string
    status?: DeliveryStatus
    after?: Position
    limit: number
  },
): Promise<Delivery[]> {
  let query = db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('provider_id', '=', filter.scope.providerId)
    .where('livemode', '=', filter.scope.livemode)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit)
  if (filter.claimId) query = query.where('claim_id', '=', filter.claimId)
  if (filter.status) query = query.where('status', '=', filter.status)
  const after = filter.after
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    )
  }
  return query.execute()
}

export async function attemptsOf(db: Db, deliveryIds: string[]) {
  if (deliveryIds.length === 0) return new Map<string, Attempt[]>()
  const rows = await db
    .selectFrom('webhook_attempts')
    .select(['delivery_id', 'attempt', 'attempted_at', 'status_code', 'latency_ms', 'error'])
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('attempt')
    .execute()
  const byDelivery = new Map<string, Attempt[]>()
  for (const row of rows) {
    const list = byDelivery.get(row.delivery_id) ?? []
    list.push(row)
    byDelivery.set(row.delivery_id, list)
  }
  return byDelivery
}

export type Attempt = {
  delivery_id: string
  attempt: number
  attempted_at: Date
  status_code: number | null
  latency_ms: number
  error: string | null
}

export async function findDelivery(db: Db, scope: Scope, id: string) {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .where('id', '=', id)
    .executeTakeFirst()
}

export interface WebhookState {
  endpoint: string
  disabled: { at: Date; reason: string | null } | null
  /** Until then messages carry signatures by retired secrets too (the last overlap's end). */
  previousSecretValidUntil: Date | null
  /** Failed attempts in a row to the endpoint. */
  failing: number
  /** While paused for failures: when the next probe may go. */
  pausedUntil: Date | null
  pending: number
  exhausted: number
}

/** The endpoint, whether deliveries are on, and what is waiting, for one mode's deliveries. */
export async function webhookState(db: Db, scope: Scope, now: Date): Promise<WebhookState> {
  const row = await db
    .selectFrom('providers')
    .select([
      'endpoint',
      'webhook_disabled_at',
      'webhook_disabled_reason',
      'previous_webhook_secrets',
      'webhook_failing',
      'webhook_resume_at',
    ])
    .where('id', '=', scope.providerId)
    .executeTakeFirstOrThrow()
  const counts = await db
    .selectFrom('webhook_deliveries')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .where('status', 'in', ['pending', 'exhausted'])
    .groupBy('status')
    .execute()
  const count = (status: string) => Number(counts.find((r) => r.status === status)?.n ?? 0)
  return {
    endpoint: row.endpoint,
    disabled: row.webhook_disabled_at
      ? { at: row.webhook_disabled_at, reason: row.webhook_disabled_reason }
      : null,
    previousSecretValidUntil: lastOverlapEnd(row.previous_webhook_secrets, now),
    failing: row.webhook_failing,
    // A pause that has run out is over in effect: the next probe may go.
    pausedUntil:
      row.webhook_resume_at && row.webhook_resume_at > now ? row.webhook_resume_at : null,
    pending: count('pending'),
    exhausted: count('exhausted'),
  }
}
