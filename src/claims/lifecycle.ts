import { type RawBuilder, sql } from 'kysely'
import type { Claim, ClaimStatus, TransferKind, Tx } from '../db/schema.ts'
import { sqlState } from '../db/tx.ts'
import { DomainError } from '../errors/domain-error.ts'
import type { Scope } from '../modes.ts'
import { jsonInt } from '../money.ts'
import type { ClaimWebhookEvent } from '../webhooks/openapi.ts'
import { type EventData, eventPayload, newMessageId } from '../webhooks/payload.ts'

/**
 * The claim lifecycle in one place. Every change a claim can go through is a row of this table:
 * the states it may leave, the state it enters, the event it records (and whether the provider
 * is told by webhook), and the ledger postings it makes. `applyTransition` applies a row to one
 * claim or to many in two statements, whatever their number; `claimWrite` (below) is creation,
 * the one change with no `from`. The money rules stay here, in TypeScript; the database holds
 * the invariants: non-negative floats, immutable transfers, one active payout per claim.
 *
 * ```
 *          remind (once, before expiry)
 *             ┌──┐
 *             ▼  │
 *            ┌──────── expire / cancel ────────▶ expired | cancelled   (release)
 *   create ─▶ open ── submit ─▶ submitted ── accept ─▶ processing
 *  (reserve)  ▲                   │  └──────────┬────────────┘
 *             └──── reopen ───────┤             ├── settle ─▶ settled  (payout, fee)
 *                                 └─────────────┴── fail ───▶ failed   (release)
 * ```
 */
export const LIFECYCLE = {
  submit: {
    from: ['open'],
    to: 'submitted',
    event: 'claim.submitted',
    told: true,
    postings: [],
    due: 'unexpired',
  },
  // The rail took the payout. Nobody is told: `claim.submitted` already said it is on its way.
  accept: { from: ['submitted'], to: 'processing', event: null, told: false, postings: [] },
  // The rail gave a payout back unpaid for want of its own funds; a new payout of the same
  // destination waits to go. Nobody is told: nothing changed for the customer.
  resend: { from: ['processing'], to: 'submitted', event: null, told: false, postings: [] },
  settle: {
    from: ['submitted', 'processing'],
    to: 'settled',
    event: 'claim.settled',
    told: true,
    postings: ['payout', 'fee'],
  },
  reopen: {
    from: ['submitted', 'processing'],
    to: 'open',
    event: 'claim.reopened',
    told: true,
    postings: [],
  },
  fail: {
    from: ['submitted', 'processing'],
    to: 'failed',
    event: 'claim.failed',
    told: true,
    postings: ['release'],
  },
  expire: {
    from: ['open'],
    to: 'expired',
    event: 'claim.expired',
    told: true,
    postings: ['release'],
    due: 'expired',
  },
  cancel: {
    from: ['open'],
    to: 'cancelled',
    event: 'claim.cancelled',
    told: true,
    postings: ['release'],
    due: 'unexpired',
  },
  // The rule's reminder: the claim stays open and the provider is told it will lapse soon.
  remind: {
    from: ['open'],
    to: 'open',
    event: 'claim.expiring',
    told: true,
    postings: [],
    due: 'reminder',
  },
} as const satisfies Record<string, Transition>

/** Creation: a claim is born open, its amount reserved; the event is kept but not sent. */
export const CREATE = {
  from: [],
  to: 'open',
  event: 'claim.created',
  told: false,
  postings: ['reserve'],
} as const satisfies Transition

export type TransitionName = keyof typeof LIFECYCLE

/** Every event a claim records; all but its creation have a webhook. */
export type ClaimEventType = 'claim.created' | ClaimWebhookEvent

type Posting = 'reserve' | 'payout' | 'fee' | 'release'

type Transition = {
  from: readonly ClaimStatus[]
  to: ClaimStatus
  postings: readonly Posting[]
  /**
   * Only if the claim's time is up (expiry), or is not (what a customer or provider does), or
   * its reminder is due and unsent while its time is not up (which also marks it sent).
   */
  due?: 'expired' | 'unexpired' | 'reminder'
} & (
  | {
      /** Null for a change no event announces, so sequence numbers stay gap-free. */
      event: ClaimEventType | null
      /** Whether the event goes to the provider's endpoint: only events with a webhook may. */
      told: false
    }
  | { event: ClaimWebhookEvent; told: true }
)

