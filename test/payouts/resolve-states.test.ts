import { describe, expect } from 'vitest'
import type { Db, PayoutStatus } from '../../src/db/schema.ts'
import { OPERATOR_TOKEN } from '../support/app.ts'
import { balance, call, expectError, fundedProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { BANK, claimWith, eventTypes, payoutOf } from '../support/payouts.ts'

const operator = { key: OPERATOR_TOKEN }

/** Everything a resolution could change: the claim's payouts, the claim, its events, the audit. */
async function everything(db: Db, claimId: string) {
  const payouts = await db
    .selectFrom('payouts')
    .selectAll()
    .where('claim_id', '=', claimId)
    .orderBy('attempt')
    .execute()
  const claim = await db
    .selectFrom('claims')
    .selectAll()
    .where('id', '=', claimId)
    .executeTakeFirstOrThrow()
  const transfers = await db
    .selectFrom('ledger_transfers')
    .select(['kind', 'amount_minor'])
    .where('claim_id', '=', claimId)
    .orderBy('kind')
    .execute()
  const audit = await db
    .selectFrom('audit_log')
    .select('action')
    .where('action', '=', 'payout.resolved')
    .execute()
  return { payouts, claim, transfers, events: await eventTypes(db, claimId), audit }
}

/** Puts a claim's payout where the rail's news (or its lack) would have left it. */
async function moveTo(db: Db, payoutId: string, status: PayoutStatus) {
  await db
    .updateTable('payouts')
    .set({ status, rail_calls: 1, rail_api: 'withdraw', withdrawal_id: `W-${status}` })
    .where('id', '=', payoutId)
    .execute()
}

describe('what the operator may resolve', () => {
  test('a payout never sent (pending) is refused with 409, and nothing changes', async ({
    db,
    harness,
  }) => {
    const p = await fundedProvider(harness.app, 10_000)
    const uuid = await claimWith(harness, p, 'not-yet', BANK)
    const payout = await payoutOf(db, uuid)
    expect(payout.status).toBe('pending')
    const before = await everything(db, uuid)
    const money = await balance(harness.app, p)

    for (const body of [
      { status: 'settled', reason: 'The portal shows it paid' },
      { status: 'failed', reason: 'The portal shows it failed' },
      { status: 'failed', reason: 'The portal shows it failed', final: true },
      { status: 'resend', reason: 'The portal has no such withdrawal' },
    ]) {
      const reply = await call(harness.app, 'POST', `/operator/payouts/${payout.id}/resolve`, {
        ...operator,
        body,
      })
      expectError(reply, 409, 'payout_not_sent')
      expect(reply.body.message).toMatch(/has not been sent/)
    }

    expect(await everything(db, uuid)).toEqual(before)
    expect(await balance(harness.app, p)).toEqual(money)
  })

  test('a pending payout waiting for the rail’s funds is listed, but not as one to resolve', async ({
    db,
    harness,
  }) => {
    const p = await fundedProvider(harness.app, 10_000)
    const uuid = await claimWith(harness, p, 'short', BANK)
    const payout = await payoutOf(db, uuid)
    await db
      .updateTable('payouts')
      .set({ waiting_on: 'rail_funds', rail_calls: 1 })
      .where('id', '=', payout.id)
      .execute()
    const listed = await call(harness.app, 'GET', '/operator/payouts/attention', operator)
    expect(listed.body.payouts).toEqual([
      expect.objectContaining({ id: payout.id, status: 'pending', resolvable: false }),
    ])
  })

  test.for(['sent', 'processing', 'unknown', 'held'] as const)(
    'a %s payout is listed as resolvable and resolves as before',
    async (status, { db, harness }) => {
      const p = await fundedProvider(harness.app, 10_000)
      const uuid = await claimWith(harness, p, `in-${status}`, BANK)
      const payout = await payoutOf(db, uuid)
      await moveTo(db, payout.id, status)
      if (status === 'held') {
        const listed = await call(harness.app, 'GET', '/operator/payouts/attention', operator)
        expect(listed.body.payouts).toEqual([
          expect.objectContaining({ id: payout.id, resolvable: true }),
        ])
      }
      const resolved = await call(harness.app, 'POST', `/operator/payouts/${payout.id}/resolve`, {
        ...operator,
        body: { status: 'settled', reason: 'The portal shows it paid' },
      })
      expect(resolved.status).toBe(200)
      expect(resolved.body).toMatchObject({ id: payout.id, status: 'settled', resolvable: false })
      expect(
        (await call(harness.app, 'GET', `/cashout/claims/${uuid}`, { key: p.key })).body,
      ).toMatchObject({ status: 'settled' })
      expect(await balance(harness.app, p)).toMatchObject({
        paid_out_minor: 500,
        reserved_minor: 0,
      })
      expect((await everything(db, uuid)).audit).toHaveLength(1)
    },
  )

  test('an unknown payout the rail never received is sent again under a new id', async ({
    db,
    harness,
  }) => {
    const p = await fundedProvider(harness.app, 10_000)
    const uuid = await claimWith(harness, p, 'lost', BANK)
    const first = await payoutOf(db, uuid)
    await moveTo(db, first.id, 'unknown')
    const resolved = await call(harness.app, 'POST', `/operator/payouts/${first.id}/resolve`, {
      ...operator,
      body: { status: 'resend', reason: 'The portal has no such withdrawal' },
    })
    expect(resolved.status).toBe(200)
    expect(resolved.body).toMatchObject({ status: 'pending', attempt: 2 })
    expect(resolved.body.id).not.toBe(first.id)
    // The new payout has not been sent: it is Cashout's to send, not the operator's to resolve.
    const again = await call(harness.app, 'POST', `/operator/payouts/${resolved.body.id}/resolve`, {
      ...operator,
      body: { status: 'settled', reason: 'The portal shows it paid' },
    })
    expectError(again, 409, 'payout_not_sent')
    expect(await balance(harness.app, p)).toMatchObject({ paid_out_minor: 0, reserved_minor: 500 })
  })
})
