import type { AccountKind, Db, Tx } from '../db/schema.ts'
import type { Scope } from '../modes.ts'

/** A new provider's floats: available and reserved, one pair in each mode. */
export async function openProviderAccounts(tx: Tx, providerId: string, currency: string) {
  await tx
    .insertInto('ledger_accounts')
    .values(
      [false, true].flatMap((livemode) => [
        { provider_id: providerId, livemode, kind: 'available' as const, currency },
        { provider_id: providerId, livemode, kind: 'reserved' as const, currency },
      ]),
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
  /** The platform's accounts in the same mode and currency, which money reaches or comes from. */
  platform: { funding: string; paid_out: string; fees: string }
}

/** A provider's float accounts in one mode and the platform's in that mode, in one query. */
export async function providerAccounts(
  db: Db | Tx,
  scope: Scope,
  currency: string,
): Promise<ProviderAccounts> {
  const { providerId, livemode } = scope
  const rows = await db
    .selectFrom('ledger_accounts')
    .select(['id', 'kind', 'balance', 'provider_id'])
    .where('currency', '=', currency)
    .where('livemode', '=', livemode)
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
        `${owner ? `provider ${owner}` : 'the platform'} has no ${livemode ? 'live' : 'test'} ${kind} ${currency} account`,
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
