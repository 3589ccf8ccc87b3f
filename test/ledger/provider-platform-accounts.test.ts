import { sql } from 'kysely'
import { describe, expect } from 'vitest'
import { loadMigrationFiles } from '../../src/db/migration-files.ts'
import { migrate } from '../../src/db/migrator.ts'
import type { Db, Tx } from '../../src/db/schema.ts'
import { splitSqlStatements } from '../../src/db/sql-script.ts'
import { sqlState, withTx } from '../../src/db/tx.ts'
import { providerAccounts } from '../../src/ledger/accounts.ts'
import { transfer } from '../../src/ledger/transfer.ts'
import { providerIdOf } from '../console/claims-fixtures.ts'
import { call, credit, fundedProvider, generate, type TestProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { BANK, payoutHarness, submit } from '../support/payouts.ts'

const PER_PROVIDER = '2026-11-29_04_provider_platform_accounts.sql'

/** Every account of the ledger, keyed `owner/mode/kind`, `platform` for a shared one. */
async function balances(db: Db, names: Record<string, string>) {
  const rows = await db
    .selectFrom('ledger_accounts')
    .select(['provider_id', 'livemode', 'kind', 'balance'])
    .execute()
  return Object.fromEntries(
    rows.map((r) => [
      `${r.provider_id ? (names[r.provider_id] ?? r.provider_id) : 'platform'}/${r.livemode ? 'live' : 'test'}/${r.kind}`,
      r.balance,
    ]),
  )
}

/** The ledger's promises that hold whatever the layout: it sums to zero and agrees with its transfers. */
async function expectBalanced(db: Db) {
  const total = await sql<{ sum: string }>`
    select coalesce(sum(balance), 0)::text as sum from ledger_accounts`.execute(db)
  expect(total.rows[0]?.sum).toBe('0')
  const drift = await sql<{ id: string }>`
    select a.id from ledger_accounts a
    where a.balance <> coalesce((select sum(amount_minor) from ledger_transfers where credit_account_id = a.id), 0)
                    - coalesce((select sum(amount_minor) from ledger_transfers where debit_account_id = a.id), 0)
  `.execute(db)
  expect(drift.rows).toEqual([])
}

describe('platform accounts per provider', () => {
  test("credits and settlements move only the provider's own platform-side accounts", async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const settle = async (p: TestProvider, amount: number, fee: number) => {
      await call(h.app, 'PUT', '/cashout/rules', {
        key: p.key,
        body: {
          rate: { points: 1, cash_minor: 1 },
          fee: { fixed_minor: fee, bps: 0, payer: 'provider' },
        },
      })
      const claim = (await generate(h.app, p, { amount, id: 'one' })).body
      expect((await submit(h.app, p, claim.uuid, BANK)).status).toBe(200)
      await h.drain()
      await h.waitForClaim(p, claim.uuid, 'settled')
    }
    const a = await fundedProvider(h.app, 10_000)
    const b = await fundedProvider(h.app, 7_000)
    await settle(a, 2_000, 25)
    await settle(b, 500, 10)

    const names = { [await providerIdOf(db, a.name)]: 'a', [await providerIdOf(db, b.name)]: 'b' }
    expect(await balances(db, names)).toEqual({
      'a/test/funding': -10_000n,
      'a/test/available': 7_975n,
      'a/test/reserved': 0n,
      'a/test/paid_out': 2_000n,
      'a/test/fees': 25n,
      'b/test/funding': -7_000n,
      'b/test/available': 6_490n,
      'b/test/reserved': 0n,
      'b/test/paid_out': 500n,
      'b/test/fees': 10n,
      ...Object.fromEntries(
        ['a', 'b'].flatMap((p) =>
          ['funding', 'available', 'reserved', 'paid_out', 'fees'].map((k) => [
            `${p}/live/${k}`,
            0n,
          ]),
        ),
      ),
    })
    await expectBalanced(db)
  })

  test('a new account must name its provider', async ({ db }) => {
    const insert = sql`insert into ledger_accounts (kind, currency) values ('paid_out', 'AUD')`
    await expect(insert.execute(db)).rejects.toThrow(/ledger_accounts_provider_required/)
  })
})

