import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../src/sandbox/app.ts'
import { type Receiver, startReceiver, until } from '../support/receiver.ts'
import { sandboxCall, testSandbox, withdrawal } from '../support/sandbox.ts'

const PATH = '/api/v2/cashbacks/withdraw'
const open: (Sandbox | Receiver)[] = []

afterEach(async () => {
  for (const item of open.splice(0)) {
    if ('runtime' in item) await item.stop()
    else await item.close()
  }
})

async function setup(options: Parameters<typeof testSandbox>[0] = {}) {
  const sandbox = testSandbox(options)
  const receiver = await startReceiver()
  open.push(sandbox, receiver)
  return { sandbox, receiver }
}

describe('POST /v2/cashbacks/withdraw', () => {
  it('needs app-id and secret-key, answering 401 REQUIRE_LOGIN otherwise', async () => {
    const { sandbox } = await setup()
    for (const headers of [
      {},
      { 'app-id': 'test-app', 'secret-key': 'wrong' },
      { 'app-id': 'x', 'secret-key': 'test-secret' },
    ]) {
      const reply = await sandboxCall(
        sandbox,
        'POST',
        PATH,
        withdrawal(),
        headers as Record<string, string>,
      )
      expect(reply).toEqual({
        status: 401,
        body: { errors: { code: 'REQUIRE_LOGIN', message: 'Not Authorised' } },
      })
    }
  })

  it('takes minor units in and answers in major units, shaped as the seed shows', async () => {
    const { sandbox } = await setup()
    const body = withdrawal()
    const reply = await sandboxCall(sandbox, 'POST', PATH, body)
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({
      transaction_type: 'money_out',
      withdrawal_id: expect.stringMatching(/^[A-Z0-9]{8}$/),
      client_transaction_id: body.client_transaction_id,
      merchant_name: expect.any(String),
      site_name: 'Cashback',
      customer_id: 'customer-1',
      amount: 12.34,
      withdrawal_method: 'au_bank_npp_aud',
      status: 'processing',
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
      payout_method_params: { bsb: '572505', account_number: '76273288' },
      webhook_notification: {
        endpoint_url: body.webhook_notification.endpoint_url,
        authorization_header: 'Bearer token-1',
      },
    })
  })

  it.each([
    ['no user_id', { user_id: undefined }, 'user_id'],
    ['no client_transaction_id', { client_transaction_id: '' }, 'client_transaction_id'],
    ['no detail', { cashback_transaction_detail: undefined }, 'cashback_transaction_detail'],
    ['no webhook', { webhook_notification: undefined }, 'webhook_notification'],
  ])('refuses %s with 400 and the field', async (_name, override, field) => {
    const { sandbox } = await setup()
    const reply = await sandboxCall(sandbox, 'POST', PATH, withdrawal(override))
    expect(reply.status).toBe(400)
    expect(Object.keys(reply.body.errors)).toContain(field)
  })

  it.each([
    ['a fractional amount', { amount: 12.5 }, 'cashback_transaction_detail.amount'],
    ['a zero amount', { amount: 0 }, 'cashback_transaction_detail.amount'],
    ['an amount as a string', { amount: '1000' }, 'cashback_transaction_detail.amount'],
    ['an unknown currency code', { currency: 'usd' }, 'cashback_transaction_detail.currency'],
    ['an unsupported currency', { currency: 'NZD' }, 'cashback_transaction_detail.currency'],
    [
      'a 4-character description',
      { payment_description: 'Cash' },
      'cashback_transaction_detail.payment_description',
    ],
    [
      'a 141-character description',
      { payment_description: 'x'.repeat(141) },
      'cashback_transaction_detail.payment_description',
    ],
    [
      'an unknown method',
      { payout_method_name: 'au_card' },
      'cashback_transaction_detail.payout_method_name',
    ],
  ])('refuses %s', async (_name, detailOverride, field) => {
    const { sandbox } = await setup()
    const body = withdrawal()
    Object.assign(body.cashback_transaction_detail, detailOverride)
    const reply = await sandboxCall(sandbox, 'POST', PATH, body)
    expect(reply.status).toBe(400)
    expect(Object.keys(reply.body.errors)).toContain(field)
  })

  const P = 'cashback_transaction_detail.payout_method_params'
  it.each([
    ['a PayID and a BSB together', { payid: 'a@b.co', payid_type: 'email', bsb: '062000' }, P],
    ['a 5-digit BSB', { bsb: '06200', account_number: '12345678' }, `${P}.bsb`],
    ['a dashed BSB', { bsb: '062-000', account_number: '12345678' }, `${P}.bsb`],
    ['a 3-digit account', { bsb: '062000', account_number: '123' }, `${P}.account_number`],
    [
      'an account name with a hyphen',
      { bsb: '062000', account_number: '1234', account_name: 'Mary-Jane' },
      `${P}.account_name`,
    ],
    ['an upper-case email PayID', { payid: 'Jane@Example.com', payid_type: 'email' }, `${P}.payid`],
    ['a mobile without +61-', { payid: '0412345678', payid_type: 'mobile' }, `${P}.payid`],
    ['a bad ABN', { payid: '12345678901', payid_type: 'abn' }, `${P}.payid`],
    ['an unknown PayID type', { payid: 'x', payid_type: 'fax' }, `${P}.payid_type`],
  ])('refuses %s', async (_name, params, field) => {
    const { sandbox } = await setup()
    const reply = await sandboxCall(sandbox, 'POST', PATH, withdrawal({}, params))
    expect(reply.status).toBe(400)
    expect(Object.keys(reply.body.errors)).toContain(field)
  })

  it.each([
    [{ payid: 'jane@example.com', payid_type: 'email' }],
    [{ payid: 'jane@example.com', payid_type: 'EMAIL' }],
    [{ payid: '+61-412345678', payid_type: 'mobile' }],
    [{ payid: '51824753556', payid_type: 'abn' }],
    [{ bsb: '062000', account_number: '1234', account_name: "Mary O'Brien" }],
  ])('accepts %j', async (params) => {
    const { sandbox } = await setup()
    expect((await sandboxCall(sandbox, 'POST', PATH, withdrawal({}, params))).status).toBe(200)
  })

  it('answers a repeated request with the original response and never pays twice', async () => {
    const { sandbox } = await setup()
    const body = withdrawal()
    const first = await sandboxCall(sandbox, 'POST', PATH, body)
    const { webhook_notification, ...rest } = body
    const reordered = { webhook_notification, ...rest }
    const again = await sandboxCall(sandbox, 'POST', PATH, reordered)
    expect(again).toEqual(first)
    const changed = await sandboxCall(sandbox, 'POST', PATH, {
      ...body,
      cashback_transaction_detail: { ...body.cashback_transaction_detail, amount: 999 },
    })
    expect(changed.status).toBe(400)
    expect(changed.body.errors.code).toBe('DUPLICATE_TRANSACTION')
    const report = await sandboxCall(
      sandbox,
      'GET',
      `/sandbox/withdrawals/${body.client_transaction_id}`,
    )
    expect(report.body).toMatchObject({ payouts_made: 1, requests: 3 })
    expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body.balance_minor).toBe(
      1_000_000_000 - 1234,
    )
  })

  it('refuses a withdrawal larger than the merchant balance', async () => {
    const { sandbox } = await setup({ balanceMinor: 1000 })
    const reply = await sandboxCall(sandbox, 'POST', PATH, withdrawal())
    expect(reply).toEqual({
      status: 400,
      body: { errors: { code: 'INSUFFICIENT_BALANCE', message: expect.any(String) } },
    })
    expect(
      (await sandboxCall(sandbox, 'POST', '/sandbox/balance', { balance_minor: 5000 })).status,
    ).toBe(200)
    expect((await sandboxCall(sandbox, 'POST', PATH, withdrawal())).status).toBe(200)
  })

  it('calls back with the Authorization it was given, and settles', async () => {
    const { sandbox, receiver } = await setup()
    const body = withdrawal({}, undefined, receiver.url)
    await sandboxCall(sandbox, 'POST', PATH, body)
    const [callback] = await until(
      () => receiver.received,
      (r) => r.length >= 1,
    )
    expect(callback?.headers.authorization).toBe('Bearer token-1')
    expect(callback?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(callback?.body ?? '')).toMatchObject({
      client_transaction_id: body.client_transaction_id,
      status: 'settled',
      amount: 12.34,
      webhook_notification: { authorization_header: 'Bearer token-1' },
    })
  })

  it('retries a callback that does not get a 200 three times, 15 (scaled) minutes apart', async () => {
    const { sandbox, receiver } = await setup()
    receiver.respond = () => 500
    await sandboxCall(sandbox, 'POST', PATH, withdrawal({}, undefined, receiver.url))
    const attempts = await until(
      () => receiver.received,
      (r) => r.length >= 4,
      8000,
    )
    await new Promise((r) => setTimeout(r, 1200))
    expect(receiver.received).toHaveLength(4)
    const gaps = attempts.slice(1).map((a, i) => a.at - (attempts[i]?.at ?? 0))
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(850)
    expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body.queued_callbacks).toBe(0)
  })

  it('stops retrying once it gets a 200', async () => {
    const { sandbox, receiver } = await setup()
    receiver.respond = () => (receiver.received.length < 2 ? 503 : 200)
    await sandboxCall(sandbox, 'POST', PATH, withdrawal({}, undefined, receiver.url))
    await until(
      () => receiver.received,
      (r) => r.length >= 2,
      5000,
    )
    await new Promise((r) => setTimeout(r, 1500))
    expect(receiver.received).toHaveLength(2)
  })
})

