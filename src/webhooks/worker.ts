import { sql } from 'kysely'
import type { Delivery } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { MAX_ATTEMPTS, retryAfterMs, retryDelayMs } from './schedule.ts'
import { signatureHeader } from './signing.ts'
import { TransportError, type WebhookResponse } from './transport.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'logger' | 'vault' | 'webhooks'>

const LEASE_MS = 60_000

/**
 * Leases due deliveries (SKIP LOCKED, with a lease) of providers whose endpoint is on, and sends
 * each once. A worker that dies mid-delivery leaves a lease that expires; the next one sends the
 * same message again, with the same webhook-id.
 */
export async function runWebhookBatch({
  deps,
  workerId,
  limit = 50,
}: {
  deps: Deps
  workerId: string
  limit?: number
}): Promise<number> {
  const now = deps.clock.now()
  const leased = await deps.db
    .with('due', (db) =>
      db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where((eb) =>
          eb.or([eb('lease_expires_at', 'is', null), eb('lease_expires_at', '<=', now)]),
        )
        .where('provider_id', 'in', (eb) =>
          eb.selectFrom('providers').select('id').where('webhook_disabled_at', 'is', null),
        )
        .orderBy('next_attempt_at')
        .limit(limit)
        .forUpdate()
        .skipLocked(),
    )
    .updateTable('webhook_deliveries')
    .set({
      lease_owner: workerId,
      lease_expires_at: new Date(now.getTime() + LEASE_MS),
      updated_at: now,
    })
    .where('id', 'in', (eb) => eb.selectFrom('due').select('due.id'))
    .returningAll()
    .execute()
  const secrets = new Map<string, ReturnType<typeof signingSecrets>>()
  const secretsOf = (providerId: string) => {
    let found = secrets.get(providerId)
    if (!found) {
      found = signingSecrets(deps, providerId, now)
      secrets.set(providerId, found)
    }
    return found
  }
  await Promise.allSettled(
    leased.map((delivery) => deliver(deps, delivery, workerId, secretsOf(delivery.provider_id))),
  )
  return leased.length
}

/** The secrets that sign now: the current one, and the previous one while its overlap lasts. */
async function signingSecrets(deps: Deps, providerId: string, now: Date) {
  const provider = await deps.db
    .selectFrom('providers')
    .select([
      'endpoint',
      'webhook_secret_jwe',
      'previous_webhook_secret_jwe',
      'previous_webhook_secret_until',
    ])
    .where('id', '=', providerId)
    .executeTakeFirstOrThrow()
  const secrets = [await deps.vault.open(provider.webhook_secret_jwe)]
  if (
    provider.previous_webhook_secret_jwe &&
    provider.previous_webhook_secret_until &&
    provider.previous_webhook_secret_until > now
  ) {
    secrets.push(await deps.vault.open(provider.previous_webhook_secret_jwe))
  }
  return { endpoint: provider.endpoint, secrets }
}

/**
 * One attempt, always recorded: a failure to sign (a secret sealed under a key since removed)
 * counts like a failure to send, so a delivery can never stall unlogged.
 */
async function deliver(
  deps: Deps,
  delivery: Delivery,
  workerId: string,
  signingFor: ReturnType<typeof signingSecrets>,
) {
  const started = deps.clock.now()
  let endpoint = ''
  let response: WebhookResponse | undefined
  let failure: string | undefined
  const t0 = performance.now()
  try {
    const signing = await signingFor
    endpoint = signing.endpoint
    const { secrets } = signing
    const timestamp = Math.floor(started.getTime() / 1000)
    response = await deps.webhooks.post(
      endpoint,
      {
        'content-type': 'application/json',
        'user-agent': 'Cashout-Webhooks/1',
        'webhook-id': delivery.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': await signatureHeader(
          secrets,
          delivery.id,
          timestamp,
          delivery.payload,
        ),
      },
      delivery.payload,
    )
  } catch (error) {
    failure = error instanceof TransportError ? `${error.kind}: ${error.message}` : 'failed to send'
    if (!(error instanceof TransportError))
      deps.logger.error('webhook send failed', { error, delivery_id: delivery.id })
  }
  const latency = Math.round(performance.now() - t0)
  await record(deps, delivery, workerId, { response, failure, latency, at: started, endpoint })
}

async function record(
  deps: Deps,
  delivery: Delivery,
  workerId: string,
  result: {
    response?: WebhookResponse
    failure?: string
    latency: number
    at: Date
    endpoint: string
  },
) {
  const { response } = result
  const now = deps.clock.now()
  const ok = response !== undefined && response.status >= 200 && response.status < 300
  const gone = response?.status === 410
  const attempts = delivery.attempts + 1
  const error = ok
    ? null
    : (result.failure ??
      (response && response.status >= 300 && response.status < 400
        ? `redirect (${response.status}) not followed`
        : `HTTP ${response?.status}`))
  // Retry-After may ask for a longer wait than the schedule, never a shorter one.
  const scheduled = retryDelayMs(attempts)
  const asked = retryAfterMs(response?.retryAfter, now)
  const wait = gone ? 0 : scheduled === undefined ? undefined : Math.max(scheduled, asked ?? 0)
  const exhausted = !ok && !gone && (attempts >= MAX_ATTEMPTS || wait === undefined)
  // One statement: the delivery's new state and the attempt's log line, only while this
  // worker still holds the lease.
  const recorded = await sql<{ delivery_id: string }>`
    with updated as (
      update webhook_deliveries set
        status = ${ok ? 'delivered' : exhausted ? 'exhausted' : 'pending'},
        attempts = ${gone ? delivery.attempts : attempts},
        next_attempt_at = ${new Date(now.getTime() + (wait ?? 0))},
        last_status = ${response?.status ?? null},
        last_error = ${error},
        delivered_at = ${ok ? now : null},
        lease_owner = null,
        lease_expires_at = null,
        updated_at = ${now}
      where id = ${delivery.id} and lease_owner = ${workerId} and status = 'pending'
      returning id
    )
    insert into webhook_attempts
      (delivery_id, attempt, attempted_at, status_code, latency_ms, error)
    select updated.id,
      (select coalesce(max(attempt), 0) + 1 from webhook_attempts where delivery_id = updated.id),
      ${result.at}::timestamptz, ${response?.status ?? null}::integer,
      ${result.latency}::integer, ${error}::text
    from updated
    returning delivery_id`.execute(deps.db)
  if (recorded.rows.length === 0 || !gone) return
  await deps.db
    .updateTable('providers')
    .set({
      webhook_disabled_at: now,
      webhook_disabled_reason: 'The endpoint answered 410 Gone.',
    })
    .where('id', '=', delivery.provider_id)
    .where('endpoint', '=', result.endpoint)
    .where('webhook_disabled_at', 'is', null)
    .execute()
  deps.logger.warn('webhook endpoint gone; deliveries paused', {
    provider_id: delivery.provider_id,
  })
}
