import { sql } from 'kysely'
import type { Claim, ClaimStatus, Tx } from '../db/schema.ts'
import type { Scope } from '../modes.ts'
import type { ClaimWebhookEvent } from '../webhooks/openapi.ts'
import { effectsOf, type Posting, writeEffects } from './effects.ts'

/**
 * The claim lifecycle in one place. Every change a claim can go through is a row of this table:
 * the states it may leave, the state it enters, the event it records (and whether the provider
 * is told by webhook), and the ledger postings it makes. `applyTransition` applies a row to one
 * claim or to many in two statements, whatever their number; `CREATE` (below) is creation, the
 * one change with no `from`, written by `writeClaims` (generate.ts). What each row writes besides
 * the claim (event, webhook, postings) is built in effects.ts. The money rules stay in
 * TypeScript; the database holds the invariants: non-negative floats, immutable transfers, one
 * active payout per claim.
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

export type Transition = {
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
