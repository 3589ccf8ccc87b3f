import { type Actor, recordAudit } from '../audit/record.ts'
import { randomBytes, toBase64 } from '../crypto/bytes.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import type { Scope } from '../modes.ts'
import { spendSendBudget } from './budget.ts'
import { newMessageId, testPayload } from './payload.ts'
import { retire } from './secrets.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'vault' | 'wakeWebhooks' | 'limiter' | 'config'>

/**
 * Sends a delivery again from the start of the schedule (ten attempts), under the same
 * webhook-id. A fresh schedule is what a provider recovering from an outage needs, and also what
 * makes a replay worth up to ten requests, so every replay spends one unit of the provider's
 * send budget first: an exhausted delivery is restarted only as often as the budget allows.
 */
export async function replayDelivery({
  deps,
  scope,
  id,
  actor,
}: {
  deps: Deps
  /** The provider's deliveries of one mode: a test key cannot replay live ones. */
  scope: Scope
  id: string
  actor: Actor
}) {
  spendSendBudget(deps, scope.providerId)
  const now = deps.clock.now()
  const replayed = await withTx(deps.db, async (tx) => {
    const row = await tx
      .updateTable('webhook_deliveries')
      .set({
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        lease_owner: null,
        lease_expires_at: null,
        delivered_at: null,
        updated_at: now,
      })
      .where('provider_id', '=', scope.providerId)
      .where('livemode', '=', scope.livemode)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]))
      .returningAll()
      .executeTakeFirst()
    if (!row) return undefined
    await recordAudit(tx, {
      actor,
      providerId: scope.providerId,
      livemode: scope.livemode,
      action: 'webhook.replayed',
      target: row.id,
      after: { event: row.event_type, claim: row.claim_id },
      at: now,
    })
    return row
  })
  if (!replayed) {
    const exists = await deps.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('provider_id', '=', scope.providerId)
      .where('livemode', '=', scope.livemode)
      .where('id', '=', id)
      .executeTakeFirst()
    if (!exists)
      throw new DomainError('not_found', { message: 'You have no delivery with that id.' })
    throw new DomainError('delivery_in_flight')
  }
  deps.wakeWebhooks?.()
  return replayed
}

/**
 * Queues a `webhook.test` message to the provider's endpoint, signed like any other (retried
 * like any other), within the provider's send budget.
 */
export async function sendTestEvent({
  deps,
  scope,
  actor,
}: {
  deps: Deps
  scope: Scope
  actor: Actor
}) {
  spendSendBudget(deps, scope.providerId)
  const now = deps.clock.now()
  const providerId = scope.providerId
  const delivery = await withTx(deps.db, async (tx) => {
    const provider = await tx
      .selectFrom('providers')
      .select('name')
      .where('id', '=', providerId)
      .executeTakeFirstOrThrow()
    const row = await tx
      .insertInto('webhook_deliveries')
      .values({
        id: newMessageId(),
        provider_id: providerId,
        livemode: scope.livemode,
        event_id: null,
        claim_id: null,
        event_type: 'webhook.test',
        payload: testPayload(provider.name, scope.livemode, now),
        status: 'pending',
        next_attempt_at: now,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await recordAudit(tx, {
      actor,
      providerId,
      livemode: scope.livemode,
      action: 'webhook.test_sent',
      target: row.id,
      at: now,
    })
    return row
  })
  deps.wakeWebhooks?.()
  return delivery
}

/**
 * Issues a new signing secret, shown once. Until the overlap ends every message carries a
 * signature by the old secret too, so receivers can switch without missing a message; a secret
 * retired by an earlier rotation keeps its own overlap (at most three sign at once, see
 * `retire`). The audit log records when, by whom and the overlap, never a secret.
 */
export async function rotateSecret({
  deps,
  providerId,
  overlapSeconds,
  actor,
}: {
  deps: Deps
  providerId: string
  overlapSeconds: number
  actor: Actor
}) {
  const now = deps.clock.now()
  const secret = `whsec_${toBase64(randomBytes(32))}`
  const sealed = await deps.vault.seal(secret)
  const until = new Date(now.getTime() + overlapSeconds * 1000)
  const previousValidUntil = overlapSeconds > 0 ? until : null
  await withTx(deps.db, async (tx) => {
    // Locked, so two rotations at once each see the other's retired secret.
    const row = await tx
      .selectFrom('providers')
      .select(['webhook_secret_jwe', 'previous_webhook_secrets'])
      .where('id', '=', providerId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    const previous = retire(
      row.previous_webhook_secrets,
      row.webhook_secret_jwe,
      previousValidUntil,
      now,
    )
    await tx
      .updateTable('providers')
      .set({
        previous_webhook_secrets: JSON.stringify(previous),
        webhook_secret_jwe: sealed.jwe,
        updated_at: now,
      })
      .where('id', '=', providerId)
      .execute()
    await recordAudit(tx, {
      actor,
      providerId,
      action: 'webhook.secret_rotated',
      target: 'signing secret',
      after: { previous_secret_valid_until: previousValidUntil?.toISOString() ?? null },
      at: now,
    })
  })
  return { secret, previousValidUntil }
}