describe('magic inputs', () => {
  it('00000014 fails (fixable) and returns the money to the balance', async () => {
    const { sandbox, receiver } = await setup()
    await sandboxCall(
      sandbox,
      'POST',
      '/api/v2/cashbacks/withdraw',
      withdrawal({}, { bsb: '062000', account_number: '00000014' }, receiver.url),
    )
    const [callback] = await until(
      () => receiver.received,
      (r) => r.length >= 1,
    )
    expect(JSON.parse(callback?.body ?? '')).toMatchObject({
      status: 'failed',
      error_code: 'ACCOUNT_INVALID',
    })
    expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body.balance_minor).toBe(
      1_000_000_000,
    )
  })

  it('blocked@ fails permanently', async () => {
    const { sandbox, receiver } = await setup()
    await sandboxCall(
      sandbox,
      'POST',
      PATH,
      withdrawal({}, { payid: 'blocked@sandbox.test', payid_type: 'email' }, receiver.url),
    )
    const [callback] = await until(
      () => receiver.received,
      (r) => r.length >= 1,
    )
    expect(JSON.parse(callback?.body ?? '')).toMatchObject({
      status: 'failed',
      error_code: 'PAYEE_BLOCKED',
    })
  })

  it('00000022 sends the same callback twice', async () => {
    const { sandbox, receiver } = await setup()
    await sandboxCall(
      sandbox,
      'POST',
      PATH,
      withdrawal({}, { bsb: '062000', account_number: '00000022' }, receiver.url),
    )
    const calls = await until(
      () => receiver.received,
      (r) => r.length >= 2,
    )
    expect(calls[0]?.body).toBe(calls[1]?.body)
  })

  it('+61-400000050 answers 503 once, then pays on the retry', async () => {
    const { sandbox } = await setup()
    const body = withdrawal({}, { payid: '+61-400000050', payid_type: 'mobile' })
    expect((await sandboxCall(sandbox, 'POST', PATH, body)).status).toBe(503)
    expect(
      (await sandboxCall(sandbox, 'GET', `/sandbox/withdrawals/${body.client_transaction_id}`)).body
        .payouts_made,
    ).toBe(0)
    expect((await sandboxCall(sandbox, 'POST', PATH, body)).status).toBe(200)
  })

  it('00000091 answers slowly but has already paid', async () => {
    const { sandbox } = await setup({ timeScale: 0.02 })
    const body = withdrawal({}, { bsb: '062000', account_number: '00000091' })
    const started = Date.now()
    const reply = sandboxCall(sandbox, 'POST', PATH, body)
    await until(
      () => sandboxCall(sandbox, 'GET', `/sandbox/withdrawals/${body.client_transaction_id}`),
      (r) => r.body.payouts_made === 1,
    )
    expect(Date.now() - started).toBeLessThan(250)
    expect((await reply).status).toBe(200)
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
  })

  it('early@ calls back before it answers', async () => {
    const { sandbox, receiver } = await setup()
    await sandboxCall(
      sandbox,
      'POST',
      PATH,
      withdrawal({}, { payid: 'early@sandbox.test', payid_type: 'email' }, receiver.url),
    )
    expect(receiver.received).toHaveLength(1)
    expect(JSON.parse(receiver.received[0]?.body ?? '')).toMatchObject({ status: 'settled' })
  })

  it('lists its magic inputs', async () => {
    const { sandbox } = await setup()
    const reply = await sandboxCall(sandbox, 'GET', '/sandbox/magic')
    expect(reply.body.inputs.map((i: { word: string }) => i.word)).toEqual([
      'fail',
      'blocked',
      'slow',
      'twice',
      'late',
      'flaky',
      'early',
    ])
  })
})

describe('hostile withdraw bodies', () => {
  it('refuses a body nested thousands deep instead of crashing', async () => {
    const { sandbox } = await setup()
    for (const depth of [100, 5_000, 100_000]) {
      const deep = `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`
      const body = JSON.stringify(withdrawal()).replace(/}$/, `,"extra":${deep}}`)
      const reply = await sandboxCall(sandbox, 'POST', PATH, body)
      expect(reply.status).toBe(400)
    }
  })
})
