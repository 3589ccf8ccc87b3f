import type { Db } from '../db/schema.ts'
import type { Scope } from '../modes.ts'
import { providerAccounts } from './accounts.ts'

export interface Balance {
  livemode: boolean
  currency: string
  available_minor: bigint
  reserved_minor: bigint
  credited_minor: bigint
  paid_out_minor: bigint
  fees_minor: bigint
}

export async function providerBalance(db: Db, scope: Scope, currency: string): Promise<Balance> {
  const accounts = await providerAccounts(db, scope, currency)
  const totals = await db
    .selectFrom('ledger_transfers')
    .select(['kind', (eb) => eb.fn.sum<string>('amount_minor').as('total')])
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .where('kind', 'in', ['credit', 'payout', 'fee'])
    .groupBy('kind')
    .execute()
  const total = (kind: string) => BigInt(totals.find((t) => t.kind === kind)?.total ?? 0)
  return {
    livemode: scope.livemode,
    currency,
    available_minor: accounts.available.balance,
    reserved_minor: accounts.reserved.balance,
    credited_minor: total('credit'),
    paid_out_minor: total('payout'),
    fees_minor: total('fee'),
  }
}
