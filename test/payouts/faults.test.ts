import { describe, expect } from 'vitest'
import { createPostgresDb } from '../../src/db/postgres.ts'
import type { Db } from '../../src/db/schema.ts'
import { createLogger } from '../../src/log/logger.ts'
import { classify } from '../../src/payouts/rail/hello-clever.ts'
import { type PayoutRail, RailError, type WithdrawRequest } from '../../src/payouts/rail/rail.ts'
import { openRequest } from '../../src/payouts/request.ts'
import { runPayoutBatch } from '../../src/payouts/worker.ts'
import { OPERATOR_TOKEN } from '../support/app.ts'
import {
  balance,
  call,
  expectError,
  fundedProvider,
  generate,
  type TestProvider,
} from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import {
  BANK,
  bankAccount,
  eventTypes,
  PAYID,
  type PayoutHarness,
  payoutHarness,
  submit,
} from '../support/payouts.ts'
import { until } from '../support/receiver.ts'
import { SANDBOX_HEADERS } from '../support/sandbox.ts'

async function payoutOf(db: Db, claimId: string) {
  return db
    .selectFrom('payouts')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('attempt', 'desc')
    .executeTakeFirstOrThrow()
}

async function claimWith(
  h: PayoutHarness,
  p: TestProvider,
  id: string,
  destination: Record<string, unknown>,
  amount = 500,
) {
  const claim = (await generate(h.app, p, { amount, id })).body
  expect((await submit(h.app, p, claim.uuid, destination)).status).toBe(200)
  return claim.uuid as string
}

