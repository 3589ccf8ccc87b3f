import type { AccountKind, Db, Tx } from '../db/schema.ts'

export async function openProviderAccounts(tx: Tx, providerId: string, currency: string) {
  await tx
    .insertInto('ledger_accounts')
    .values([
      { provider_id: providerId, kind: 'available', currency },
      { provider_id: providerId, kind: 'reserved', currency },
    ])
    .execute()
}

interface Account {
  id: string
  balance: bigint
}

export interface ProviderAccounts {
  available: Account
  reserved: Account
  /** The platform's accounts in the same currency, which money reaches or comes from. */
  platform: { funding: string; paid_out: string; fees: string }
}

/** A provider's float accounts and the platform's, in one query. */
export async function providerAccounts(
  db: Db | Tx,
  providerId: string,
  currency: string,
): Promise<ProviderAccounts> {
  const rows = await db
    .selectFrom('ledger_accounts')
    .select(['id', 'kind', 'balance', 'provider_id'])
    .where('currency', '=', currency)
    .where((eb) =>
      eb.or([
        eb.and([eb('provider_id', '=', providerId), eb('kind', 'in', ['available', 'reserved'])]),
        eb('provider_id', 'is', null),
      ]),
    )
    .execute()
  const find = (kind: AccountKind, owner: string | null): Account => {
    const row = rows.find((r) => r.kind === kind && r.provider_id === owner)
    if (!row)
      throw new Error(
        `${owner ? `provider ${owner}` : 'the platform'} has no ${kind} ${currency} account`,
      )
    return { id: row.id, balance: row.balance }
  }
  return {
    available: find('available', providerId),
    reserved: find('reserved', providerId),
    platform: {
      funding: find('funding', null).id,
      paid_out: find('paid_out', null).id,
      fees: find('fees', null).id,
    },
  }
}