/** Which float accounts a posting moves money between, and how much of the claim's. */
const POSTINGS: Record<
  Posting,
  { debit: string; credit: string; amount: (c: Claim) => bigint; kind: TransferKind }
> = {
  reserve: {
    debit: 'available',
    credit: 'reserved',
    amount: (c) => c.reserved_minor,
    kind: 'reserve',
  },
  payout: { debit: 'reserved', credit: 'paid_out', amount: (c) => c.net_minor, kind: 'payout' },
  fee: { debit: 'reserved', credit: 'fees', amount: (c) => c.fee_minor, kind: 'fee' },
  release: {
    debit: 'reserved',
    credit: 'available',
    amount: (c) => c.reserved_minor,
    kind: 'release',
  },
}

export interface Change {
  claimId: string
  /** What the customer and the provider read about the new state; absent clears it. */
  reason?: string | null
  /** A later expiry, if the claim's own is sooner (a reopened claim gets time to act). */
  expiresAt?: Date
  /** What the event adds to the claim's snapshot: the masked destination, the failure. */
  details?: Record<string, unknown>
  /** Only if the claim is this provider's in this mode (a provider acting on its own claim). */
  scope?: Scope
}

/**
 * Applies one row of the table to every claim in `changes` that is in an allowed state (and,
 * with a scope, belongs to that provider and mode): one UPDATE moves them all, one more statement
 * writes their events, webhooks and ledger postings. Claims not in an allowed state are left as
 * they are and are missing from the result, so late or repeated news changes nothing.
 */
export async function applyTransition(
  tx: Tx,
  input: {
    name: TransitionName
    changes: Change[]
    now: Date
    scope?: Scope
    /**
     * Runs between the move and its events, for what the events must say that only exists
     * once the claims moved (a submit's new payout); returns more details per claim id.
     */
    between?: (moved: Claim[]) => Promise<Map<string, Record<string, unknown>>>
  },
): Promise<Claim[]> {
  if (input.changes.length === 0) return []
  const spec: Transition = LIFECYCLE[input.name]
  const { now, scope } = input
  // A claim that stays in its state (a reminder) keeps what it says about that state, such as
  // a reopened claim's reason, unless the change gives a new one.
  const stays = (spec.from as readonly ClaimStatus[]).includes(spec.to)
  const changes = JSON.stringify(
    input.changes.map((c) => ({
      id: c.claimId,
      reason: c.reason ?? null,
      expires_at: c.expiresAt?.toISOString() ?? null,
      provider_id: (c.scope ?? scope)?.providerId ?? null,
      livemode: (c.scope ?? scope)?.livemode ?? null,
    })),
  )
  // Rows are locked in id order first, so two batches over the same claims cannot deadlock.
  // A later expiry (a reopened claim's grace) moves an unsent reminder by as much, so it still
  // comes that long before the claim lapses.
  const { rows } = await sql<Claim & { provider_name: string }>`
    with wanted as (
      select * from json_to_recordset(${changes}::json)
        as v(id uuid, reason text, expires_at timestamptz, provider_id uuid, livemode boolean)
    ), locked as (
      select id from claims where id = any(array(select id from wanted))
      order by id for update
    )
    update claims as c set
      status = ${spec.to},
      status_reason = ${stays ? sql`coalesce(w.reason, c.status_reason)` : sql`w.reason`},
      updated_at = ${now}::timestamptz,
      event_sequence = c.event_sequence + ${spec.event ? 1 : 0}::integer,
      expires_at = greatest(c.expires_at, w.expires_at),
      remind_at = c.remind_at + (greatest(c.expires_at, w.expires_at) - c.expires_at),
      reminded_at = ${spec.due === 'reminder' ? sql`${now}::timestamptz` : sql`c.reminded_at`}
    from wanted as w, providers as p
    where c.id = w.id and p.id = c.provider_id
      and c.id = any(array(select id from locked))
      and c.status in (${sql.join(spec.from.map((s) => sql`${s}`))})
      ${spec.due === 'expired' ? sql`and c.expires_at <= ${now}::timestamptz` : sql``}
      ${spec.due === 'unexpired' ? sql`and c.expires_at > ${now}::timestamptz` : sql``}
      ${
        spec.due === 'reminder'
          ? sql`and c.expires_at > ${now}::timestamptz and c.reminded_at is null
            and c.remind_at <= ${now}::timestamptz`
          : sql``
      }
      and (w.provider_id is null or (c.provider_id = w.provider_id and c.livemode = w.livemode))
    returning c.*, p.name as provider_name`.execute(tx)
  const claims = rows.map(({ provider_name: _, ...claim }) => claim as Claim)
  const added = input.between && claims.length ? await input.between(claims) : new Map()
  const details = new Map(input.changes.map((c) => [c.claimId, c.details ?? {}]))
  const effects = effectsOf(
    spec,
    rows.map((row, i) => ({
      claim: claims[i] as Claim,
      provider: row.provider_name,
      details: { ...details.get(row.id), ...added.get(row.id) },
    })),
    now,
  )
  await writeEffects(tx, effects, now)
  return claims
}

