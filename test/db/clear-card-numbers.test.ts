import { sql } from 'kysely'
import { describe, expect } from 'vitest'
import { loadMigrationFiles } from '../../src/db/migration-files.ts'
import { migrate } from '../../src/db/migrator.ts'
import type { Db } from '../../src/db/schema.ts'
import { test } from '../support/fixtures.ts'

const CLEAR = '2026-11-30_07_clear_card_numbers_in_names.sql'

const REQUESTED = new Date('2026-10-01T00:00:00Z')
const UPDATED = new Date('2026-10-02T00:00:00Z')

interface Shown {
  display_name?: string | null
  display_name_approved?: string | null
  display_name_rejected_reason?: string | null
  support_contact?: string | null
  support_contact_approved?: string | null
  support_contact_rejected_reason?: string | null
}

/** A provider as an older release stored it, before names and contacts were checked for cards. */
async function insertProvider(db: Db, name: string, shown: Shown) {
  await db
    .insertInto('providers')
    .values({
      name,
      endpoint: 'https://hooks.example.com/cashout',
      card_jwe: 'jwe',
      card_key_id: 'test-1',
      card_pan_hmac: `hmac-${name}`,
      card_last4: '1111',
      webhook_secret_jwe: 'jwe',
      display_name_requested_at: shown.display_name ? REQUESTED : null,
      support_contact_requested_at: shown.support_contact ? REQUESTED : null,
      updated_at: UPDATED,
      ...shown,
    })
    .execute()
}

const SHOWN_COLUMNS = [
  'name',
  'display_name',
  'display_name_approved',
  'display_name_requested_at',
  'display_name_rejected_reason',
  'support_contact',
  'support_contact_approved',
  'support_contact_requested_at',
  'support_contact_rejected_reason',
  'updated_at',
] as const

async function provider(db: Db, name: string) {
  return db
    .selectFrom('providers')
    .select(SHOWN_COLUMNS)
    .where('name', '=', name)
    .executeTakeFirstOrThrow()
}

async function auditOf(db: Db, name: string) {
  return db
    .selectFrom('audit_log')
    .innerJoin('providers', 'providers.id', 'audit_log.provider_id')
    .select([
      'audit_log.actor_type',
      'audit_log.actor_id',
      'audit_log.actor_label',
      'audit_log.action',
      'audit_log.target',
      'audit_log.livemode',
      'audit_log.before',
      'audit_log.after',
    ])
    .where('providers.name', '=', name)
    .execute()
}

const NO_NAME = {
  display_name: null,
  display_name_approved: null,
  display_name_requested_at: null,
  display_name_rejected_reason: null,
}
const NO_CONTACT = {
  support_contact: null,
  support_contact_approved: null,
  support_contact_requested_at: null,
  support_contact_rejected_reason: null,
}

/** Card numbers as people write them, every one 13 to 19 digits. */
const CARD_NAMES: [string, string][] = [
  ['spaced', 'Card 4111 1111 1111 1111'],
  ['dashed', '4111-1111-1111-1111'],
  ['dotted', 'Rewards 4111.1111.1111.1111'],
  ['plain', 'Acme4111111111111111'],
  ['nbsp', 'Acme 4111\u00a01111\u00a01111\u00a01111'],
  ['slashed', '4111/1111/1111/1111 rewards'],
  ['mixed', '4111_1111+1111-1111'],
  ['short', 'Visa 4222 2222 2222 2'],
  ['long', 'Maestro 6392 1100 0000 0000 002'],
]

/** Numbers that are not card numbers: under 13 digits, over 19, or parted by more than one separator. */
const KEPT_NAMES: [string, string][] = [
  ['year', 'Acme Rewards 2024'],
  ['abn', 'Acme Pty Ltd ABN 51 824 753 556'],
  ['twelve', 'Ref 1234 5678 9012'],
  ['twenty', 'Ref 1234 5678 9012 3456 7890'],
  ['apart', '1300 123 456 / 02 9999 9999'],
  ['date', 'Since 2024-11-30 10:00'],
]

