import { describe, expect } from 'vitest'
import { createPostgresDb } from '../../src/db/postgres.ts'
import type { Db } from '../../src/db/schema.ts'
import { createLogger } from '../../src/log/logger.ts'
import { classifyRefusal } from '../../src/payouts/rail/classify.ts'
import { type PayoutRail, RailError, type WithdrawRequest } from '../../src/payouts/rail/rail.ts'
import { openRequest } from '../../src/payouts/request.ts'
import { runPayoutBatch } from '../../src/payouts/worker.ts'
import { OPERATOR_TOKEN } from '../support/app.ts'
import { balance, call, expectError, fundedProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import {
  BANK,
  bankAccount,
  claimWith,
  eventTypes,
  PAYID,
  type PayoutHarness,
  payoutHarness,
  payoutOf,
  submit,
} from '../support/payouts.ts'
import { until } from '../support/receiver.ts'
import { SANDBOX_HEADERS } from '../support/sandbox.ts'

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

const WITHDRAW = 'POST /api/v2/cashbacks/withdraw'
const lost = () => new RailError({ kind: 'unavailable', detail: 'the answer was lost' })

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
        ...rail,
        async withdraw(req) {
          calls += 1
          const accepted = await rail.withdraw(req)
          if (calls === 1) throw lost()
          return accepted
        },
      }),
    })
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'lost', bankAccount('00000033'))
    await h.drain()
    const payout = await payoutOf(db, uuid)
    expect(payout).toMatchObject({ status: 'unknown', waiting_on: 'rail_retry' })
    h.clock.advance(5_000)
    await h.drain()
    expect((await payoutOf(db, uuid)).status).toBe('processing')
    await h.waitForClaim(p, uuid, 'settled')
    expect(await h.withdrawal(payout.id)).toMatchObject({ payouts_made: 1, requests: 2 })
    expect(await ledgerRows(db, uuid)).toEqual(['payout', 'reserve'])
  })

  test('a refusal after a lost answer cannot reopen the claim: it is held, and the rail’s own callback releases it', async ({
    db,
  }) => {
    let calls = 0
    const h = await payoutHarness(db, {
      wrapRail: (rail): PayoutRail => ({
        ...rail,
        async withdraw(req) {
          calls += 1
          if (calls === 1) {
            await rail.withdraw(req)
            throw lost()
          }
          throw new RailError(
            classifyRefusal(422, {
              errors: { 'cashback_transaction_detail.payout_method_params.bsb': 'is invalid' },
            }),
            422,
          )
        },
      }),
    })
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'no-double', bankAccount('00000033'))
    await h.drain()
    h.clock.advance(5_000)
    await h.drain()
    const payout = await payoutOf(db, uuid)
    expect(payout).toMatchObject({
      status: 'held',
      waiting_on: 'operator',
      failure_code: 'REFUSED_AFTER_LOST_ANSWER',
    })
    const claim = await call(h.app, 'GET', `/cashout/claims/${uuid}`, { key: p.key })
    expect(claim.body).toMatchObject({ status: 'submitted', payout: { waiting_on: 'operator' } })
    expect(claim.body.status_reason).toContain('checked by the operator')
    expect((await submit(h.app, p, uuid, PAYID)).body.code).toBe('claim_not_open')
    // The late callback for the first request is the rail's word: it settles the payout.
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

  test('a short merchant balance (HC_PAYOUT1) delays the payout, alerts the operator, never blames the customer, and pays once topped up', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    await h.control('POST', '/sandbox/balance', { balance_minor: 100 })
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'broke', BANK)
    for (let i = 0; i < 4; i++) {
      await h.drain()
      h.clock.advance(60_000)
    }
    const payout = await payoutOf(db, uuid)
    expect(payout).toMatchObject({
      status: 'pending',
      waiting_on: 'rail_funds',
      failure_code: null,
    })
    expect(payout.failure_reason).toContain('Insufficient funds')
    const claim = await call(h.app, 'GET', `/cashout/claims/${uuid}`, { key: p.key })
    expect(claim.body).toMatchObject({ status: 'submitted', payout: { waiting_on: 'rail_funds' } })
    expect(claim.body.status_reason).toMatch(/^Delayed: .*waiting for funds/)
    const alerts = h.logs.entries().filter((e) => e.alert === 'rail_funds')
    expect(alerts).toHaveLength(1)
    const attention = await call(h.app, 'GET', '/operator/payouts/attention', {
      key: OPERATOR_TOKEN,
    })
    expect(attention.body.payouts).toEqual([
      expect.objectContaining({ id: payout.id, waiting_on: 'rail_funds' }),
    ])
    expect(await eventTypes(db, uuid)).toEqual(['claim.created', 'claim.submitted'])

    await h.control('POST', '/sandbox/balance', { balance_minor: 100_000 })
    h.clock.advance(15 * 60_000)
    await h.drain()
    const settled = await h.waitForClaim(p, uuid, 'settled')
    expect(settled.status_reason).toBeNull()
    expect(await h.withdrawal(payout.id)).toMatchObject({ payouts_made: 1 })
  })

  test('a destination field the rail refuses reopens the claim naming it', async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'refused', bankAccount('00000040'))
    await h.drain()
    const claim = await h.waitForClaim(p, uuid, 'open')
    expect(claim.payout).toMatchObject({ status: 'failed', failure_code: 'DESTINATION_REFUSED' })
    expect(claim.status_reason).toBe(
      'The payment service did not accept the account number. Check the details, or use a different account.',
    )
    const payout = await payoutOf(db, uuid)
    expect(payout.failure_reason).toContain('not accepted by the receiving institution')
    expect(await h.withdrawal(payout.id)).toMatchObject({ payouts_made: 0 })
    await submit(h.app, p, uuid, PAYID)
    await h.drain()
    await h.waitForClaim(p, uuid, 'settled')
  })

  test('a destination refused after earlier calls the rail certainly never took still reopens the claim', async ({
    db,
  }) => {
    let calls = 0
    const h = await payoutHarness(db, {
      wrapRail: (rail): PayoutRail => ({
        ...rail,
        async withdraw(req) {
          calls += 1
          if (calls === 1) {
            throw new RailError(
              classifyRefusal(400, {
                errors: { code: 'HC_PAYOUT1', message: 'Insufficient funds' },
              }),
              400,
            )
          }
          return rail.withdraw(req)
        },
      }),
    })
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'short-then-refused', bankAccount('00000040'))
    await h.drain()
    expect(await payoutOf(db, uuid)).toMatchObject({ status: 'pending', rail_calls: 1 })
    h.clock.advance(60_000)
    await h.drain()
    const claim = await h.waitForClaim(p, uuid, 'open')
    expect(claim.payout).toMatchObject({ failure_code: 'DESTINATION_REFUSED' })
    expect((await payoutOf(db, uuid)).rail_calls).toBe(2)
  })

  test('a refusal no document defines is retried, then held for the operator, never blamed on the customer', async ({
    db,
  }) => {
    const h = await payoutHarness(db, {
      wrapRail: (rail): PayoutRail => ({
        ...rail,
        withdraw: async () => {
          throw new RailError(classifyRefusal(400, { errors: { code: 'SOMETHING_NEW' } }), 400)
        },
      }),
    })
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'odd', BANK)
    for (let i = 0; i < 4; i++) {
      await h.drain()
      expect(await payoutOf(db, uuid)).toMatchObject({
        status: 'pending',
        waiting_on: 'rail_retry',
      })
      h.clock.advance(60_000)
    }
    await h.drain()
    expect(await payoutOf(db, uuid)).toMatchObject({
      status: 'held',
      failure_code: 'SOMETHING_NEW',
      rail_calls: 5,
    })
    await h.drain()
    expect((await payoutOf(db, uuid)).rail_calls).toBe(5)
    expect(h.logs.entries().filter((e) => e.alert === 'held')).toHaveLength(1)
    const claim = await call(h.app, 'GET', `/cashout/claims/${uuid}`, { key: p.key })
    expect(claim.body.status).toBe('submitted')
    expect(await eventTypes(db, uuid)).toEqual(['claim.created', 'claim.submitted'])
  })

  test('refused credentials open a circuit: nothing is sent or failed, readiness says degraded, and a probe closes it', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    await h.control('POST', '/sandbox/credentials', { app_id: 'rotated', secret_key: 'rotated' })
    const a = await claimWith(h, p, 'creds-a', BANK)
    const b = await claimWith(h, p, 'creds-b', PAYID)
    await h.drain()
    expect((await payoutOf(db, a)).status).toBe('pending')
    expect((await payoutOf(db, b)).status).toBe('pending')
    expect(await payoutOf(db, b)).toMatchObject({ waiting_on: 'rail_credentials' })
    const alerts = h.logs.entries().filter((e) => e.alert === 'rail_credentials')
    expect(alerts).toHaveLength(1)
    const ready = await call(h.app, 'GET', '/readyz')
    expect(ready.status).toBe(200)
    expect(ready.body).toMatchObject({ status: 'degraded' })
    expect(ready.body.problems.join(' ')).toContain('test rail')
    const rotated = { 'app-id': 'rotated', 'secret-key': 'rotated' }
    const calls = async () =>
      (await (await fetch(`${h.sandboxOrigin}/sandbox/state`, { headers: rotated })).json()) as {
        requests: Record<string, number | undefined>
      }
    const sentBefore = (await calls()).requests[WITHDRAW] ?? 0
    expect(sentBefore).toBeLessThanOrEqual(2)
    h.clock.advance(10_000)
    await h.drain()
    expect((await calls()).requests[WITHDRAW]).toBe(sentBefore)

    // The probe after the pause is refused again: still open, nothing failed.
    h.clock.advance(30_001)
    await h.drain()
    expect((await calls()).requests[WITHDRAW]).toBe(sentBefore + 1)
    // Credentials fixed (at the rail here): the next probe gets through and closes it.
    await fetch(`${h.sandboxOrigin}/sandbox/credentials`, {
      method: 'POST',
      headers: { ...rotated, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        app_id: SANDBOX_HEADERS['app-id'],
        secret_key: SANDBOX_HEADERS['secret-key'],
      }),
    })
    h.clock.advance(60_001)
    await h.drain()
    await h.drain()
    await h.waitForClaim(p, a, 'settled')
    await h.waitForClaim(p, b, 'settled')
    expect((await call(h.app, 'GET', '/readyz')).body).toEqual({ status: 'ready' })
    expect((await payoutOf(db, a)).waiting_on).toBeNull()
    expect(await eventTypes(db, a)).toEqual(['claim.created', 'claim.submitted', 'claim.settled'])
  })

  test('an answer for another amount is held for the operator and never settles', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const uuid = await claimWith(h, p, 'skewed', bankAccount('00000044'))
    await h.drain()
    const payout = await payoutOf(db, uuid)
    expect(payout).toMatchObject({ status: 'held', failure_code: 'AMOUNT_MISMATCH' })
    expect(payout.withdrawal_id).toMatch(/^[A-Z0-9]{8}$/)
    await until(
      () => h.withdrawal(payout.id),
      (w) => w.status === 'settled',
    )
    // Its settled callback comes and goes: kept for the operator, not applied.
    await until(
      () => payoutOf(db, uuid),
      (row) => row.rail_status === 'settled',
    )
    expect((await payoutOf(db, uuid)).status).toBe('held')
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 0, reserved_minor: 500 })
  })
})