/** Posts a callback the way Hello Clever would, with the payout's own token unless told otherwise. */
async function postCallback(
  h: PayoutHarness,
  db: Db,
  payoutId: string,
  body: unknown,
  token?: string,
) {
  const payout = await db
    .selectFrom('payouts')
    .selectAll()
    .where('id', '=', payoutId)
    .executeTakeFirstOrThrow()
  const real = (await openRequest(h.deps.vault, payout.request_jwe)).callbackToken
  return fetch(`${h.cashoutUrl}/rail/hello-clever/callbacks/${payoutId}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token ?? real}`, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

async function ledgerRows(db: Db, claimId: string) {
  return (
    await db.selectFrom('ledger_transfers').select('kind').where('claim_id', '=', claimId).execute()
  )
    .map((r) => r.kind)
    .sort()
}

describe('faults between Cashout and the rail', () => {
  test('an answer lost after the rail paid is retried with the same id, and pays once', async ({
    db,
  }) => {
    let calls = 0
    const h = await payoutHarness(db, {
      wrapRail: (rail): PayoutRail => ({
        async withdraw(req) {
          calls += 1
          const accepted = await rail.withdraw(req)
          if (calls === 1) throw new RailError('unavailable', 'the answer was lost')
          return accepted
        },
      }),
    })
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'lost', bankAccount('00000033'))
    await h.drain()
    const payout = await payoutOf(db, uuid)
    expect(payout.status).toBe('unknown')
    h.clock.advance(5_000)
    await h.drain()
    expect((await payoutOf(db, uuid)).status).toBe('processing')
    await h.waitForClaim(p, uuid, 'settled')
    expect(await h.withdrawal(payout.id)).toMatchObject({ payouts_made: 1, requests: 2 })
    expect(await ledgerRows(db, uuid)).toEqual(['payout', 'reserve'])
  })

  test('a refusal after a lost answer cannot reopen the claim: it waits for a person', async ({
    db,
  }) => {
    let calls = 0
    const h = await payoutHarness(db, {
      wrapRail: (rail): PayoutRail => ({
        async withdraw(req) {
          calls += 1
          if (calls === 1) {
            await rail.withdraw(req)
            throw new RailError('unavailable', 'the answer was lost')
          }
          throw classify(422, { errors: { 'cashback_transaction_detail.amount': 'is invalid' } })
        },
      }),
    })
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'no-double', bankAccount('00000033'))
    await h.drain()
    h.clock.advance(5_000)
    await h.drain()
    const payout = await payoutOf(db, uuid)
    expect(payout.status).toBe('unknown')
    expect(payout.next_attempt_at.getTime() - h.clock.now().getTime()).toBeGreaterThan(
      23 * 3600_000,
    )
    expect(h.logs.entries().some((e) => e.needs_operator === true)).toBe(true)
    expect((await submit(h.app, p, uuid, PAYID)).body.code).toBe('claim_not_open')
    await h.waitForClaim(p, uuid, 'settled')
    expect((await payoutOf(db, uuid)).status).toBe('settled')
    expect(await h.withdrawal(payout.id)).toMatchObject({ payouts_made: 1 })
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 500, reserved_minor: 0 })
  })

  test('a timeout while the rail is slow still ends in one payout', async ({ db }) => {
    const h = await payoutHarness(db, { timeScale: 0.02, railTimeoutMs: 100 })
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'slow', bankAccount('00000091'))
    await h.drain()
    const payout = await payoutOf(db, uuid)
    expect(['unknown', 'settled']).toContain(payout.status)
    await until(
      () => h.withdrawal(payout.id),
      (w) => w.status === 'settled',
    )
    h.clock.advance(5_000)
    await h.drain()
    await h.waitForClaim(p, uuid, 'settled')
    expect((await h.withdrawal(payout.id)).payouts_made).toBe(1)
    expect(await ledgerRows(db, uuid)).toEqual(['payout', 'reserve'])
  })

  test('a 503 is retried later with the same id', async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'flaky', {
      type: 'payid',
      payid_type: 'email',
      payid: 'flaky@sandbox.test',
    })
    await h.drain()
    const payout = await payoutOf(db, uuid)
    expect(payout).toMatchObject({ status: 'unknown', rail_calls: 1 })
    expect(payout.next_attempt_at.getTime()).toBeGreaterThan(h.clock.now().getTime())
    h.clock.advance(5_000)
    await h.drain()
    await h.waitForClaim(p, uuid, 'settled')
    expect(await h.withdrawal(payout.id)).toMatchObject({ payouts_made: 1, requests: 1 })
  })

  test('a rail short of money keeps the payout until it is topped up', async ({ db }) => {
    const h = await payoutHarness(db)
    await fetch(`${h.sandboxOrigin}/sandbox/balance`, {
      method: 'POST',
      headers: { ...SANDBOX_HEADERS, 'Content-Type': 'application/json' },
      body: '{"balance_minor":100}',
    })
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'broke', BANK)
    await h.drain()
    expect(await payoutOf(db, uuid)).toMatchObject({ status: 'pending' })
    expect(
      (
        await h.app.request(`/cashout/claims/${uuid}`, {
          headers: { Authorization: `Bearer ${p.key}` },
        })
      ).status,
    ).toBe(200)
    await fetch(`${h.sandboxOrigin}/sandbox/balance`, {
      method: 'POST',
      headers: { ...SANDBOX_HEADERS, 'Content-Type': 'application/json' },
      body: '{"balance_minor":100000}',
    })
    h.clock.advance(5_000)
    await h.drain()
    await h.waitForClaim(p, uuid, 'settled')
  })

  test('a request the rail refuses reopens the claim for another account', async ({ db }) => {
    const h = await payoutHarness(db, {
      wrapRail: (): PayoutRail => ({
        withdraw: async () => {
          throw classify(400, {
            errors: {
              'cashback_transaction_detail.payout_method_params.bsb': 'is not a valid BSB',
            },
          })
        },
      }),
    })
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'refused', BANK)
    await h.drain()
    const claim = await h.waitForClaim(p, uuid, 'open')
    expect(claim.payout).toMatchObject({ status: 'failed', failure_code: 'RAIL_REJECTED' })
    const payout = await payoutOf(db, uuid)
    expect(payout.failure_reason).toContain('is not a valid BSB')
  })

  test('wrong rail credentials hold the payout and say so in the log', async ({ db }) => {
    let fixed = false
    const h = await payoutHarness(db, {
      wrapRail: (rail): PayoutRail => ({
        withdraw: async (req) => {
          if (!fixed)
            throw classify(401, { errors: { code: 'REQUIRE_LOGIN', message: 'Not Authorised' } })
          return rail.withdraw(req)
        },
      }),
    })
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'creds', BANK)
    await h.drain()
    expect(await payoutOf(db, uuid)).toMatchObject({ status: 'pending' })
    expect(h.logs.entries().some((e) => e.level === 'error' && e.kind === 'unauthorized')).toBe(
      true,
    )
    fixed = true
    h.clock.advance(5_000)
    await h.drain()
    await h.waitForClaim(p, uuid, 'settled')
  })
})

