import type { Db } from '../db/schema.ts'
import { providerAccounts } from './accounts.ts'

export interface Balance {
  currency: string
  available_minor: bigint
  reserved_minor: bigint
  credited_minor: bigint
  paid_out_minor: bigint
  fees_minor: bigint
}

export async function providerBalance(
  db: Db,
  providerId: string,
  currency: string,
): Promise<Balance> {
  const accounts = await providerAccounts(db, providerId, currency)
  const totals = await db
    .selectFrom('ledger_transfers')
    .select(['kind', (eb) => eb.fn.sum<string>('amount_minor').as('total')])
    .where('provider_id', '=', providerId)
    .where('kind', 'in', ['credit', 'payout', 'fee'])
    .groupBy('kind')
    .execute()
  const total = (kind: string) => BigInt(totals.find((t) => t.kind === kind)?.total ?? 0)
  return {
    currency,
    available_minor: accounts.available.balance,
    reserved_minor: accounts.reserved.balance,
    credited_minor: total('credit'),
    paid_out_minor: total('payout'),
    fees_minor: total('fee'),
  }
}
