import { sql } from 'kysely'
import { grouped } from '../db/group.ts'
import type { Delivery } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import {
  ENDPOINT_FAILING_BEFORE_PAUSE_MS,
  ENDPOINT_FAILURES_BEFORE_PAUSE,
  FIRST_PAUSE_SECONDS,
  MAX_ATTEMPTS,
  MAX_PAUSE_SECONDS,
  retryAfterMs,
  retryDelayMs,
} from './schedule.ts'
import type { WebhookResponse } from './transport.ts'

type Deps = Pick<AppDeps, 'db' | 'clock' | 'logger'>
/**
 * What recording needs of a leased delivery; with its endpoint's failures in a row when leased,
 * so a healthy endpoint's answers cost no write to its provider.
 */
type Leased = Pick<Delivery, 'id' | 'attempts' | 'provider_id'> & { webhook_failing?: number }

/** What became of one send: the endpoint's answer or why there was none. */
export interface Sent {
  response?: WebhookResponse
  failure?: string
  latency: number
  at: Date
  endpoint: string
}

export type Recorder = (delivery: Leased, sent: Sent) => Promise<void>

/**
 * Records attempts as sends finish; those finishing together share one statement (see
 * db/group.ts), so a busy endpoint costs one write per group of answers, not per answer.
 */
export function groupedRecorder(deps: Deps, workerId: string): Recorder {
  const write = grouped(async (items: { delivery: Leased; sent: Sent }[]) => {
    await recordAttempts(deps, workerId, items)
    return items.map(() => undefined)
  })
  return (delivery, sent) => write({ delivery, sent })
}

/**
 * The deliveries' new states and their attempts' log lines, in one statement for any number,
 * each only while this worker still holds its lease. An endpoint that answered 410 Gone is
 * turned off.
 */
async function recordAttempts(
  deps: Deps,
  workerId: string,
  items: { delivery: Leased; sent: Sent }[],
) {
  const now = deps.clock.now()
  const rows = items.map(({ delivery, sent }) => {
    const { response } = sent
    const ok = response !== undefined && response.status >= 200 && response.status < 300
    const gone = response?.status === 410
    const attempts = delivery.attempts + 1
    const error = ok
      ? null
      : (sent.failure ??
        (response && response.status >= 300 && response.status < 400
          ? `redirect (${response.status}) not followed`
          : `HTTP ${response?.status}`))
    // Retry-After may ask for a longer wait than the schedule, never a shorter one.
    const scheduled = retryDelayMs(attempts)
    const asked = retryAfterMs(response?.retryAfter, now)
    const wait = gone ? 0 : scheduled === undefined ? undefined : Math.max(scheduled, asked ?? 0)
    const exhausted = !ok && !gone && (attempts >= MAX_ATTEMPTS || wait === undefined)
    return {
      id: delivery.id,
      status: ok ? 'delivered' : exhausted ? 'exhausted' : 'pending',
      attempts: gone ? delivery.attempts : attempts,
      next_attempt_at: new Date(now.getTime() + (wait ?? 0)).toISOString(),
      last_status: response?.status ?? null,
      last_error: error,
      delivered_at: ok ? now.toISOString() : null,
      attempted_at: sent.at.toISOString(),
      latency_ms: sent.latency,
      gone,
    }
  })
  const recorded = await sql<{ delivery_id: string }>`
    with v as (
      select * from json_to_recordset(${JSON.stringify(rows)}::json) as v(id text, status text,
        attempts integer, next_attempt_at timestamptz, last_status integer, last_error text,
        delivered_at timestamptz, attempted_at timestamptz, latency_ms integer)
    ), updated as (
      update webhook_deliveries as d set
        status = v.status,
        attempts = v.attempts,
        next_attempt_at = v.next_attempt_at,
        last_status = v.last_status,
        last_error = v.last_error,
        delivered_at = v.delivered_at,
        lease_owner = null,
        lease_expires_at = null,
        updated_at = ${now}::timestamptz
      from v
      where d.id = v.id and d.id = any(array(select id from v)) and d.lease_owner = ${workerId} and d.status = 'pending'
      returning d.id
    )
    insert into webhook_attempts
      (delivery_id, attempt, attempted_at, status_code, latency_ms, error)
    select v.id,
      (select coalesce(max(a.attempt), 0) + 1 from webhook_attempts a where a.delivery_id = v.id),
      v.attempted_at, v.last_status, v.latency_ms, v.last_error
    from v where v.id in (select id from updated)
    returning delivery_id`.execute(deps.db)
  const written = new Set(recorded.rows.map((r) => r.delivery_id))
  await recordEndpointHealth(deps, items, rows, written, now)
  for (const [i, row] of rows.entries()) {
    const item = items[i]
    if (!row.gone || !item || !written.has(row.id)) continue
    await deps.db
      .updateTable('providers')
      .set({
        webhook_disabled_at: now,
        webhook_disabled_reason: 'The endpoint answered 410 Gone.',
      })
      .where('id', '=', item.delivery.provider_id)
      .where('endpoint', '=', item.sent.endpoint)
      .where('webhook_disabled_at', 'is', null)
      .execute()
    deps.logger.warn('webhook endpoint gone; deliveries paused', {
      provider_id: item.delivery.provider_id,
    })
  }
}