/**
 * A ledger as Cashout kept it before accounts were per provider: one shared funding, paid_out and
 * fees row per mode, through which provider `old-one` was credited 10.00 and settled a claim of
 * 3.00 (2.90 paid out, 0.10 fee); `old-two` never moved money. Live shared rows were never used.
 */
const OLD_LAYOUT = `
  insert into providers (id, name, endpoint, card_jwe, card_key_id, card_pan_hmac, card_last4,
    webhook_secret_jwe)
  values
    ('00000000-0000-4000-8000-00000000000a', 'old-one', 'https://a.example/h', 'x', 'k', 'h1',
      '1111', 'x'),
    ('00000000-0000-4000-8000-00000000000b', 'old-two', 'https://b.example/h', 'x', 'k', 'h2',
      '2222', 'x');
  insert into ledger_accounts (provider_id, livemode, kind, currency)
  select p.id, m.livemode, k.kind, 'AUD'
  from providers p cross join (values (false), (true)) as m (livemode)
    cross join (values ('available'), ('reserved')) as k (kind);
  with acct as (
    select
      (select id from ledger_accounts where provider_id is null and not livemode
        and kind = 'funding') as funding,
      (select id from ledger_accounts where provider_id is null and not livemode
        and kind = 'paid_out') as paid_out,
      (select id from ledger_accounts where provider_id is null and not livemode
        and kind = 'fees') as fees,
      (select id from ledger_accounts where provider_id = '00000000-0000-4000-8000-00000000000a'
        and not livemode and kind = 'available') as available,
      (select id from ledger_accounts where provider_id = '00000000-0000-4000-8000-00000000000a'
        and not livemode and kind = 'reserved') as reserved
  )
  insert into ledger_transfers
    (provider_id, livemode, debit_account_id, credit_account_id, amount_minor, kind, reference)
  select '00000000-0000-4000-8000-00000000000a', false, m.debit, m.credit, m.amount, m.kind,
    m.reference
  from acct cross join lateral (values
    (acct.funding, acct.available, 1000, 'credit', 'r1'),
    (acct.available, acct.reserved, 300, 'reserve', null),
    (acct.reserved, acct.paid_out, 290, 'payout', null),
    (acct.reserved, acct.fees, 10, 'fee', null)
  ) as m (debit, credit, amount, kind, reference);
  update ledger_accounts a set balance =
    coalesce((select sum(amount_minor) from ledger_transfers where credit_account_id = a.id), 0)
    - coalesce((select sum(amount_minor) from ledger_transfers where debit_account_id = a.id), 0);
`

