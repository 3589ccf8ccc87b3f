import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { sql } from 'kysely'
import { describe, expect } from 'vitest'
import { manualClock } from '../../src/clock.ts'
import type { Db } from '../../src/db/schema.ts'
import {
  type StatementRow,
  statementCsv,
  statementNewestFirst,
  statementOldestFirst,
} from '../../src/ledger/statement.ts'
import { displayMoney } from '../../src/page/format.ts'
import { buildTestApp, LIVE_ENV } from '../support/app.ts'
import { balance, call, credit, generate, liveOf, registerProvider } from '../support/client.ts'
import { ownerOf } from '../support/console.ts'
import { parseCsv } from '../support/csv.ts'
import { test } from '../support/fixtures.ts'

/** Dollars `12.34` back to cents, exactly. */
const cents = (dollars: string) => {
  const [whole = '', frac = ''] = dollars.replace(/^-/, '').split('.')
  const value = BigInt(whole) * 100n + BigInt(frac.padEnd(2, '0'))
  return dollars.startsWith('-') ? -value : value
}

async function providerId(db: Db, name: string) {
  const row = await db
    .selectFrom('providers')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow()
  return row.id
}

/** Credits, claims, a cancellation, and the same in live mode, a second apart each. */
async function ledgerScene(db: Db) {
  const clock = manualClock('2026-03-01T00:00:00Z')
  const built = buildTestApp(db, { clock, env: LIVE_ENV })
  const { app } = built
  const p = await registerProvider(app)
  const step = () => clock.advance(1000)
  await credit(app, p.name, 50_000, 'wire-1')
  step()
  await call(app, 'POST', '/cashout/test/fund', {
    key: p.key,
    body: { amount_minor: 1_234, reference: '=HYPERLINK("x")' },
  })
  const uuids: string[] = []
  for (const [i, amount] of [1_000, 2_000, 3_000].entries()) {
    step()
    uuids.push((await generate(app, p, { amount, id: `order-${i}` })).body.uuid)
  }
  step()
  await call(app, 'POST', `/cashout/claims/${uuids[1]}/cancel`, { key: p.key })
  step()
  await credit(app, p.name, 7_000, 'live-wire', true)
  step()
  await generate(app, liveOf(p), { amount: 500, id: 'live-order' })
  const scope = { providerId: await providerId(db, p.name), livemode: false }
  return { ...built, clock, p, scope, uuids }
}

/** Each row's running balance is the one before it plus its own change. */
function expectContinuous(oldestFirst: StatementRow[]) {
  let running = 0n
  for (const row of oldestFirst) {
    running += row.direction === 'in' ? row.amount_minor : -row.amount_minor
    expect(row.running_minor).toBe(running)
  }
  return running
}

