import type { Db, Tx } from '../db/schema.ts'
import { reviewColumns } from './review.ts'

export interface NewProvider {
  name: string
  endpoint: string
  cardJwe: string
  cardKeyId: string
  cardPanHmac: string
  cardLast4: string
  webhookSecretJwe: string
  now: Date
}

/** Inserts a provider unless the name is taken; undefined means taken. */
export async function insertProvider(tx: Tx, p: NewProvider) {
  return tx
    .insertInto('providers')
    .values({
      name: p.name,
      endpoint: p.endpoint,
      card_jwe: p.cardJwe,
      card_key_id: p.cardKeyId,
      card_pan_hmac: p.cardPanHmac,
      card_last4: p.cardLast4,
      webhook_secret_jwe: p.webhookSecretJwe,
      created_at: p.now,
      updated_at: p.now,
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning(['id', 'name', 'endpoint', 'card_last4', 'created_at', 'updated_at'])
    .executeTakeFirst()
}

export async function findProviderByName(db: Db | Tx, name: string) {
  return db
    .selectFrom('providers')
    .select(['id', 'name', 'endpoint', 'card_last4', 'created_at', 'updated_at'])
    .where('name', '=', name)
    .executeTakeFirst()
}

/** What the profile shows: the account's settings, including what the claim page shows. */
const PROFILE_COLUMNS = [
  'id',
  'name',
  'endpoint',
  'card_last4',
  'display_name',
  'display_name_approved',
  'display_name_requested_at',
  'display_name_rejected_reason',
  'accent_colour',
  'support_contact',
  'support_contact_approved',
  'support_contact_requested_at',
  'support_contact_rejected_reason',
  'created_at',
  'updated_at',
] as const

export async function findProviderById(db: Db | Tx, id: string) {
  return db
    .selectFrom('providers')
    .select(PROFILE_COLUMNS)
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}

/** The row a profile change starts from, locked so concurrent changes audit in order. */
export async function lockProvider(tx: Tx, id: string) {
  return tx
    .selectFrom('providers')
    .select(['endpoint', 'card_last4', 'webhook_disabled_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow()
}

export async function countOtherProvidersWithCard(db: Db | Tx, panHmac: string, exceptId: string) {
  const row = await db
    .selectFrom('providers')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('card_pan_hmac', '=', panHmac)
    .where('id', '<>', exceptId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * The other providers registered with the same card (by the PAN's HMAC), by name, for the
 * operator: one card behind many providers is worth a look. At most `limit` names, and how many.
 */
export async function providersSharingCard(db: Db | Tx, providerId: string, limit = 50) {
  const others = db
    .selectFrom('providers as mine')
    .innerJoin('providers as other', (join) =>
      join
        .onRef('other.card_pan_hmac', '=', 'mine.card_pan_hmac')
        .onRef('other.id', '<>', 'mine.id'),
    )
    .where('mine.id', '=', providerId)
  const names = await others.select('other.name').orderBy('other.name').limit(limit).execute()
  const total = await others
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow()
  return { names: names.map((r) => r.name), count: Number(total.n) }
}

export interface ProviderChanges {
  endpoint?: string
  card?: { jwe: string; keyId: string; panHmac: string; last4: string }
}

export async function updateProvider(db: Db | Tx, id: string, changes: ProviderChanges, now: Date) {
  return db
    .updateTable('providers')
    .set({
      updated_at: now,
      // Setting the endpoint (even to the same URL) turns deliveries back on after a 410, and
      // ends a pause for failures: the provider says the receiver is there now.
      ...(changes.endpoint
        ? {
            endpoint: changes.endpoint,
            webhook_disabled_at: null,
            webhook_disabled_reason: null,
            webhook_failing: 0,
            webhook_failing_since: null,
            webhook_pause_seconds: 0,
            webhook_resume_at: null,
          }
        : {}),
      ...(changes.card
        ? {
            card_jwe: changes.card.jwe,
            card_key_id: changes.card.keyId,
            card_pan_hmac: changes.card.panHmac,
            card_last4: changes.card.last4,
          }
        : {}),
    })
    .where('id', '=', id)
    .returning(PROFILE_COLUMNS)
    .executeTakeFirstOrThrow()
}

export type ProviderRow = Awaited<ReturnType<typeof findProviderById>>

/** What the console's settings page shows: the claim page's look and any suspension. */
export async function findProviderSettings(db: Db, id: string) {
  return db
    .selectFrom('providers')
    .select(['name', 'accent_colour', 'suspended_at', 'suspended_reason'])
    .select([...reviewColumns('display_name'), ...reviewColumns('support_contact')])
    .where('id', '=', id)
    .executeTakeFirstOrThrow()
}
