import { describe, expect } from 'vitest'
import type { Db } from '../../src/db/schema.ts'
import { type PayoutRail, RailError } from '../../src/payouts/rail/rail.ts'
import { runPayoutBatch } from '../../src/payouts/worker.ts'
import { OPERATOR_TOKEN } from '../support/app.ts'
import { balance, call, fundedProvider } from '../support/client.ts'
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

const BATCH = 'POST /api/v1/payouts'

interface SandboxLine {
  amount: string
  status: string
  payid: string | null
  bsb: string | null
  account_number: string | null
}

async function railRequests(h: PayoutHarness): Promise<number> {
  const state = await h.control('GET', '/sandbox/state')
  return state.requests[BATCH] ?? 0
}

async function sandboxBatches(h: PayoutHarness, externalId?: string) {
  const query = externalId ? `?external_id=${externalId}` : ''
  const found = await h.control('GET', `/sandbox/batches${query}`)
  return found.batches as {
    external_id: string
    status: string
    payout_transactions: SandboxLine[]
  }[]
}

const v1 = (db: Db) => payoutHarness(db, { api: 'payouts_v1' })

describe('v1 batches (HELLO_CLEVER_API=payouts_v1)', () => {
  test('many payouts go in one request, in exact major units, each line traced to its payout', async ({
    db,
  }) => {
    const h = await v1(db)
    const p = await fundedProvider(h.app, 1_000_000)
    const amounts = [1234, 5, 99_999, 100, 250]
    const uuids: string[] = []
    for (const [i, amount] of amounts.entries()) {
      uuids.push(await claimWith(h, p, `b${i}`, i % 2 ? PAYID : BANK, amount))
    }
    await h.drain()
    expect(await railRequests(h)).toBe(1)
    const payouts = await Promise.all(uuids.map((uuid) => payoutOf(db, uuid)))
    const batchId = payouts[0]?.batch_id ?? ''
    expect(new Set(payouts.map((x) => x.batch_id))).toEqual(new Set([batchId]))
    expect(payouts.map((x) => x.batch_line).sort()).toEqual([0, 1, 2, 3, 4])
    expect(payouts.every((x) => x.rail_api === 'payouts_v1' && x.rail_transaction_id)).toBe(true)
    const [batch] = await sandboxBatches(h, batchId)
    const lines = batch?.payout_transactions ?? []
    for (const payout of payouts) {
      const line = lines[payout.batch_line ?? -1]
      expect(line?.amount).toBe((Number(payout.amount_minor) / 100).toFixed(2))
    }
    expect(lines.map((l) => l.amount).sort()).toEqual(
      ['0.05', '1.00', '12.34', '2.50', '999.99'].sort(),
    )
    for (const uuid of uuids) await h.waitForClaim(p, uuid, 'settled')
    expect(await balance(h.app, p)).toMatchObject({
      paid_out_minor: amounts.reduce((a, b) => a + b, 0),
      reserved_minor: 0,
    })
    const row = await db
      .selectFrom('payout_batches')
      .selectAll()
      .where('id', '=', batchId)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ status: 'completed', payout_count: 5, total_minor: 101_588n })
    expect(row.rail_batch_uuid).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('a failing account reopens its claim while the rest settle; another account settles next batch', async ({
    db,
  }) => {
    const h = await v1(db)
    const p = await fundedProvider(h.app, 100_000)
    const bad = await claimWith(h, p, 'bad', bankAccount('00000014'))
    const good = await claimWith(h, p, 'good', BANK)
    const blocked = await claimWith(h, p, 'blocked', bankAccount('00000062'))
    await h.drain()
    await h.waitForClaim(p, good, 'settled')
    const reopened = await h.waitForClaim(p, bad, 'open')
    expect(reopened.payout).toMatchObject({ status: 'failed', failure_code: 'ACCOUNT_INVALID' })
    expect(reopened.status_reason).toContain('Check the details, or use a different account.')
    const failed = await h.waitForClaim(p, blocked, 'failed')
    expect(failed.payout).toMatchObject({ failure_code: 'PAYEE_BLOCKED' })
    await submit(h.app, p, bad, PAYID)
    await h.drain()
    await h.waitForClaim(p, bad, 'settled')
    expect(await railRequests(h)).toBe(2)
    expect(await eventTypes(db, bad)).toEqual([
      'claim.created',
      'claim.submitted',
      'claim.reopened',
      'claim.submitted',
      'claim.settled',
    ])
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 1000, reserved_minor: 0 })
  })

  test('duplicate, late and early callbacks settle each payout once', async ({ db }) => {
    const h = await v1(db)
    const p = await fundedProvider(h.app, 100_000)
    const uuids = [
      await claimWith(h, p, 'twice', bankAccount('00000022')),
      await claimWith(h, p, 'late', bankAccount('00000033')),
    ]
    await h.drain()
    const early = await claimWith(h, p, 'early', bankAccount('00000007'))
    await h.drain()
    for (const uuid of [...uuids, early]) await h.waitForClaim(p, uuid, 'settled')
    const batches = await sandboxBatches(h)
    expect(batches).toHaveLength(2)
    await until(
      async () => (await h.control('GET', '/sandbox/deliveries')).queued as number,
      (queued) => queued === 0,
    )
    for (const uuid of [...uuids, early]) {
      expect((await eventTypes(db, uuid)).filter((t) => t === 'claim.settled')).toHaveLength(1)
    }
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 1500, reserved_minor: 0 })
  })

  test('a batch whose answer is lost is held and never sent again; its own callback releases it', async ({
    db,
  }) => {
    let authorization = ''
    const h = await payoutHarness(db, {
      api: 'payouts_v1',
      wrapRail: (rail): PayoutRail => ({
        ...rail,
        async createBatch(req) {
          // Hello Clever takes the batch, its answer is lost, and its callbacks do not get through.
          authorization = req.callbackAuthorization
          await rail.createBatch({ ...req, callbackUrl: 'http://127.0.0.1:9/unreachable' })
          throw new RailError({ kind: 'unavailable', detail: 'no answer within 100 ms' })
        },
      }),
    })
    const p = await fundedProvider(h.app, 100_000)
    const one = await claimWith(h, p, 'one', BANK)
    const two = await claimWith(h, p, 'two', PAYID)
    await h.drain()
    const held = await payoutOf(db, one)
    expect(held).toMatchObject({ status: 'held', failure_code: 'BATCH_ANSWER_LOST' })
    const claim = await call(h.app, 'GET', `/cashout/claims/${two}`, { key: p.key })
    expect(claim.body).toMatchObject({ status: 'submitted', payout: { waiting_on: 'operator' } })
    h.clock.advance(3600_000)
    await h.drain()
    expect(await railRequests(h)).toBe(1)

    // The batch's callback, as Hello Clever retries it, reaches Cashout at last.
    const [batch] = await until(
      () => sandboxBatches(h, held.batch_id ?? ''),
      (found) => found[0]?.status === 'completed',
    )
    const res = await fetch(`${h.cashoutUrl}/rail/hello-clever/batches/${held.batch_id}`, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify(batch),
    })
    expect(res.status).toBe(200)
    await h.waitForClaim(p, one, 'settled')
    await h.waitForClaim(p, two, 'settled')
    expect(await railRequests(h)).toBe(1)
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 1000, reserved_minor: 0 })
  })

  test('a sender that dies mid-batch leaves its payouts held, found by their lease, never sent again; its answer releases them', async ({
    db,
  }) => {
    let release: (() => void) | undefined
    const h = await payoutHarness(db, {
      api: 'payouts_v1',
      wrapRail: (rail): PayoutRail => ({
        ...rail,
        async createBatch(req) {
          const report = await rail.createBatch({ ...req, callbackUrl: 'http://127.0.0.1:9/x' })
          await new Promise<void>((resolve) => {
            release = resolve
          })
          return report
        },
      }),
    })
    const p = await fundedProvider(h.app, 100_000)
    const uuid = await claimWith(h, p, 'dies', BANK)
    const doomed = runPayoutBatch({ deps: h.deps, workerId: 'doomed' })
    await until(
      () => release,
      (r) => r !== undefined,
    )
    expect(await h.drain('survivor')).toBe(0)
    h.clock.advance(2000 + 30_000 + 1)
    await h.drain('survivor')
    const held = await payoutOf(db, uuid)
    expect(held).toMatchObject({ status: 'held', failure_code: 'BATCH_ANSWER_LOST' })
    expect(held.failure_reason).toContain(`Batch ${held.batch_id} was being sent`)
    const batch = await db
      .selectFrom('payout_batches')
      .select('status')
      .where('id', '=', held.batch_id ?? '')
      .executeTakeFirstOrThrow()
    expect(batch.status).toBe('unknown')
    // The sender's late answer is still the rail's word that the batch exists: the payout is
    // the rail's again, waiting for its callback; nothing was sent twice.
    release?.()
    await doomed
    expect(await payoutOf(db, uuid)).toMatchObject({ status: 'processing', waiting_on: null })
    expect(await railRequests(h)).toBe(1)
  })

  test('a slow answer still ends with each payout paid once', async ({ db }) => {
    const h = await payoutHarness(db, { api: 'payouts_v1', timeScale: 0.2, railTimeoutMs: 100 })
    const p = await fundedProvider(h.app, 100_000)
    const slow = await claimWith(h, p, 'slow', bankAccount('00000091'))
    const other = await claimWith(h, p, 'other', PAYID)
    await h.drain()
    h.clock.advance(3600_000)
    await h.drain()
    await h.waitForClaim(p, slow, 'settled')
    await h.waitForClaim(p, other, 'settled')
    expect(await railRequests(h)).toBe(1)
    expect((await sandboxBatches(h))[0]?.payout_transactions.map((l) => l.status)).toEqual([
      'settled',
      'settled',
    ])
  })

  test('a batch the rail never took (503) is held; the operator finds nothing in the portal, resends, and it pays once', async ({
    db,
  }) => {
    const h = await v1(db)
    const p = await fundedProvider(h.app, 100_000)
    const uuid = await claimWith(h, p, 'flaky', {
      type: 'payid',
      payid_type: 'email',
      payid: 'flaky@sandbox.test',
    })
    await h.drain()
    const held = await payoutOf(db, uuid)
    expect(held).toMatchObject({ status: 'held', failure_code: 'BATCH_ANSWER_LOST' })
    const listed = await call(h.app, 'GET', '/operator/payouts/attention', { key: OPERATOR_TOKEN })
    const entry = listed.body.payouts.find((x: { id: string }) => x.id === held.id)
    expect(entry.look_up).toMatchObject({
      api: 'payouts_v1',
      batch_external_id: held.batch_id,
      batch_line: 0,
      client_transaction_id: null,
    })
    expect(await sandboxBatches(h, entry.look_up.batch_external_id)).toEqual([])
    const resolved = await call(h.app, 'POST', `/operator/payouts/${held.id}/resolve`, {
      key: OPERATOR_TOKEN,
      body: { status: 'resend', reason: 'No batch with this external_id in the portal' },
    })
    expect(resolved.status).toBe(200)
    expect(resolved.body).toMatchObject({ status: 'pending', attempt: 2 })
    await h.drain()
    await h.waitForClaim(p, uuid, 'settled')
    expect(await railRequests(h)).toBe(2)
    expect(await sandboxBatches(h)).toHaveLength(1)
    expect((await payoutOf(db, uuid)).attempt).toBe(2)
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 500, reserved_minor: 0 })
    expect(await eventTypes(db, uuid)).toEqual([
      'claim.created',
      'claim.submitted',
      'claim.settled',
    ])
  })

  test('the merchant balance running out mid-way waits for a top-up: nothing fails, everything settles once', async ({
    db,
  }) => {
    const h = await v1(db)
    await h.control('POST', '/sandbox/balance', { balance_minor: 1500 })
    const p = await fundedProvider(h.app, 100_000)
    const first = [
      await claimWith(h, p, 'a1', BANK),
      await claimWith(h, p, 'a2', PAYID),
      await claimWith(h, p, 'a3', BANK),
    ]
    await h.drain()
    for (const uuid of first) await h.waitForClaim(p, uuid, 'settled')
    const second = [await claimWith(h, p, 'b1', BANK), await claimWith(h, p, 'b2', PAYID)]
    await h.drain()
    await until(
      () => payoutOf(db, second[0] ?? ''),
      (row) => row.waiting_on === 'rail_funds',
    )
    const delayed = await call(h.app, 'GET', `/cashout/claims/${second[1]}`, { key: p.key })
    expect(delayed.body).toMatchObject({
      status: 'processing',
      payout: { waiting_on: 'rail_funds' },
    })
    expect(delayed.body.status_reason).toMatch(/^Delayed: .*HC_PAYOUT1/)
    await h.drain()
    // Each waiting payout is announced once, however many lines it takes.
    const alerted = h.logs.entries().filter((e) => e.alert === 'rail_funds')
    expect(alerted.reduce((sum, e) => sum + Number(e.count), 0)).toBe(2)

    await h.control('POST', '/sandbox/balance', { balance_minor: 10_000 })
    for (const uuid of second) {
      const settled = await h.waitForClaim(p, uuid, 'settled')
      expect(settled.status_reason).toBeNull()
      expect(await eventTypes(db, uuid)).toEqual([
        'claim.created',
        'claim.submitted',
        'claim.settled',
      ])
    }
    expect(await railRequests(h)).toBe(2)
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 2500, reserved_minor: 0 })
    const failed = await db
      .selectFrom('payouts')
      .select('id')
      .where('status', '=', 'failed')
      .execute()
    expect(failed).toEqual([])
  })

  test('a field the rail refuses reopens that claim naming it; the rest go again in the next batch', async ({
    db,
  }) => {
    const h = await v1(db)
    const p = await fundedProvider(h.app, 100_000)
    const fine = await claimWith(h, p, 'fine', BANK)
    const refused = await claimWith(h, p, 'refused', bankAccount('00000040'))
    await h.drain()
    const reopened = await h.waitForClaim(p, refused, 'open')
    expect(reopened.status_reason).toBe(
      'The payment service did not accept the account number. Check the details, or use a different account.',
    )
    expect(reopened.payout).toMatchObject({ failure_code: 'DESTINATION_REFUSED' })
    await h.waitForClaim(p, fine, 'settled')
    expect(await railRequests(h)).toBe(2)
    expect(await sandboxBatches(h)).toHaveLength(1)
  })

  test('a report with another amount holds the whole batch, and its callbacks settle nothing', async ({
    db,
  }) => {
    const h = await v1(db)
    const p = await fundedProvider(h.app, 100_000)
    const skewed = await claimWith(h, p, 'skewed', bankAccount('00000044'))
    const plain = await claimWith(h, p, 'plain', PAYID)
    await h.drain()
    for (const uuid of [skewed, plain]) {
      expect(await payoutOf(db, uuid)).toMatchObject({
        status: 'held',
        failure_code: 'BATCH_MISMATCH',
      })
    }
    await until(
      async () => (await sandboxBatches(h))[0]?.status,
      (status) => status === 'completed',
    )
    await until(
      async () => (await h.control('GET', '/sandbox/deliveries')).queued as number,
      (queued) => queued === 0,
    )
    for (const uuid of [skewed, plain]) {
      expect((await payoutOf(db, uuid)).status).toBe('held')
      const claim = await call(h.app, 'GET', `/cashout/claims/${uuid}`, { key: p.key })
      expect(claim.body).toMatchObject({ status: 'submitted', payout: { waiting_on: 'operator' } })
    }
    expect(await balance(h.app, p)).toMatchObject({ paid_out_minor: 0, reserved_minor: 1000 })
    await h.drain()
    expect(h.logs.entries().filter((e) => e.alert === 'held')).toEqual([
      expect.objectContaining({ count: 2 }),
    ])
  })

  test('refused credentials open the circuit for batches too, and nothing fails', async ({
    db,
  }) => {
    const h = await v1(db)
    const p = await fundedProvider(h.app, 100_000)
    await h.control('POST', '/sandbox/credentials', { app_id: 'rotated', secret_key: 'rotated' })
    const uuid = await claimWith(h, p, 'creds', BANK)
    await h.drain()
    expect(await payoutOf(db, uuid)).toMatchObject({
      status: 'pending',
      waiting_on: 'rail_credentials',
    })
    const batches = await db.selectFrom('payout_batches').select(['status', 'error_code']).execute()
    expect(batches).toEqual([{ status: 'refused', error_code: 'REQUIRE_LOGIN' }])
    expect((await call(h.app, 'GET', '/readyz')).body.status).toBe('degraded')
  })

  test('switching the API never sends a payout through another API than its first call', async ({
    db,
  }) => {
    let calls = 0
    const h = await payoutHarness(db, {
      wrapRail: (rail): PayoutRail => ({
        ...rail,
        async withdraw(req) {
          calls += 1
          const accepted = await rail.withdraw({ ...req, callbackUrl: 'http://127.0.0.1:9/x' })
          if (calls === 1) throw new RailError({ kind: 'unavailable', detail: 'answer lost' })
          return accepted
        },
      }),
    })
    const p = await fundedProvider(h.app, 100_000)
    const uuid = await claimWith(h, p, 'switch', BANK)
    await h.drain()
    expect(await payoutOf(db, uuid)).toMatchObject({ status: 'unknown', rail_api: 'withdraw' })
    h.deps.config.helloCleverApi = 'payouts_v1'
    h.clock.advance(3600_000)
    await h.drain()
    const payout = await payoutOf(db, uuid)
    expect(payout).toMatchObject({ status: 'processing', rail_api: 'withdraw', batch_id: null })
    expect(await railRequests(h)).toBe(0)
    expect(await h.withdrawal(payout.id)).toMatchObject({ payouts_made: 1, requests: 2 })
  })
})