describe('the migration to platform accounts per provider', () => {
  test('keeps shared rows that carry history, frozen, and opens every provider its own', async ({
    db,
    harness,
  }) => {
    const all = await loadMigrationFiles()
    const before = all.filter((m) => m.name < PER_PROVIDER)
    await sql`drop schema public cascade`.execute(db)
    await sql`create schema public`.execute(db)
    await migrate(db, before)
    for (const statement of splitSqlStatements(OLD_LAYOUT)) await sql.raw(statement).execute(db)
    expect(await migrate(db, all)).toMatchObject({
      applied: expect.arrayContaining([PER_PROVIDER]),
    })

    const names = {
      '00000000-0000-4000-8000-00000000000a': 'one',
      '00000000-0000-4000-8000-00000000000b': 'two',
    }
    const after = await balances(db, names)
    // The test-mode shared rows keep their balances as history; the unused live ones are gone.
    expect(after).toMatchObject({
      'platform/test/funding': -1000n,
      'platform/test/paid_out': 290n,
      'platform/test/fees': 10n,
      'one/test/available': 700n,
      'one/test/funding': 0n,
      'one/test/paid_out': 0n,
      'one/test/fees': 0n,
      'two/live/paid_out': 0n,
    })
    expect(
      Object.keys(after)
        .filter((k) => k.startsWith('platform/'))
        .sort(),
    ).toEqual(['platform/test/fees', 'platform/test/funding', 'platform/test/paid_out'])
    expect(Object.keys(after).filter((k) => !k.startsWith('platform/'))).toHaveLength(20)
    await expectBalanced(db)

    // Nothing moves through a shared row again; new money goes to the provider's own accounts.
    await expect(
      sql`update ledger_accounts set balance = balance + 1 where provider_id is null and kind = 'fees'`.execute(
        db,
      ),
    ).rejects.toThrow(/ledger_accounts_provider_required/)
    await credit(harness.app, 'old-one', 500)
    expect(await balances(db, names)).toMatchObject({
      'platform/test/funding': -1000n,
      'one/test/funding': -500n,
      'one/test/available': 1200n,
    })
    // The platform's total funding is the sum over providers and the shared history.
    const funded = await sql<{ total: string }>`
      select sum(balance)::text as total from ledger_accounts
      where kind = 'funding' and not livemode`.execute(db)
    expect(funded.rows[0]?.total).toBe('-1500')
    await expectBalanced(db)
  })
})

/** A settlement as the lifecycle posts one: reserved → paid out, in the caller's transaction. */
async function settle(tx: Tx, providerId: string, paidOutTo?: string) {
  const scope = { providerId, livemode: false }
  const { reserved, platform } = await providerAccounts(tx, scope, 'AUD')
  await transfer(tx, {
    providerId,
    livemode: false,
    from: reserved.id,
    to: paidOutTo ?? platform.paid_out,
    amount: 100n,
    kind: 'payout',
    now: new Date(),
  })
}

/** Runs `fn` in a transaction that gives up on any lock it waits for longer than a moment. */
function impatient(db: Db, fn: (tx: Tx) => Promise<void>) {
  return withTx(db, async (tx) => {
    await sql`set local lock_timeout = '200ms'`.execute(tx)
    await fn(tx)
  })
}

// Postgres only: PGlite has one session, so no two transactions are ever open at once.
describe.runIf(process.env.TEST_DATABASE_URL)('settlements of two providers', () => {
  test('do not wait on each other: one holding its platform-side row leaves the other free', async ({
    db,
    harness,
  }) => {
    const providers = [
      await fundedProvider(harness.app, 10_000),
      await fundedProvider(harness.app, 10_000),
    ]
    for (const p of providers) await generate(harness.app, p, { amount: 1_000, id: 'c' })
    const [a, b] = await Promise.all(providers.map((p) => providerIdOf(db, p.name)))
    if (!a || !b) throw new Error('unreachable')
    const aPaidOut = (await providerAccounts(db, { providerId: a, livemode: false }, 'AUD'))
      .platform.paid_out

    // A's settlement is posted and its transaction left open: A's rows stay locked.
    let locked!: () => void
    let release!: () => void
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve
    })
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    const holder = withTx(db, async (tx) => {
      await settle(tx, a)
      locked()
      await released
    })
    await isLocked
    try {
      // B's settlement commits meanwhile: it touches no row of A's.
      await impatient(db, (tx) => settle(tx, b))
      // Had B's money gone to the same row as A's, as when one paid_out row served everyone, it
      // would wait for A's commit (here, give up).
      const shared = impatient(db, (tx) => settle(tx, b, aPaidOut))
      await expect(shared).rejects.toSatisfy((error) => sqlState(error) === '55P03')
    } finally {
      release()
      await holder
    }
    const names = { [a]: 'a', [b]: 'b' }
    expect(await balances(db, names)).toMatchObject({
      'a/test/paid_out': 100n,
      'a/test/reserved': 900n,
      'b/test/paid_out': 100n,
      'b/test/reserved': 900n,
    })
    await expectBalanced(db)
  })
})