describe('the float statement', () => {
  test('rows and running balances equal the ledger, per mode', async ({ db }) => {
    const s = await ledgerScene(db)
    const rows = await statementNewestFirst(db, s.scope, { currency: 'AUD', limit: 100 })
    expect(rows.map((r) => [r.kind, r.direction, r.amount_minor])).toEqual([
      ['release', 'in', 2_000n],
      ['reserve', 'out', 3_000n],
      ['reserve', 'out', 2_000n],
      ['reserve', 'out', 1_000n],
      ['credit', 'in', 1_234n],
      ['credit', 'in', 50_000n],
    ])
    expect(rows.map((r) => r.running_minor)).toEqual([
      47_234n,
      45_234n,
      48_234n,
      50_234n,
      51_234n,
      50_000n,
    ])
    expect(expectContinuous([...rows].reverse())).toBe(
      BigInt((await balance(s.app, s.p)).available_minor),
    )
    expect(rows[0]).toMatchObject({ claim_id: s.uuids[1], claim_ref: 'order-1' })
    expect(rows[0]?.claim_status).toBe('cancelled')
    expect(rows[5]).toMatchObject({ reference: 'wire-1', claim_id: null, livemode: false })

    // Every transfer touching the available account, and no other, summed by the database.
    const ledger = await db
      .selectFrom('ledger_transfers as t')
      .innerJoin('ledger_accounts as a', (j) =>
        j.on((eb) =>
          eb.or([
            eb('a.id', '=', eb.ref('t.debit_account_id')),
            eb('a.id', '=', eb.ref('t.credit_account_id')),
          ]),
        ),
      )
      .select(['t.id', 'a.balance'])
      .where('a.provider_id', '=', s.scope.providerId)
      .where('a.livemode', '=', false)
      .where('a.kind', '=', 'available')
      .execute()
    expect(new Set(ledger.map((t) => t.id))).toEqual(new Set(rows.map((r) => r.id)))
    expect(rows[0]?.running_minor).toBe(ledger[0]?.balance)

    const live = await statementNewestFirst(
      db,
      { ...s.scope, livemode: true },
      { currency: 'AUD', limit: 100 },
    )
    expect(live.map((r) => [r.kind, r.running_minor, r.livemode])).toEqual([
      ['reserve', 6_500n, true],
      ['credit', 7_000n, true],
    ])
  })

  test('paging either way keeps every running balance', async ({ db }) => {
    const s = await ledgerScene(db)
    const all = await statementNewestFirst(db, s.scope, { currency: 'AUD', limit: 100 })
    const newest: StatementRow[] = []
    let before: { createdAt: Date; id: string } | undefined
    for (;;) {
      const page = await statementNewestFirst(db, s.scope, { currency: 'AUD', before, limit: 4 })
      newest.push(...page)
      const last = page.at(-1)
      if (!last) break
      before = { createdAt: last.created_at, id: last.id }
    }
    expect(newest).toEqual(all)

    const oldest: StatementRow[] = []
    let after: StatementRow | undefined
    for (;;) {
      const page = await statementOldestFirst(db, s.scope, { currency: 'AUD', after, limit: 4 })
      if (page.length === 0) break
      oldest.push(...page)
      after = page.at(-1)
    }
    expect(oldest).toEqual([...all].reverse())
  })

  test('the CSV of the console and of the API parse back to the statement', async ({ db }) => {
    const s = await ledgerScene(db)
    const { browser } = await ownerOf(s.app, s.p)
    const fromConsole = await browser.get('/console/statement.csv')
    expect(fromConsole.status).toBe(200)
    expect(fromConsole.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(fromConsole.headers.get('content-disposition')).toBe(
      'attachment; filename="statement-test-2026-03-01.csv"',
    )
    const api = await s.app.request('/cashout/statement.csv', {
      headers: { Authorization: `Bearer ${s.p.key}` },
    })
    expect(api.status).toBe(200)
    const fromApi = await api.text()
    expect(fromApi).toBe(fromConsole.html)

    const [header, ...records] = parseCsv(fromApi)
    expect(header).toEqual([
      'transfer_id',
      'created_at',
      'kind',
      'direction',
      'amount',
      'running_balance',
      'currency',
      'claim_uuid',
      'claim_reference',
      'credit_reference',
      'livemode',
    ])
    const rows = await statementNewestFirst(db, s.scope, { currency: 'AUD', limit: 100 })
    expect(records).toEqual(
      [...rows]
        .reverse()
        .map((r) => [
          r.id,
          r.created_at.toISOString(),
          r.kind,
          r.direction,
          (Number(r.amount_minor) / 100).toFixed(2),
          (Number(r.running_minor) / 100).toFixed(2),
          'AUD',
          r.claim_id ?? '',
          r.claim_ref ?? '',
          r.kind === 'credit'
            ? r.reference === '=HYPERLINK("x")'
              ? `'${r.reference}`
              : r.reference
            : '',
          'false',
        ]),
    )
    expect(fromApi).toContain(`"'=HYPERLINK(""x"")"`)
    expect(cents(records.at(-1)?.[5] ?? '')).toBe(
      BigInt((await balance(s.app, s.p)).available_minor),
    )

    // The console page shows the same balances, newest first.
    const page = await browser.open('/console/float')
    const shown = [...page.html.matchAll(/class="num running">([^<]+)</g)].map((m) => m[1])
    expect(shown).toEqual(rows.map((r) => displayMoney(r.running_minor, 'AUD')))
    expect(page.html).toContain('href="/console/statement.csv"')

    // A live key reads the live statement only.
    const live = await s.app.request('/cashout/statement.csv', {
      headers: { Authorization: `Bearer ${liveOf(s.p).key}` },
    })
    const liveRecords = parseCsv(await live.text()).slice(1)
    expect(liveRecords.map((r) => [r[2], r[5], r[10]])).toEqual([
      ['credit', '70.00', 'true'],
      ['reserve', '65.00', 'true'],
    ])
    expect((await s.app.request('/cashout/statement.csv')).status).toBe(401)
  })

  test('a CSV read in three pages carries the running balance across them', async ({ db }) => {
    const s = await ledgerScene(db)
    const text = await new Response(
      statementCsv(db, s.scope, { currency: 'AUD', pageSize: 2 }),
    ).text()
    const records = parseCsv(text).slice(1)
    expect(records).toHaveLength(6) // three pages of two
    let running = 0n
    for (const r of records) {
      running += r[3] === 'in' ? cents(r[4] ?? '') : -cents(r[4] ?? '')
      expect(cents(r[5] ?? '')).toBe(running)
    }
    expect(running).toBe(BigInt((await balance(s.app, s.p)).available_minor))

    const more = await new Response(
      statementCsv(db, s.scope, { currency: 'AUD', pageSize: 4 }),
    ).text()
    expect(more).toBe(text)
  })
})

/**
 * A fixture, not a history Cashout made: 100,000 transfers written straight into the ledger by
 * one set-based INSERT … SELECT, alternating a 3.00 credit (funding → available) and a 1.00
 * reservation (available → reserved), with the three balances moved by the same totals, so the
 * ledger still sums to zero and the statement ends at the account's balance.
 */
async function hundredThousandTransfers(db: Db, providerId: string) {
  await sql`
    with acct as (
      select
        (select id from ledger_accounts where provider_id = ${providerId}::uuid and livemode = false
          and kind = 'funding') as funding,
        (select id from ledger_accounts where provider_id = ${providerId}::uuid and livemode = false
          and kind = 'available') as available,
        (select id from ledger_accounts where provider_id = ${providerId}::uuid and livemode = false
          and kind = 'reserved') as reserved
    )
    insert into ledger_transfers
      (provider_id, livemode, debit_account_id, credit_account_id, amount_minor, kind, reference,
       created_at)
    select ${providerId}::uuid, false,
      case when i % 2 = 1 then acct.funding else acct.available end,
      case when i % 2 = 1 then acct.available else acct.reserved end,
      case when i % 2 = 1 then 300 else 100 end,
      case when i % 2 = 1 then 'credit' else 'reserve' end,
      case when i % 2 = 1 then 'fixture-credit-' || i end,
      timestamptz '2026-01-01T00:00:00Z' + i * interval '1 second'
    from acct, generate_series(1, 100000) as i`.execute(db)
  const move = async (kind: string, delta: bigint) => {
    await sql`
      update ledger_accounts set balance = balance + ${delta}::bigint
      where kind = ${kind} and livemode = false and provider_id = ${providerId}::uuid`.execute(db)
  }
  await move('funding', -15_000_000n)
  await move('available', 10_000_000n)
  await move('reserved', 5_000_000n)
}

// Postgres only: PGlite, single-threaded in WebAssembly, takes over half a minute for the fixture
// and the hundred pages, while what is measured (memory held by the stream) is the same.
describe.runIf(process.env.TEST_DATABASE_URL)('a statement of 100,000 transfers', () => {
  test('streams as CSV with little memory, its running balance unbroken', async ({
    db,
    harness,
  }) => {
    const p = await registerProvider(harness.app)
    await hundredThousandTransfers(db, await providerId(db, p.name))
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const used = () => {
      const m = process.memoryUsage()
      return m.heapUsed + m.external
    }
    gc()
    const baseline = used()
    let peak = 0
    const res = await harness.app.request('/cashout/statement.csv', {
      headers: { Authorization: `Bearer ${p.key}` },
    })
    expect(res.status).toBe(200)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    let bytes = 0
    let chunks = 0
    let rows = -1 // the header
    let running = 0n
    let rest = ''
    const sampled: string[][] = []
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      bytes += value.byteLength
      const lines = (rest + decoder.decode(value, { stream: true })).split('\r\n')
      rest = lines.pop() ?? ''
      for (const line of lines) {
        rows++
        if (rows === 0) continue
        // Fixture rows hold no quotes or commas, so a split is a faithful parse here.
        const cells = line.split(',')
        running += cells[3] === 'in' ? cents(cells[4] ?? '') : -cents(cells[4] ?? '')
        if (cents(cells[5] ?? '') !== running) throw new Error(`running balance breaks at ${rows}`)
        if (rows === 50_000 || rows === 50_001) sampled.push(cells)
      }
      if (++chunks % 10 === 0) {
        gc()
        peak = Math.max(peak, used() - baseline)
      }
    }
    expect(rest).toBe('')
    expect(rows).toBe(100_000)
    expect(running).toBe(10_000_000n)
    expect(BigInt((await balance(harness.app, p)).available_minor)).toBe(running)
    // The file is ~11 MB; holding it would grow the heap by at least that.
    expect(bytes).toBeGreaterThan(10_000_000)
    expect(peak).toBeLessThan(6_000_000)

    // The console's pages count back from the balance now; half-way down they meet the file's.
    const scope = { providerId: await providerId(db, p.name), livemode: false }
    const [newest] = await statementNewestFirst(db, scope, { currency: 'AUD', limit: 1 })
    expect(newest?.running_minor).toBe(10_000_000n)
    const [middle, next] = sampled
    const [deep] = await statementNewestFirst(db, scope, {
      currency: 'AUD',
      before: { createdAt: new Date(next?.[1] ?? ''), id: next?.[0] ?? '' },
      limit: 1,
    })
    expect(deep?.id).toBe(middle?.[0])
    expect(deep?.running_minor).toBe(cents(middle?.[5] ?? ''))
  }, 120_000)
})
