import { describe, expect } from 'vitest'
import { balance, call, expectError, fundedProvider, generate } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { BANK, bankAccount, eventTypes, PAYID, payoutHarness, submit } from '../support/payouts.ts'

describe('the payout pipeline', () => {
  test('a bank payout settles: reserved moves to paid out and fees, events in order', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    await call(h.app, 'PUT', '/cashout/rules', {
      key: p.key,
      body: {
        rate: { points: 1, cash_minor: 1 },
        fee: { fixed_minor: 25, bps: 0, payer: 'provider' },
      },
    })
    const claim = (await generate(h.app, p, { amount: 2000, id: 'bank-1' })).body
    const submitted = await submit(h.app, p, claim.uuid, BANK)
    expect(submitted.status).toBe(200)
    expect(submitted.body).toMatchObject({
      status: 'submitted',
      payout: {
        attempt: 1,
        status: 'pending',
        destination: {
          type: 'bank',
          bsb: '062-000',
          account_number: '••••5678',
          account_name: 'Jane Citizen',
        },
      },
    })
    expect(await h.drain()).toBe(1)
    const settled = await h.waitForClaim(p, claim.uuid, 'settled')
    expect(settled.payout).toMatchObject({ status: 'settled' })
    expect(await balance(h.app, p)).toMatchObject({
      available_minor: 7975,
      reserved_minor: 0,
      paid_out_minor: 2000,
      fees_minor: 25,
    })
    expect(await eventTypes(db, claim.uuid)).toEqual([
      'claim.created',
      'claim.submitted',
      'claim.settled',
    ])
    const payout = await db
      .selectFrom('payouts')
      .selectAll()
      .where('claim_id', '=', claim.uuid)
      .executeTakeFirstOrThrow()
    expect(await h.withdrawal(payout.id)).toMatchObject({
      payouts_made: 1,
      requests: 1,
      status: 'settled',
      amount_minor: 2000,
    })
    expect(payout.withdrawal_id).toMatch(/^[A-Z0-9]{8}$/)
  })

  test('a PayID payout settles with the normalised PayID sent to the rail', async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const claim = (await generate(h.app, p, { amount: 300, id: 'payid-1' })).body
    const submitted = await submit(h.app, p, claim.uuid, PAYID)
    expect(submitted.body.payout.destination).toEqual({
      type: 'payid',
      payid_type: 'email',
      payid: 'j•••@example.com',
    })
    await h.drain()
    await h.waitForClaim(p, claim.uuid, 'settled')
  })

  test('a fixable failure reopens the claim with a reason; another account then settles', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const claim = (await generate(h.app, p, { amount: 1500, id: 'retry-1' })).body
    await submit(h.app, p, claim.uuid, bankAccount('00000014'))
    await h.drain()
    const reopened = await h.waitForClaim(p, claim.uuid, 'open')
    expect(reopened.status_reason).toContain('use a different account')
    expect(reopened.payout).toMatchObject({
      attempt: 1,
      status: 'failed',
      failure_code: 'ACCOUNT_INVALID',
    })
    expect(await balance(h.app, p)).toMatchObject({ available_minor: 8500, reserved_minor: 1500 })

    await submit(h.app, p, claim.uuid, PAYID)
    await h.drain()
    const settled = await h.waitForClaim(p, claim.uuid, 'settled')
    expect(settled.payout).toMatchObject({ attempt: 2, status: 'settled' })
    expect(await balance(h.app, p)).toMatchObject({
      available_minor: 8500,
      reserved_minor: 0,
      paid_out_minor: 1500,
    })
    expect(await eventTypes(db, claim.uuid)).toEqual([
      'claim.created',
      'claim.submitted',
      'claim.reopened',
      'claim.submitted',
      'claim.settled',
    ])
  })

  test('a permanent failure fails the claim and releases the funds', async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const claim = (await generate(h.app, p, { amount: 4000, id: 'blocked' })).body
    await submit(h.app, p, claim.uuid, bankAccount('00000062'))
    await h.drain()
    const failed = await h.waitForClaim(p, claim.uuid, 'failed')
    expect(failed.status_reason).toContain('cannot receive payments')
    expect(await balance(h.app, p)).toMatchObject({
      available_minor: 10_000,
      reserved_minor: 0,
      paid_out_minor: 0,
    })
    expect(await eventTypes(db, claim.uuid)).toEqual([
      'claim.created',
      'claim.submitted',
      'claim.failed',
    ])
  })

  test('after the last allowed attempt a fixable failure is final', async ({ db }) => {
    const h = await payoutHarness(db, { env: { PAYOUT_ATTEMPTS: '2' } })
    const p = await fundedProvider(h.app, 10_000)
    const claim = (await generate(h.app, p, { amount: 100, id: 'twice' })).body
    await submit(h.app, p, claim.uuid, bankAccount('00000014'))
    await h.drain()
    await h.waitForClaim(p, claim.uuid, 'open')
    await submit(h.app, p, claim.uuid, {
      type: 'payid',
      payid_type: 'email',
      payid: 'fail@sandbox.test',
    })
    await h.drain()
    await h.waitForClaim(p, claim.uuid, 'failed')
    expect(await balance(h.app, p)).toMatchObject({ available_minor: 10_000, reserved_minor: 0 })
  })

  test('a reopened claim gives the customer at least a day, even past its expiry', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app)
    const claim = (await generate(h.app, p, { amount: 100, id: 'grace', expires_in: 300 })).body
    await submit(h.app, p, claim.uuid, bankAccount('00000014'))
    await h.drain()
    const reopened = await h.waitForClaim(p, claim.uuid, 'open')
    expect(new Date(reopened.expires_at).getTime()).toBe(h.clock.now().getTime() + 24 * 3600_000)
  })
})