/** The rows a transition writes besides the claim itself. */
export interface Effects {
  events: Record<string, unknown>[]
  deliveries: Record<string, unknown>[]
  postings: Record<string, unknown>[]
  /** Whether a posting raised an available float, which can re-arm a low-float alert. */
  raisesFloat: boolean
}

/** The event, webhook and postings each moved claim makes, built here so money rules stay in TS. */
export function effectsOf(
  spec: Transition,
  moved: { claim: Claim; provider: string; details?: Record<string, unknown> }[],
  now: Date,
): Effects {
  const effects: Effects = { events: [], deliveries: [], postings: [], raisesFloat: false }
  for (const { claim, provider, details } of moved) {
    if (spec.event) {
      const eventId = crypto.randomUUID()
      const data = { ...eventSnapshot(claim), ...details } as EventData
      effects.events.push({
        id: eventId,
        provider_id: claim.provider_id,
        claim_id: claim.id,
        type: spec.event,
        sequence: claim.event_sequence,
        data,
      })
      if (spec.told) {
        effects.deliveries.push({
          id: newMessageId(),
          provider_id: claim.provider_id,
          livemode: claim.livemode,
          event_id: eventId,
          claim_id: claim.id,
          event_type: spec.event,
          payload: eventPayload({
            provider,
            event: spec.event,
            sequence: claim.event_sequence,
            at: now,
            data,
          }),
        })
      }
    }
    for (const name of spec.postings) {
      const posting = POSTINGS[name]
      const amount = posting.amount(claim)
      if (amount <= 0n) continue
      if (posting.credit === 'available') effects.raisesFloat = true
      effects.postings.push({
        provider_id: claim.provider_id,
        livemode: claim.livemode,
        currency: claim.currency,
        debit: posting.debit,
        credit: posting.credit,
        amount: amount.toString(),
        kind: posting.kind,
        claim_id: claim.id,
      })
    }
  }
  return effects
}

const CHECK_VIOLATION = '23514'

/**
 * Writes a transition's events, webhooks and postings in one statement. Postings name accounts
 * by owner and kind; each account's balance moves once by the sum of its postings, after every
 * account involved is locked in id order (so no two statements deadlock on floats), and a float
 * that would go negative fails the statement through the database's check.
 */
async function writeEffects(tx: Tx, effects: Effects, now: Date) {
  if (!effects.events.length && !effects.deliveries.length && !effects.postings.length) return
  const { rows } = await sql<{ transfers: bigint }>`
    with ${effectsCtes(effects, now)}
    select (select count(*) from transfers) as transfers`.execute(tx)
  assertPosted(effects, rows[0]?.transfers)
}

/** Every posting became a transfer: one that did not names an account that does not exist. */
function assertPosted(effects: Effects, transfers: bigint | undefined) {
  if (BigInt(transfers ?? 0) !== BigInt(effects.postings.length)) {
    throw new Error(`${effects.postings.length} postings made ${transfers} transfers`)
  }
}

/** A float the database refused to take below zero is the caller's insufficient float. */
export async function insufficientFloat<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    if (sqlState(error) === CHECK_VIOLATION) throw new DomainError('insufficient_float')
    throw error
  }
}

