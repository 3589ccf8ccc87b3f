import type { Db, Tx } from '../db/schema.ts'

export async function insertApiKey(
  db: Db | Tx,
  key: {
    providerId: string
    prefix: string
    secretSha256: string
    livemode: boolean
    label: string | null
    now: Date
  },
) {
  return db
    .insertInto('api_keys')
    .values({
      provider_id: key.providerId,
      prefix: key.prefix,
      secret_sha256: key.secretSha256,
      livemode: key.livemode,
      label: key.label,
      created_at: key.now,
    })
    .returning(['id', 'prefix', 'livemode', 'label', 'created_at'])
    .executeTakeFirstOrThrow()
}

export async function findKeyByPrefix(db: Db, prefix: string) {
  return db
    .selectFrom('api_keys')
    .innerJoin('providers', 'providers.id', 'api_keys.provider_id')
    .select([
      'api_keys.id',
      'api_keys.prefix',
      'api_keys.secret_sha256',
      'api_keys.revoked_at',
      'api_keys.last_used_at',
      'api_keys.livemode',
      'providers.id as provider_id',
      'providers.name as provider_name',
    ])
    .where('api_keys.prefix', '=', prefix)
    .executeTakeFirst()
}

const TOUCH_EVERY_MS = 60_000

/** A key's last use is kept to the minute, so most requests need not write it. */
export const touchDue = (lastUsedAt: Date | null, now: Date) =>
  lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= TOUCH_EVERY_MS

/** Records use at most once a minute per key, so authentication does not write on every call. */
export async function touchApiKey(db: Db, keyId: string, now: Date) {
  const minuteAgo = new Date(now.getTime() - TOUCH_EVERY_MS)
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', keyId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', minuteAgo)]))
    .execute()
}

/** A provider's keys of one mode: a test key never sees or touches a live one. */
export async function listApiKeys(db: Db, providerId: string, livemode: boolean) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'prefix', 'livemode', 'label', 'created_at', 'last_used_at', 'revoked_at'])
    .where('provider_id', '=', providerId)
    .where('livemode', '=', livemode)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute()
}

/** Whether a provider holds an active live key (and so account settings need one to change). */
export async function hasActiveLiveKey(db: Db | Tx, providerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('api_keys')
    .select('id')
    .where('provider_id', '=', providerId)
    .where('livemode', '=', true)
    .where('revoked_at', 'is', null)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}
