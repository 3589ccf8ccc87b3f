import { type RawBuilder, sql } from 'kysely'
import type { Claim, TransferKind, Tx } from '../db/schema.ts'
import { sqlState } from '../db/tx.ts'
import { DomainError } from '../errors/domain-error.ts'
import { jsonInt } from '../money.ts'
import { type EventData, eventPayload, newMessageId } from '../webhooks/payload.ts'
import type { Transition } from './lifecycle.ts'

/**
 * What a claim's change writes besides the claim: its event, the webhook that tells the provider,
 * and the ledger postings, built in TypeScript (where the money rules live) and written by one
 * statement with the change (`effectsCtes`), or just after it (`writeEffects`).
 */

export type Posting = 'reserve' | 'payout' | 'fee' | 'release'

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
export async function writeEffects(tx: Tx, effects: Effects, now: Date) {
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
