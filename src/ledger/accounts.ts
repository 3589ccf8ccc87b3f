import type { AccountKind, Db, Tx } from '../db/schema.ts'
import { MODES, type Scope } from '../modes.ts'

/**
 * Every account a provider has in one mode and currency: its float (available, reserved) and
 * the platform's side of its money (funding credits come from, paid_out and fees settlements go
 * to). The platform's side is the provider's own, not shared: a settlement locks rows of one
 * provider only, so providers never queue on each other and every row has a provider_id to
 * split the ledger by. The platform's totals are sums over providers.
 */
const KINDS = ['available', 'reserved', 'funding', 'paid_out', 'fees'] as const

/** A new provider's accounts: all five kinds, in each mode. */
export async function openProviderAccounts(tx: Tx, providerId: string, currency: string) {
  await tx
    .insertInto('ledger_accounts')
    .values(
      MODES.flatMap((livemode) =>
        KINDS.map((kind) => ({ provider_id: providerId, livemode, kind, currency })),
      ),
    )
    .execute()
}

interface Account {
  id: string
  balance: bigint
}

export interface ProviderAccounts {
  available: Account
  reserved: Account
  /** The platform's accounts for this provider, mode and currency, which money reaches or comes from. */
  platform: { funding: string; paid_out: string; fees: string }
}

/** A provider's accounts in one mode and currency, in one query on its unique index. */
export async function providerAccounts(
  db: Db | Tx,
  scope: Scope,
  currency: string,
): Promise<ProviderAccounts> {
  const { providerId, livemode } = scope
  const rows = await db
    .selectFrom('ledger_accounts')
    .select(['id', 'kind', 'balance'])
    .where('provider_id', '=', providerId)
    .where('livemode', '=', livemode)
    .where('currency', '=', currency)
    .execute()
  const find = (kind: AccountKind): Account => {
    const row = rows.find((r) => r.kind === kind)
    if (!row)
      throw new Error(
        `provider ${providerId} has no ${livemode ? 'live' : 'test'} ${kind} ${currency} account`,
      )
    return { id: row.id, balance: row.balance }
  }
  return {
    available: find('available'),
    reserved: find('reserved'),
    platform: {
      funding: find('funding').id,
      paid_out: find('paid_out').id,
      fees: find('fees').id,
    },
  }
}