describe('callbacks', () => {
  test('a callback with another amount, withdrawal or currency is held and settles nothing; the operator decides', async ({
    db,
  }) => {
    const h = await payoutHarness(db, {
      wrapRail: (rail): PayoutRail => ({
        ...rail,
        withdraw: (req) => rail.withdraw({ ...req, callbackUrl: 'http://127.0.0.1:9/nowhere' }),
      }),
    })
    const p = await fundedProvider(h.app, 10_000)
    const uuids = [
      await claimWith(h, p, 'amount', BANK),
      await claimWith(h, p, 'withdrawal', BANK),
      await claimWith(h, p, 'currency', BANK),
    ]
    await h.drain()
    const payouts = await Promise.all(uuids.map((uuid) => payoutOf(db, uuid)))
    const wrong = [
      { amount: 5.01 },
      { withdrawal_id: 'SOMEONEELSE' },
      { cashback_transaction_detail: { currency: 'USD' } },
    ]
    for (const [i, payout] of payouts.entries()) {
      expect(payout.status).toBe('processing')
      const res = await postCallback(h, db, payout.id, {
        client_transaction_id: payout.id,
        status: 'settled',
        withdrawal_id: payout.withdrawal_id,
        amount: 5,
        ...wrong[i],
      })
      expect(res.status).toBe(200)
      expect(await payoutOf(db, uuids[i] ?? '')).toMatchObject({
        status: 'held',
        failure_code: 'CALLBACK_MISMATCH',
        rail_status: 'settled',
      })
    }
    // A correct callback after the wrong one does not release it: a person looks first.
    const first = payouts[0]
    if (!first) throw new Error('no payout')
    await postCallback(h, db, first.id, {
      status: 'settled',
      withdrawal_id: first.withdrawal_id,
      amount: 5,
    })
    expect((await payoutOf(db, uuids[0] ?? '')).status).toBe('held')
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 0, reserved_minor: 1500 })
    const resolved = await call(h.app, 'POST', `/operator/payouts/${first.id}/resolve`, {
      key: OPERATOR_TOKEN,
      body: { status: 'settled', reason: 'The portal shows 5.00 paid to this account' },
    })
    expect(resolved.status).toBe(200)
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 500, reserved_minor: 1000 })
  })

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
        ...rail,
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
        ...rail,
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
        ...rail,
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