describe(`migration ${CLEAR}`, () => {
  test('clears display names and support contacts holding a card number, and keeps the rest', async ({
    db,
  }) => {
    const all = await loadMigrationFiles()
    expect(all.map((m) => m.name)).toContain(CLEAR)
    await sql`drop schema public cascade`.execute(db)
    await sql`create schema public`.execute(db)
    await migrate(
      db,
      all.filter((m) => m.name < CLEAR),
    )

    for (const [name, shown] of CARD_NAMES) {
      await insertProvider(db, `name-${name}`, {
        display_name: shown,
        display_name_approved: shown,
      })
    }
    for (const [name, shown] of KEPT_NAMES) {
      await insertProvider(db, `kept-${name}`, {
        display_name: shown,
        display_name_approved: shown,
        support_contact: shown,
        support_contact_approved: shown,
      })
    }
    // Asked for, not yet approved: the approved name was another, which goes too.
    await insertProvider(db, 'asked', {
      display_name: 'Acme 5555 5555 5555 4444',
      display_name_approved: 'Acme Rewards',
    })
    // Approved before the check, then replaced by a request that is fine.
    await insertProvider(db, 'approved', {
      display_name: 'Acme Rewards',
      display_name_approved: 'Acme 5555555555554444',
    })
    // Refused by the operator, and still on record.
    await insertProvider(db, 'refused', {
      display_name: 'Acme 5555-5555-5555-4444',
      display_name_rejected_reason: 'Holds a card number.',
    })
    await insertProvider(db, 'phone', {
      display_name: 'Phone Rewards',
      display_name_approved: 'Phone Rewards',
      support_contact: '+61 2 9999 9999',
      support_contact_approved: '+61 2 9999 9999',
    })
    await insertProvider(db, 'contact', {
      display_name: 'Contact Rewards',
      display_name_approved: 'Contact Rewards',
      support_contact: 'Call us, or pay 4111 1111 1111 1111',
      support_contact_approved: 'help@contact.example',
      support_contact_rejected_reason: 'Holds a card number.',
    })
    await insertProvider(db, 'contact-approved', {
      support_contact: 'help@contact.example',
      support_contact_approved: 'help 4111111111111111',
    })
    await insertProvider(db, 'both', {
      display_name: '4111 1111 1111 1111',
      support_contact: '5555 5555 5555 4444',
    })
    await insertProvider(db, 'blank', {})

    expect(await migrate(db, all)).toMatchObject({ applied: expect.arrayContaining([CLEAR]) })

    for (const [name] of CARD_NAMES) {
      expect(await provider(db, `name-${name}`), name).toMatchObject(NO_NAME)
    }
    expect(await provider(db, 'asked')).toMatchObject(NO_NAME)
    expect(await provider(db, 'approved')).toMatchObject(NO_NAME)
    expect(await provider(db, 'refused')).toMatchObject(NO_NAME)
    for (const [name, shown] of KEPT_NAMES) {
      expect(await provider(db, `kept-${name}`), name).toEqual({
        name: `kept-${name}`,
        display_name: shown,
        display_name_approved: shown,
        display_name_requested_at: REQUESTED,
        display_name_rejected_reason: null,
        support_contact: shown,
        support_contact_approved: shown,
        support_contact_requested_at: REQUESTED,
        support_contact_rejected_reason: null,
        updated_at: UPDATED,
      })
      expect(await auditOf(db, `kept-${name}`)).toEqual([])
    }

    // Only what held a number goes: the other field of the same provider stays.
    expect(await provider(db, 'phone')).toMatchObject({
      display_name: 'Phone Rewards',
      support_contact: '+61 2 9999 9999',
      support_contact_approved: '+61 2 9999 9999',
      support_contact_requested_at: REQUESTED,
      updated_at: UPDATED,
    })
    expect(await provider(db, 'contact')).toMatchObject({
      display_name: 'Contact Rewards',
      display_name_approved: 'Contact Rewards',
      display_name_requested_at: REQUESTED,
      ...NO_CONTACT,
    })
    expect((await provider(db, 'contact')).updated_at).not.toEqual(UPDATED)
    expect(await provider(db, 'contact-approved')).toMatchObject(NO_CONTACT)
    expect(await provider(db, 'both')).toMatchObject({ ...NO_NAME, ...NO_CONTACT })
    expect(await provider(db, 'blank')).toMatchObject({ ...NO_NAME, ...NO_CONTACT })

    // Each clearing is on the provider's record, by Cashout, with the number masked.
    expect(await auditOf(db, 'contact')).toEqual([
      {
        actor_type: 'system',
        actor_id: null,
        actor_label: 'Cashout',
        action: 'settings.cleared',
        target: 'claim page',
        livemode: null,
        before: {
          support_contact: 'Call us, or pay [card number]',
          support_contact_approved: 'help@contact.example',
        },
        after: { support_contact: null, support_contact_approved: null },
      },
    ])
    expect(await auditOf(db, 'both')).toEqual([
      expect.objectContaining({
        action: 'settings.cleared',
        before: {
          display_name: '[card number]',
          display_name_approved: null,
          support_contact: '[card number]',
          support_contact_approved: null,
        },
        after: {
          display_name: null,
          display_name_approved: null,
          support_contact: null,
          support_contact_approved: null,
        },
      }),
    ])
    expect(await auditOf(db, 'phone')).toEqual([])
    const logged = await db.selectFrom('audit_log').select(['before']).execute()
    expect(logged).toHaveLength(CARD_NAMES.length + 6)
    expect(JSON.stringify(logged)).not.toMatch(/\d{4}[^\d"]?\d{4}[^\d"]?\d{4}/)
  })
})
