import { sql } from 'kysely'
import type { TransferKind, Tx } from '../db/schema.ts'
import { sqlState } from '../db/tx.ts'
import { DomainError } from '../errors/domain-error.ts'

export interface TransferInput {
  providerId: string
  /** Both accounts must be of this mode: test money never moves into a live account. */
  livemode: boolean
  from: string
  to: string
  amount: bigint
  kind: TransferKind
  claimId?: string
  reference?: string
  now: Date
}

const CHECK_VIOLATION = '23514'

/**
 * The only way money moves: one immutable transfer row and both balances, in the caller's
 * transaction, as one statement. Accounts are locked in id order so opposite transfers cannot
 * deadlock: the second UPDATE is gated on the first's result, so it runs only once the first
 * row is locked. A provider's float that would go negative is refused by the database's check
 * constraint. Callers move money last in their transaction: the balance rows are shared by
 * every claim of a provider (and the platform's by all), so their locks should be held for as
 * little of the transaction as possible.
 */
export async function transfer(tx: Tx, t: TransferInput): Promise<{ id: string }> {
  if (t.amount <= 0n) throw new Error(`transfer amounts are positive, got ${t.amount}`)
  const moves: [string, bigint][] = [
    [t.from, -t.amount],
    [t.to, t.amount],
  ]
  moves.sort(([a], [b]) => (a < b ? -1 : 1))
  const [[firstId, firstDelta], [secondId, secondDelta]] = moves as [
    [string, bigint],
    [string, bigint],
  ]
  let inserted: { id: string } | undefined
  try {
    const result = await sql<{ id: string }>`
      with first_move as (
        update ledger_accounts set balance = balance + ${firstDelta}
        where id = ${firstId} and livemode = ${t.livemode} returning id
      ), second_move as (
        update ledger_accounts set balance = balance + ${secondDelta}
        where id = ${secondId} and livemode = ${t.livemode}
          and exists (select 1 from first_move) returning id
      )
      insert into ledger_transfers
        (provider_id, livemode, debit_account_id, credit_account_id, amount_minor, kind, claim_id,
         reference, created_at)
      select ${t.providerId}::uuid, ${t.livemode}::boolean, ${t.from}::uuid, ${t.to}::uuid,
        ${t.amount}::bigint,
        ${t.kind}::text, ${t.claimId ?? null}::uuid, ${t.reference ?? null}::text,
        ${t.now}::timestamptz
      where exists (select 1 from second_move)
      returning id`.execute(tx)
    inserted = result.rows[0]
  } catch (error) {
    if (sqlState(error) === CHECK_VIOLATION && t.kind === 'reserve') {
      throw new DomainError('insufficient_float')
    }
    throw error
  }
  if (!inserted) {
    throw new Error(
      `ledger account ${t.from} or ${t.to} does not exist in ${t.livemode ? 'live' : 'test'} mode`,
    )
  }
  return inserted
}