/**
 * The common tail of every lifecycle statement, as CTEs: `postings`, `transfers` and the rest.
 * `gate`, when given, names a CTE of claim ids: only those claims' effects are written (creation
 * writes a claim's effects only if its claim was inserted).
 */
export function effectsCtes(effects: Effects, now: Date, gate?: RawBuilder<unknown>) {
  const only = (alias: string) =>
    gate ? sql`where ${sql.raw(alias)}.claim_id in (select id from ${gate})` : sql``
  const at = sql`${now}::timestamptz`
  return sql`
    postings as (
      select p.*, d.id as debit_id, c.id as credit_id
      from json_to_recordset(${JSON.stringify(effects.postings)}::json) as p(
        provider_id uuid, livemode boolean, currency text, debit text, credit text,
        amount bigint, kind text, claim_id uuid)
      join ledger_accounts d on d.provider_id = p.provider_id and d.livemode = p.livemode
        and d.currency = p.currency and d.kind = p.debit
      join ledger_accounts c on c.provider_id = p.provider_id and c.livemode = p.livemode
        and c.currency = p.currency and c.kind = p.credit
      ${only('p')}
    ), deltas as (
      select id, sum(delta)::bigint as delta from (
        select debit_id as id, -amount as delta from postings
        union all select credit_id, amount from postings
      ) as legs group by id
    ), locked as (
      select id from ledger_accounts where id = any(array(select id from deltas))
      order by id for update
    ), moved as (
      update ledger_accounts as a set balance = a.balance + d.delta
      from deltas as d
      where a.id = d.id and (select count(*) from locked) = (select count(*) from deltas)
      returning a.id, a.provider_id, a.livemode, a.kind, a.balance
    ), transfers as (
      insert into ledger_transfers
        (provider_id, livemode, debit_account_id, credit_account_id, amount_minor, kind, claim_id,
         created_at)
      select provider_id, livemode, debit_id, credit_id, amount, kind, claim_id, ${at}
      from postings
      where (select count(*) from moved) = (select count(*) from deltas)
      returning id
    ), rearmed as (
      update float_alerts as fa set below = false, updated_at = ${at}
      from moved as m
      where ${effects.raisesFloat}::boolean and m.kind = 'available' and fa.below
        and fa.provider_id = m.provider_id and fa.livemode = m.livemode
        and m.balance >= fa.threshold_minor
      returning fa.provider_id
    ), events_written as (
      insert into events (id, provider_id, claim_id, type, sequence, data, created_at)
      select e.id, e.provider_id, e.claim_id, e.type, e.sequence, e.data, ${at}
      from json_to_recordset(${JSON.stringify(effects.events)}::json) as e(
        id uuid, provider_id uuid, claim_id uuid, type text, sequence integer, data jsonb)
      ${only('e')}
      returning id
    ), deliveries_written as (
      insert into webhook_deliveries
        (id, provider_id, livemode, event_id, claim_id, event_type, payload, status,
         next_attempt_at, created_at, updated_at)
      select d.id, d.provider_id, d.livemode, d.event_id, d.claim_id, d.event_type, d.payload,
        'pending', ${at}, ${at}, ${at}
      from json_to_recordset(${JSON.stringify(effects.deliveries)}::json) as d(
        id text, provider_id uuid, livemode boolean, event_id uuid, claim_id uuid,
        event_type text, payload text)
      where d.event_id in (select id from events_written)
      returning id
    )`
}

/** The claim as it stood when the event happened, kept with the event for its webhook. */
function eventSnapshot(claim: Claim) {
  return {
    id: claim.provider_ref,
    uuid: claim.id,
    livemode: claim.livemode,
    status: claim.status,
    status_reason: claim.status_reason,
    customer_id: claim.customer_id,
    points: jsonInt(claim.points),
    rule_version: claim.rule_version,
    currency: claim.currency,
    gross_minor: jsonInt(claim.gross_minor),
    fee_minor: jsonInt(claim.fee_minor),
    fee_payer: claim.fee_payer,
    net_minor: jsonInt(claim.net_minor),
    expires_at: claim.expires_at.toISOString(),
  }
}
