import { sql } from 'kysely'
import type { Delivery, PreviousSecret } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { groupedRecorder, type Recorder } from './record.ts'
import { ENDPOINT_FAILURES_BEFORE_PAUSE } from './schedule.ts'
import { stillSigning } from './secrets.ts'
import { signatureHeader } from './signing.ts'
import { TransportError, type WebhookResponse } from './transport.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'logger' | 'vault' | 'webhooks'>

/**
 * Sends one process keeps open to one provider's endpoint. An endpoint that never answers holds
 * this many for the 15 s timeout and no more, while the others keep moving. One provider's rate
 * is about this over its endpoint's latency, so it is not smaller: to a local receiver on the
 * benchmark's machine, 4 gave 340 messages a second, 8 gave 640 and 16 gave 890, where leasing
 * 50 at a time and waiting for them all gave 920.
 */
export const SENDS_PER_ENDPOINT = 16
/**
 * Deliveries one process holds at once over all endpoints, sending or waiting for their
 * endpoint's slot: sixteen endpoints must hang at once before a healthy one waits for a lease.
 */
export const HELD_IN_PROCESS = 256
/** Deliveries one lease statement takes at most. */
const LEASE_BATCH = 100
/**
 * Longer than a delivery is held: a wait for its endpoint's slot (at most one round of timeouts,
 * 15 s), its send (at most 15 s) and its record. So no other worker takes a delivery still in
 * flight; a worker that dies leaves its leases to expire, and the next one sends the same
 * message again, with the same webhook-id.
 */
const LEASE_MS = 60_000
/** A delivery that waited so long its lease might end mid-send is left to expire instead. */
const LEASE_LEFT_TO_SEND_MS = 20_000

/** A leased delivery with what signs and addresses it, read in the same statement. */
interface Leased extends Delivery {
  endpoint: string
  webhook_secret_jwe: string
  previous_webhook_secrets: PreviousSecret[]
  /** The endpoint's failed attempts in a row when leased (see `ENDPOINT_FAILURES_BEFORE_PAUSE`). */
  webhook_failing: number
}

/**
 * Leases due deliveries of providers whose endpoint is on and not paused: SKIP LOCKED, at most
 * `limit`, and of each provider at most `perProvider` less what `held` says this process already
 * holds of it; of an endpoint past its failures in a row, one (a probe) once its pause is over.
 * Deliveries in `flying` are never taken again by this process, even if their lease ran out
 * while the send was still being recorded.
 */
async function leaseDue(
  deps: Deps,
  workerId: string,
  options: {
    limit: number
    perProvider: number
    held: ReadonlyMap<string, number>
    flying: Iterable<string>
  },
): Promise<Leased[]> {
  const now = deps.clock.now()
  const held = JSON.stringify(Object.fromEntries(options.held))
  const flying = JSON.stringify(Object.fromEntries([...options.flying].map((id) => [id, 1])))
  const inUse = sql`coalesce((${held}::jsonb ->> d.provider_id::text)::integer, 0)`
  const cap = sql`case when p.webhook_failing >= ${ENDPOINT_FAILURES_BEFORE_PAUSE} then 1 else ${options.perProvider}::integer end`
  // Ranking reads a window of due rows (full providers left out) and keeps each provider's first
  // free-slots' worth; only those are then locked. Locking the whole window would write a row
  // lock on every row read, and Postgres refuses FOR UPDATE beside a window function anyway.
  // A row another worker leased since this statement's snapshot fails the lock's recheck of
  // the lease, so it is skipped, never sent twice.
  const leased = await sql<Leased>`
    with due as (
      select d.id, d.provider_id, d.next_attempt_at, ${cap} - ${inUse} as free
      from webhook_deliveries d
      join providers p on p.id = d.provider_id
      where d.status = 'pending'
        and d.next_attempt_at <= ${now}
        and (d.lease_expires_at is null or d.lease_expires_at <= ${now})
        and p.webhook_disabled_at is null
        and (p.webhook_resume_at is null or p.webhook_resume_at <= ${now})
        and ${inUse} < ${cap}
        and (${flying}::jsonb ->> d.id) is null
      order by d.next_attempt_at
      limit ${options.limit * 4}
    ),
    picked as (
      select id from (
        select id, free, next_attempt_at,
          row_number() over (partition by provider_id order by next_attempt_at, id) as n
        from due
      ) ranked
      where n <= free
      order by next_attempt_at
      limit ${options.limit}
    ),
    locked as (
      select id from webhook_deliveries
      where id in (select id from picked)
        and status = 'pending'
        and (lease_expires_at is null or lease_expires_at <= ${now})
      for update skip locked
    )
    update webhook_deliveries d set
      lease_owner = ${workerId},
      lease_expires_at = ${new Date(now.getTime() + LEASE_MS)},
      updated_at = ${now}
    from providers p
    where d.id in (select id from locked) and p.id = d.provider_id
    returning d.*, p.endpoint, p.webhook_secret_jwe, p.previous_webhook_secrets,
      p.webhook_failing`.execute(deps.db)
  return leased.rows
}