describe('submitting', () => {
  test('bad destinations get a 422 per field and leave the claim open', async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app)
    const claim = (await generate(h.app, p, { amount: 100, id: 'bad' })).body
    const reply = await submit(h.app, p, claim.uuid, {
      type: 'bank',
      account_name: 'A-B',
      bsb: '12',
      account_number: 'x',
    })
    expectError(reply, 422, 'validation_failed')
    expect(reply.body.details.map((d: { field: string }) => d.field)).toEqual([
      'account_name',
      'bsb',
      'account_number',
    ])
    expect(
      (await call(h.app, 'GET', `/cashout/claims/${claim.uuid}`, { key: p.key })).body,
    ).toMatchObject({ status: 'open', payout: null })
  })

  test('only an open claim can be submitted, and only by its provider', async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app)
    const other = await fundedProvider(h.app)
    const claim = (await generate(h.app, p, { amount: 100, id: 'once' })).body
    expectError(await submit(h.app, other, claim.uuid, BANK), 404, 'not_found')
    expect((await submit(h.app, p, claim.uuid, BANK)).status).toBe(200)
    const again = await submit(h.app, p, claim.uuid, PAYID)
    expectError(again, 409, 'claim_not_open')
    expect(again.body.message).toContain('submitted')
    const cancelled = (await generate(h.app, p, { amount: 100, id: 'gone' })).body
    await call(h.app, 'POST', `/cashout/claims/${cancelled.uuid}/cancel`, { key: p.key })
    expectError(await submit(h.app, p, cancelled.uuid, BANK), 409, 'claim_not_open')
  })

  test('an expired claim is refused and expired on the spot', async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 1000)
    const claim = (await generate(h.app, p, { amount: 100, id: 'late', expires_in: 300 })).body
    h.clock.advance(300_000)
    const reply = await submit(h.app, p, claim.uuid, BANK)
    expectError(reply, 409, 'claim_not_open')
    expect(reply.body.message).toContain('expired')
    expect(await balance(h.app, p)).toMatchObject({ available_minor: 1000 })
  })

  test('50 concurrent submits of one claim make one payout', async ({ db }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app)
    const claim = (await generate(h.app, p, { amount: 100, id: 'race' })).body
    const replies = await Promise.all(
      Array.from({ length: 50 }, () => submit(h.app, p, claim.uuid, BANK)),
    )
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1)
    expect(replies.filter((r) => r.body.code === 'claim_not_open')).toHaveLength(49)
    expect(
      await db.selectFrom('payouts').select('id').where('claim_id', '=', claim.uuid).execute(),
    ).toHaveLength(1)
    await h.drain()
    await h.waitForClaim(p, claim.uuid, 'settled')
  })
})