/**
 * Counts each endpoint's failed attempts in a row, and pauses it past the threshold (that many,
 * over that long: see `ENDPOINT_FAILURES_BEFORE_PAUSE`): then only
 * one probe goes out after each pause, the pause doubling with each failed probe (failures of
 * sends started before the pause do not lengthen it). A delivered message ends the pause.
 * Messages waiting meanwhile spend none of their attempts. Healthy endpoints are not written.
 */
async function recordEndpointHealth(
  deps: Deps,
  items: { delivery: Leased; sent: Sent }[],
  rows: { id: string; status: string }[],
  written: ReadonlySet<string>,
  now: Date,
) {
  const health = new Map<string, { endpoint: string; ok: boolean; failed: number; was: boolean }>()
  for (const [i, row] of rows.entries()) {
    const item = items[i]
    if (!item || !written.has(row.id)) continue
    const { provider_id, webhook_failing } = item.delivery
    const entry = health.get(provider_id) ?? {
      endpoint: item.sent.endpoint,
      ok: false,
      failed: 0,
      was: false,
    }
    if (row.status === 'delivered') entry.ok = true
    else entry.failed += 1
    entry.was ||= (webhook_failing ?? 1) > 0
    health.set(provider_id, entry)
  }
  // Delivered to an endpoint that was not failing: nothing to reset.
  const values = [...health]
    .filter(([, h]) => !h.ok || h.was)
    .map(([provider_id, h]) => ({ provider_id, endpoint: h.endpoint, ok: h.ok, failed: h.failed }))
  if (values.length === 0) return
  // Failures in a row that began before this may pause the endpoint.
  const pauseFrom = new Date(now.getTime() - ENDPOINT_FAILING_BEFORE_PAUSE_MS)
  await sql`
    with v as (
      select * from json_to_recordset(${JSON.stringify(values)}::json)
        as v(provider_id uuid, endpoint text, ok boolean, failed integer)
    ), n as (
      select p.id, v.ok, p.webhook_failing + v.failed as failing,
        coalesce(p.webhook_failing_since, ${now}::timestamptz) as since,
        case
          when v.ok
            or p.webhook_failing + v.failed < ${ENDPOINT_FAILURES_BEFORE_PAUSE}
            or coalesce(p.webhook_failing_since, ${now}::timestamptz) > ${pauseFrom}::timestamptz
            then 0
          when p.webhook_resume_at is null then ${FIRST_PAUSE_SECONDS}
          when p.webhook_resume_at > ${now} then p.webhook_pause_seconds
          else least(${MAX_PAUSE_SECONDS}, p.webhook_pause_seconds * 2)
        end as pause
      from providers p join v on p.id = v.provider_id and p.endpoint = v.endpoint
    )
    update providers p set
      webhook_failing = case when n.ok then 0 else n.failing end,
      webhook_failing_since = case when n.ok then null else n.since end,
      webhook_pause_seconds = n.pause,
      webhook_resume_at = case
        when n.pause = 0 then null
        when p.webhook_resume_at > ${now} then p.webhook_resume_at
        else ${now}::timestamptz + make_interval(secs => n.pause)
      end
    from n
    where p.id = n.id`.execute(deps.db)
}
