import pg from 'pg'
import { loadMigrationFiles } from '../db/migration-files.ts'
import { migrate } from '../db/migrator.ts'
import { createPostgresDb } from '../db/postgres.ts'
import type { Db } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import { openProviderAccounts, providerAccounts } from '../ledger/accounts.ts'
import { transfer } from '../ledger/transfer.ts'
import { createLogger } from '../log/logger.ts'
import { createBenchDatabase } from './postgres.ts'

export interface LayoutResult {
  settlements: number
  seconds: number
  settlementsPerSecond: number
  /** Time settlements spent waiting on a lock, summed over sessions (sampled, time-weighted). */
  lockWaitMs: number
  /** The most sessions seen waiting on a lock at one sample. */
  maxWaiting: number
  /** Samples of pg_stat_activity taken, and how many saw a session waiting on a lock. */
  samples: number
  samplesWaiting: number
}

export interface SettlementLocksResults {
  providers: number
  settlementsPerProvider: number
  /** Every settlement crediting one shared paid_out and one shared fees row, as before. */
  shared: LayoutResult
  /** Every settlement crediting its own provider's paid_out and fees rows. */
  perProvider: LayoutResult
}

const CURRENCY = 'AUD'
const NET = 99n
const FEE = 1n
const APPLICATION = 'cashout-bench-settlements'

/**
 * Settlements of many providers at once, on a fresh Postgres database, two ways in one run: all
 * crediting one shared platform row (the layout before platform accounts were per provider) and
 * each crediting its provider's own. Each provider settles on its own connection, one settlement
 * after another, as a payout worker would; meanwhile a separate connection samples
 * `pg_stat_activity` for sessions waiting on a lock. A settlement is what the lifecycle posts:
 * read the provider's accounts, then reserved → paid out and reserved → fees, through the real
 * `transfer`, in one transaction.
 */
export async function benchSettlementLocks(options: {
  adminUrl: string
  providers: number
  settlementsPerProvider: number
  progress: (line: string) => void
}): Promise<SettlementLocksResults> {
  const { providers, settlementsPerProvider: perProvider, progress } = options
  const database = await createBenchDatabase(options.adminUrl)
  const url = new URL(database.url)
  url.searchParams.set('application_name', APPLICATION)
  const db = createPostgresDb({
    url: url.toString(),
    poolMax: providers,
    // Silent: dropping the database at the end ends the pool's connections, which is expected.
    logger: createLogger({ level: 'silent', write: () => {} }),
  })
  try {
    await migrate(db, await loadMigrationFiles())
    // Three rounds of settlements (a warm-up, then one per layout) must find money reserved.
    const ids = await seed(db, providers, BigInt(3 * perProvider) * (NET + FEE))
    // The old layout's one shared row stands in as the paid_out and fees of a provider of its
    // own, so every transfer row still names the provider whose money it is.
    const [platform] = await seed(db, 1, 0n)
    if (!platform) throw new Error('unreachable')
    const shared = (await providerAccounts(db, { providerId: platform, livemode: false }, CURRENCY))
      .platform

    const run = async (label: string, rounds: number, to?: { paid_out: string; fees: string }) => {
      progress(`settlements, ${label}: ${providers} providers × ${rounds} at once`)
      const sampler = await sampleLockWaits(database.url)
      const started = performance.now()
      await Promise.all(
        ids.map(async (providerId) => {
          for (let i = 0; i < rounds; i++) await settle(db, providerId, to)
        }),
      )
      const seconds = (performance.now() - started) / 1000
      const waits = await sampler.stop()
      const settlements = providers * rounds
      return { settlements, seconds, settlementsPerSecond: settlements / seconds, ...waits }
    }
    await run('warm-up', perProvider)
    const before = await run('one shared platform row', perProvider, shared)
    const after = await run('platform rows per provider', perProvider)
    progress(
      `settlements: lock waits ${before.lockWaitMs.toFixed(0)} ms → ${after.lockWaitMs.toFixed(0)} ms, ${before.settlementsPerSecond.toFixed(0)} → ${after.settlementsPerSecond.toFixed(0)} settlements/s`,
    )
    return { providers, settlementsPerProvider: perProvider, shared: before, perProvider: after }
  } finally {
    await db.destroy()
    await database.drop()
  }
}

/** `count` providers with their accounts, `reserved` of test money set aside in each. */
async function seed(db: Db, count: number, reserved: bigint): Promise<string[]> {
  const run = Date.now().toString(36)
  return withTx(db, async (tx) => {
    const rows = await tx
      .insertInto('providers')
      .values(
        Array.from({ length: count }, (_, i) => ({
          name: `settle-${run}-${i}`,
          endpoint: 'https://bench.invalid/hooks',
          card_jwe: 'none',
          card_key_id: 'none',
          card_pan_hmac: `none-${run}-${i}`,
          card_last4: '0000',
          webhook_secret_jwe: 'none',
        })),
      )
      .returning('id')
      .execute()
    const now = new Date()
    for (const { id } of rows) {
      await openProviderAccounts(tx, id, CURRENCY)
      if (reserved === 0n) continue
      const scope = { providerId: id, livemode: false }
      const { available, reserved: held, platform } = await providerAccounts(tx, scope, CURRENCY)
      const move = { providerId: id, livemode: false, amount: reserved, now }
      await transfer(tx, { ...move, from: platform.funding, to: available.id, kind: 'credit' })
      await transfer(tx, { ...move, from: available.id, to: held.id, kind: 'reserve' })
    }
    return rows.map((r) => r.id)
  })
}

async function settle(db: Db, providerId: string, to?: { paid_out: string; fees: string }) {
  await withTx(db, async (tx) => {
    const scope = { providerId, livemode: false }
    const { reserved, platform } = await providerAccounts(tx, scope, CURRENCY)
    const target = to ?? platform
    const move = { providerId, livemode: false, from: reserved.id, now: new Date() }
    await transfer(tx, { ...move, to: target.paid_out, amount: NET, kind: 'payout' })
    await transfer(tx, { ...move, to: target.fees, amount: FEE, kind: 'fee' })
  })
}

/**
 * Polls pg_stat_activity on a connection of its own, as fast as it answers (every millisecond
 * or so), counting this benchmark's sessions whose wait is a lock. Each count is weighted by the
 * time since the previous sample, so the total estimates the time spent blocked.
 */
async function sampleLockWaits(url: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  let stopping = false
  let lockWaitMs = 0
  let maxWaiting = 0
  let samples = 0
  let samplesWaiting = 0
  const loop = (async () => {
    let last = performance.now()
    while (!stopping) {
      const { rows } = await client.query<{ waiting: number }>(
        `select count(*)::int as waiting from pg_stat_activity
         where application_name = $1 and wait_event_type = 'Lock'`,
        [APPLICATION],
      )
      const now = performance.now()
      const waiting = rows[0]?.waiting ?? 0
      lockWaitMs += waiting * (now - last)
      last = now
      samples++
      if (waiting > 0) samplesWaiting++
      maxWaiting = Math.max(maxWaiting, waiting)
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
  })()
  return {
    async stop() {
      stopping = true
      await loop
      await client.end()
      return { lockWaitMs, maxWaiting, samples, samplesWaiting }
    },
  }
}