/**
 * Leases due deliveries (at most `perEndpoint` per provider) and sends each once, waiting for
 * every send: the shape of a cron tick on Workers, and of tests that drive delivery step by step.
 */
export async function runWebhookBatch({
  deps,
  workerId,
  limit = 50,
  perEndpoint = SENDS_PER_ENDPOINT,
}: {
  deps: Deps
  workerId: string
  limit?: number
  perEndpoint?: number
}): Promise<number> {
  const leased = await leaseDue(deps, workerId, {
    limit,
    perProvider: perEndpoint,
    held: new Map(),
    flying: [],
  })
  const open = secretOpener(deps)
  const recorder = groupedRecorder(deps, workerId)
  await Promise.allSettled(leased.map((delivery) => deliver(deps, delivery, open, recorder)))
  return leased.length
}

export interface WebhookSender {
  /**
   * Leases what the free slots allow and starts what the endpoints' slots allow, without
   * waiting for the sends; returns how many it leased. Rounds run one at a time.
   */
  round(): Promise<number>
  /** Deliveries leased and not yet recorded. */
  held(): number
  /**
   * Starts nothing more, hands back the leases of deliveries still waiting for a slot, and
   * resolves once every send started has been recorded.
   */
  drain(): Promise<void>
}

/** One provider's endpoint: sends open to it, and leased deliveries waiting for a slot. */
interface Lane {
  sending: number
  waiting: Leased[]
}

/**
 * The Node worker's sender. Each provider has a lane: at most `perEndpoint` sends open to its
 * endpoint, and as many leased deliveries waiting behind them, so a slot that frees is filled at
 * once rather than after the next lease. A slow endpoint holds only its own lane; the loop goes
 * on leasing for everyone else. `wake` asks the loop for another round: when a lane runs low or
 * the process had no room left.
 */