describe('callbacks', () => {
  test('a duplicated callback settles once', async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'twice', bankAccount('00000022'))
    await h.drain()
    await h.waitForClaim(p, uuid, 'settled')
    const payout = await payoutOf(db, uuid)
    await until(
      async () =>
        (await (
          await fetch(`${h.sandboxOrigin}/sandbox/deliveries?origin=withdraw:${payout.id}`, {
            headers: SANDBOX_HEADERS,
          })
        ).json()) as { deliveries: { status: number }[] },
      (r) => r.deliveries.filter((d) => d.status === 200).length === 2,
    )
    expect(await ledgerRows(db, uuid)).toEqual(['payout', 'reserve'])
    expect((await eventTypes(db, uuid)).filter((t) => t === 'claim.settled')).toHaveLength(1)
  })

  test('a callback that arrives before the rail answers still settles, and the answer does not undo it', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'early', {
      type: 'payid',
      payid_type: 'email',
      payid: 'early@sandbox.test',
    })
    await h.drain()
    await h.waitForClaim(p, uuid, 'settled')
    const payout = await payoutOf(db, uuid)
    expect(payout.status).toBe('settled')
    expect(payout.withdrawal_id).toMatch(/^[A-Z0-9]{8}$/)
  })

  test('late and out-of-order callbacks answer 200 and change nothing', async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'order', bankAccount('00000014'))
    await h.drain()
    await h.waitForClaim(p, uuid, 'open')
    const first = await payoutOf(db, uuid)
    await submit(h.app, p, uuid, PAYID)
    await h.drain()
    await h.waitForClaim(p, uuid, 'settled')
    const second = await payoutOf(db, uuid)
    const before = await balance(h.app, p)

    for (const [payout, status] of [
      [first, 'settled'],
      [first, 'failed'],
      [second, 'failed'],
      [second, 'settled'],
    ] as const) {
      const res = await postCallback(h, db, payout.id, {
        client_transaction_id: payout.id,
        status,
        withdrawal_id: 'LATE',
      })
      expect(res.status).toBe(200)
    }
    expect(await balance(h.app, p)).toEqual(before)
    expect((await payoutOf(db, uuid)).status).toBe('settled')
    expect(
      (
        await db
          .selectFrom('payouts')
          .select('status')
          .where('id', '=', first.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('failed')
    expect(await eventTypes(db, uuid)).toEqual([
      'claim.created',
      'claim.submitted',
      'claim.reopened',
      'claim.submitted',
      'claim.settled',
    ])
  })

  test('a wrong, missing or borrowed token is a 401 that changes nothing', async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const a = await claimWith(h, p, 'a', bankAccount('00000033'))
    const b = await claimWith(h, p, 'b', bankAccount('00000033'))
    await h.drain()
    const payoutA = await payoutOf(db, a)
    const payoutB = await payoutOf(db, b)
    const tokenB = (await openRequest(h.deps.vault, payoutB.request_jwe)).callbackToken
    const body = { client_transaction_id: payoutA.id, status: 'failed' }
    for (const token of ['wrong', tokenB, '']) {
      const res = await postCallback(h, db, payoutA.id, body, token)
      expect(res.status).toBe(401)
      expect((await res.json()).code).toBe('unauthorized')
    }
    const unknown = await fetch(
      `${h.cashoutUrl}/rail/hello-clever/callbacks/${crypto.randomUUID()}`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${tokenB}` },
        body: '{}',
      },
    )
    expect(unknown.status).toBe(401)
    expect((await payoutOf(db, a)).status).toBe('processing')
  })

  test('an authenticated callback that is not JSON is refused so it comes again; one without a final status is acknowledged', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'junk', bankAccount('00000033'))
    await h.drain()
    const payout = await payoutOf(db, uuid)
    const junk = await postCallback(h, db, payout.id, '{not json')
    expect(junk.status).toBe(400)
    expect((await junk.json()).code).toBe('invalid_json')
    expect((await postCallback(h, db, payout.id, { status: 'processing' })).status).toBe(200)
    expect((await payoutOf(db, uuid)).status).toBe('processing')
  })
})

describe('workers', () => {
  test('a worker that dies mid-call loses its lease; the payout completes once', async ({ db }) => {
    let calls = 0
    let releaseStuck: (() => void) | undefined
    const h = await payoutHarness(db, {
      wrapRail: (rail): PayoutRail => ({
        async withdraw(req: WithdrawRequest) {
          calls += 1
          const accepted = await rail.withdraw(req)
          if (calls === 1) await new Promise<void>((resolve) => (releaseStuck = resolve))
          return accepted
        },
      }),
    })
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'crash', bankAccount('00000033'))
    const stuck = runPayoutBatch({ deps: h.deps, workerId: 'doomed' })
    await until(
      () => calls,
      (n) => n === 1,
    )
    expect(await h.drain('survivor')).toBe(0)
    h.clock.advance(2000 + 30_000 + 1)
    expect(await h.drain('survivor')).toBe(1)
    await h.waitForClaim(p, uuid, 'settled')
    releaseStuck?.()
    await stuck
    const payout = await payoutOf(db, uuid)
    expect(payout.status).toBe('settled')
    expect(await h.withdrawal(payout.id)).toMatchObject({ payouts_made: 1, requests: 2 })
    expect(await ledgerRows(db, uuid)).toEqual(['payout', 'reserve'])
  })

  test('workers running side by side never call the rail twice for one payout', async ({
    db,
    testDb,
  }) => {
    const seen = new Map<string, number>()
    const h = await payoutHarness(db, {
      wrapRail: (rail): PayoutRail => ({
        withdraw: async (req) => {
          seen.set(req.clientTransactionId, (seen.get(req.clientTransactionId) ?? 0) + 1)
          return rail.withdraw(req)
        },
      }),
    })
    const p = await fundedProvider(h.app, 1_000_000)
    const claims: string[] = []
    for (let i = 0; i < 30; i++) claims.push(await claimWith(h, p, `w${i}`, PAYID, 100))
    const silent = createLogger({ level: 'silent', write: () => {} })
    const pools =
      testDb.kind === 'postgres'
        ? Array.from({ length: 3 }, () =>
            createPostgresDb({ url: testDb.url ?? '', poolMax: 3, logger: silent }),
          )
        : [db, db, db]
    try {
      await Promise.all(
        pools.map((pool, i) =>
          runPayoutBatch({ deps: { ...h.deps, db: pool }, workerId: `w${i}`, limit: 7 }).then(
            async (n) =>
              n +
              (await runPayoutBatch({
                deps: { ...h.deps, db: pool },
                workerId: `w${i}`,
                limit: 7,
              })),
          ),
        ),
      )
      await h.drain()
    } finally {
      if (testDb.kind === 'postgres') await Promise.all(pools.map((pool) => pool.destroy()))
    }
    expect(seen.size).toBe(30)
    expect([...seen.values()].every((n) => n === 1)).toBe(true)
    for (const uuid of claims) await h.waitForClaim(p, uuid, 'settled')
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 3000, reserved_minor: 0 })
  })
})

describe('payouts that need a person', () => {
  test('a payout with no callback for an hour is listed, and the operator can settle it', async ({
    db,
  }) => {
    const h = await payoutHarness(db, {
      wrapRail: (rail): PayoutRail => ({
        withdraw: (req) => rail.withdraw({ ...req, callbackUrl: 'http://127.0.0.1:9/nowhere' }),
      }),
    })
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'silent', BANK)
    await h.drain()
    expect((await payoutOf(db, uuid)).status).toBe('processing')
    const operator = { key: OPERATOR_TOKEN }
    expect(
      (await call(h.app, 'GET', '/operator/payouts/attention', operator)).body.payouts,
    ).toEqual([])
    h.clock.advance(3600_000 + 1)
    const listed = await call(h.app, 'GET', '/operator/payouts/attention', operator)
    const payout = await payoutOf(db, uuid)
    expect(listed.body.payouts).toEqual([
      expect.objectContaining({
        id: payout.id,
        claim: uuid,
        provider: p.name,
        status: 'processing',
        destination: expect.objectContaining({ account_number: '••••5678' }),
      }),
    ])
    const resolved = await call(h.app, 'POST', `/operator/payouts/${payout.id}/resolve`, {
      ...operator,
      body: { status: 'settled', reason: 'Hello Clever support confirmed it settled' },
    })
    expect(resolved.status).toBe(200)
    expect((await call(h.app, 'GET', `/cashout/claims/${uuid}`, { key: p.key })).body.status).toBe(
      'settled',
    )
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 500, reserved_minor: 0 })
    const again = await call(h.app, 'POST', `/operator/payouts/${payout.id}/resolve`, {
      ...operator,
      body: { status: 'failed', reason: 'changed my mind', final: true },
    })
    expectError(again, 409, 'payout_final')
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 500 })
    expectError(
      await call(h.app, 'GET', '/operator/payouts/attention', { key: p.key }),
      401,
      'unauthorized',
    )
  })
})