export function webhookSender({
  deps,
  workerId,
  perEndpoint = SENDS_PER_ENDPOINT,
  maxHeld = HELD_IN_PROCESS,
  wake,
}: {
  deps: Deps
  workerId: string
  perEndpoint?: number
  maxHeld?: number
  wake?: () => void
}): WebhookSender {
  const lanes = new Map<string, Lane>()
  /** Every delivery leased and not yet recorded, with its send once started. */
  const held = new Map<string, Promise<void> | undefined>()
  const open = secretOpener(deps)
  const recorder = groupedRecorder(deps, workerId)
  let draining = false

  const laneOf = (providerId: string) => {
    let lane = lanes.get(providerId)
    if (!lane) {
      lane = { sending: 0, waiting: [] }
      lanes.set(providerId, lane)
    }
    return lane
  }
  const release = (delivery: Leased, lane: Lane) => {
    held.delete(delivery.id)
    // Only this lane: an emptied one may already have given way to a new lane for the provider.
    if (lane.sending === 0 && lane.waiting.length === 0 && lanes.get(delivery.provider_id) === lane)
      lanes.delete(delivery.provider_id)
    if (held.size === maxHeld - 1) wake?.()
  }
  const pump = (lane: Lane) => {
    while (!draining && lane.sending < perEndpoint) {
      const delivery = lane.waiting.shift()
      if (!delivery) return
      const left = (delivery.lease_expires_at?.getTime() ?? 0) - deps.clock.now().getTime()
      if (left < LEASE_LEFT_TO_SEND_MS) {
        deps.logger.warn('webhook lease ran low before its send; left to expire', {
          delivery_id: delivery.id,
        })
        release(delivery, lane)
        continue
      }
      lane.sending += 1
      const answered = () => {
        lane.sending -= 1
        pump(lane)
        if (lane.waiting.length <= perEndpoint / 2) wake?.()
      }
      const sending = deliver(deps, delivery, open, recorder, answered)
        .catch((error: unknown) =>
          deps.logger.error('webhook delivery failed', { error, delivery_id: delivery.id }),
        )
        .finally(() => release(delivery, lane))
      held.set(delivery.id, sending)
    }
  }
  const leaseAndStart = async () => {
    const room = maxHeld - held.size
    if (draining || room <= 0) return 0
    const perProvider = new Map<string, number>()
    for (const [providerId, lane] of lanes) {
      perProvider.set(providerId, lane.sending + lane.waiting.length)
    }
    // Sends only end while this waits, so the counts it passes can only be too high: a round
    // may take less than it could, never more than a lane holds.
    const leased = await leaseDue(deps, workerId, {
      limit: Math.min(room, LEASE_BATCH),
      perProvider: 2 * perEndpoint,
      held: perProvider,
      flying: held.keys(),
    })
    const touched = new Set<Lane>()
    for (const delivery of leased) {
      const lane = laneOf(delivery.provider_id)
      lane.waiting.push(delivery)
      held.set(delivery.id, undefined)
      touched.add(lane)
    }
    for (const lane of touched) pump(lane)
    return leased.length
  }

  let previous: Promise<unknown> = Promise.resolve()
  return {
    round() {
      const next = previous.then(leaseAndStart, leaseAndStart)
      previous = next.catch(() => undefined)
      return next
    },
    held: () => held.size,
    async drain() {
      draining = true
      await previous
      const waiting = [...lanes.values()].flatMap((lane) => lane.waiting.splice(0))
      for (const delivery of waiting) held.delete(delivery.id)
      if (waiting.length > 0) await releaseLeases(deps, workerId, waiting)
      while (held.size > 0) await Promise.all(held.values())
    },
  }
}

/** Leases handed back unsent, so another worker sends them now rather than after they expire. */
async function releaseLeases(deps: Deps, workerId: string, deliveries: Leased[]) {
  await deps.db
    .updateTable('webhook_deliveries')
    .set({ lease_owner: null, lease_expires_at: null, updated_at: deps.clock.now() })
    .where(
      'id',
      'in',
      deliveries.map((d) => d.id),
    )
    .where('lease_owner', '=', workerId)
    .where('status', '=', 'pending')
    .execute()
}

type Opener = (jwe: string) => Promise<string>

/**
 * Opens each sealed secret once. A rotated secret is a new ciphertext, so nothing needs evicting
 * for rotation; the bound only keeps a long-lived process from holding every secret it ever saw.
 */
function secretOpener(deps: Deps, max = 1000): Opener {
  const opened = new Map<string, Promise<string>>()
  return (jwe) => {
    let secret = opened.get(jwe)
    if (!secret) {
      if (opened.size >= max) opened.clear()
      secret = deps.vault.open(jwe)
      opened.set(jwe, secret)
      // A failure is not kept: the next send tries again.
      secret.catch(() => opened.delete(jwe))
    }
    return secret
  }
}

/** The secrets that sign now: the current one, and each retired one while its overlap lasts. */
async function signingSecrets(open: Opener, provider: Leased, now: Date): Promise<string[]> {
  const previous = stillSigning(provider.previous_webhook_secrets, now)
  return Promise.all([provider.webhook_secret_jwe, ...previous.map((p) => p.jwe)].map(open))
}

/**
 * One attempt, always recorded: a failure to sign (a secret sealed under a key since removed)
 * counts like a failure to send, so a delivery can never stall unlogged. `answered` runs once
 * the endpoint's part is over, before the record: the endpoint's slot is free from then.
 */
async function deliver(
  deps: Deps,
  delivery: Leased,
  open: Opener,
  recorder: Recorder,
  answered?: () => void,
) {
  const started = deps.clock.now()
  const { endpoint } = delivery
  let response: WebhookResponse | undefined
  let failure: string | undefined
  const t0 = performance.now()
  try {
    const secrets = await signingSecrets(open, delivery, started)
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
  answered?.()
  await recorder(delivery, { response, failure, latency, at: started, endpoint })
}
