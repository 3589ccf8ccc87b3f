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
      body: {
        errors: {
          code: 'HC_PAYOUT1',
          message: 'Insufficient funds to payout. Please top up balance in the dashboard.',
        },
      },
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

  const PARAMS = 'cashback_transaction_detail.payout_method_params'
  it.each([
    [{ bsb: '062000', account_number: '00000040' }, `${PARAMS}.account_number`],
    [{ payid: 'refused@sandbox.test', payid_type: 'email' }, `${PARAMS}.payid`],
    [{ payid: '+61-400000040', payid_type: 'mobile' }, `${PARAMS}.payid`],
  ])('refuses %j with 400 naming the account field, and records nothing', async (params, field) => {
    const { sandbox } = await setup()
    const body = withdrawal({}, params)
    const reply = await sandboxCall(sandbox, 'POST', PATH, body)
    expect(reply).toEqual({ status: 400, body: { errors: { [field]: expect.any(String) } } })
    const report = await sandboxCall(
      sandbox,
      'GET',
      `/sandbox/withdrawals/${body.client_transaction_id}`,
    )
    expect(report.body).toMatchObject({ payouts_made: 0, status: null })
    expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body).toMatchObject({
      balance_minor: 1_000_000_000,
      withdrawals: 0,
    })
  })

  it.each([
    [{ bsb: '062000', account_number: '00000044' }],
    [{ payid: 'skewed@sandbox.test', payid_type: 'email' }],
  ])(
    '%j answers and calls back one cent more than asked, but pays the true amount',
    async (params) => {
      const { sandbox, receiver } = await setup()
      const body = withdrawal({}, params, receiver.url)
      const reply = await sandboxCall(sandbox, 'POST', PATH, body)
      expect(reply.status).toBe(200)
      expect(reply.body.amount).toBe(12.35)
      const [callback] = await until(
        () => receiver.received,
        (r) => r.length >= 1,
      )
      expect(JSON.parse(callback?.body ?? '')).toMatchObject({ status: 'settled', amount: 12.35 })
      const report = await sandboxCall(
        sandbox,
        'GET',
        `/sandbox/withdrawals/${body.client_transaction_id}`,
      )
      expect(report.body).toMatchObject({ amount_minor: 1234, status: 'settled' })
      expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body.balance_minor).toBe(
        1_000_000_000 - 1234,
      )
    },
  )

  it.each([
    [{ bsb: '062000', account_number: '00000045' }],
    [{ payid: 'review@sandbox.test', payid_type: 'email' }],
  ])('%j fails with COMPLIANCE_REVIEW and returns the money', async (params) => {
    const { sandbox, receiver } = await setup()
    const body = withdrawal({}, params, receiver.url)
    expect((await sandboxCall(sandbox, 'POST', PATH, body)).status).toBe(200)
    const [callback] = await until(
      () => receiver.received,
      (r) => r.length >= 1,
    )
    expect(JSON.parse(callback?.body ?? '')).toMatchObject({
      client_transaction_id: body.client_transaction_id,
      status: 'failed',
      error_code: 'COMPLIANCE_REVIEW',
      error_message: expect.any(String),
    })
    const report = await sandboxCall(
      sandbox,
      'GET',
      `/sandbox/withdrawals/${body.client_transaction_id}`,
    )
    expect(report.body).toMatchObject({ status: 'failed', error_code: 'COMPLIANCE_REVIEW' })
    expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body.balance_minor).toBe(
      1_000_000_000,
    )
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
      'refused',
      'skewed',
      'review',
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

describe('request counts', () => {
  it('counts each API request by method and path before authentication, refused ones too', async () => {
    const { sandbox } = await setup()
    expect((await sandboxCall(sandbox, 'POST', PATH, withdrawal())).status).toBe(200)
    const refused = await sandboxCall(sandbox, 'POST', PATH, withdrawal(), {
      'app-id': 'test-app',
      'secret-key': 'wrong',
    })
    expect(refused.status).toBe(401)
    expect((await sandboxCall(sandbox, 'GET', '/api/v1/payouts/detail?uuid=nope')).status).toBe(404)
    expect(
      (await sandboxCall(sandbox, 'GET', '/api/v1/payouts/detail', undefined, {})).status,
    ).toBe(401)
    const state = await sandboxCall(sandbox, 'GET', '/sandbox/state')
    // The control routes are the sandbox's own, not Hello Clever's, so they are not counted.
    expect(state.body.requests).toEqual({
      'POST /api/v2/cashbacks/withdraw': 2,
      'GET /api/v1/payouts/detail': 2,
    })
  })
})

describe('POST /sandbox/credentials', () => {
  const OLD = { 'app-id': 'test-app', 'secret-key': 'test-secret' }
  const NEW = { 'app-id': 'rotated-app', 'secret-key': 'rotated-secret' }
  const REFUSED = {
    status: 401,
    body: { errors: { code: 'REQUIRE_LOGIN', message: 'Not Authorised' } },
  }

  it('changes the credentials the API and the control routes accept', async () => {
    const { sandbox } = await setup()
    const changed = await sandboxCall(
      sandbox,
      'POST',
      '/sandbox/credentials',
      { app_id: 'rotated-app', secret_key: 'rotated-secret' },
      OLD,
    )
    expect(changed).toEqual({ status: 200, body: { app_id: 'rotated-app' } })
    expect(await sandboxCall(sandbox, 'POST', PATH, withdrawal(), OLD)).toEqual(REFUSED)
    expect(await sandboxCall(sandbox, 'GET', '/sandbox/state', undefined, OLD)).toEqual(REFUSED)
    expect(
      await sandboxCall(
        sandbox,
        'POST',
        '/sandbox/credentials',
        { app_id: 'a', secret_key: 'b' },
        OLD,
      ),
    ).toEqual(REFUSED)
    expect(
      await sandboxCall(sandbox, 'POST', PATH, withdrawal(), {
        'app-id': 'rotated-app',
        'secret-key': 'test-secret',
      }),
    ).toEqual(REFUSED)
    expect((await sandboxCall(sandbox, 'POST', PATH, withdrawal(), NEW)).status).toBe(200)
    const state = await sandboxCall(sandbox, 'GET', '/sandbox/state', undefined, NEW)
    expect(state.status).toBe(200)
    expect(state.body.withdrawals).toBe(1)
  })

  it.each([
    ['an empty body', {}, ['app_id', 'secret_key']],
    ['no secret_key', { app_id: 'rotated-app' }, ['secret_key']],
    ['no app_id', { secret_key: 'rotated-secret' }, ['app_id']],
    ['a numeric app_id', { app_id: 7, secret_key: 'rotated-secret' }, ['app_id']],
    ['a null secret_key', { app_id: 'rotated-app', secret_key: null }, ['secret_key']],
    ['a body that is not JSON', 'app_id=rotated-app', ['app_id', 'secret_key']],
  ])(
    'refuses %s with a 422 field map and keeps the old credentials',
    async (_name, body, fields) => {
      const { sandbox } = await setup()
      const reply = await sandboxCall(sandbox, 'POST', '/sandbox/credentials', body, OLD)
      expect(reply.status).toBe(422)
      expect(reply.body.errors).not.toHaveProperty('code')
      expect(Object.keys(reply.body.errors)).toEqual(expect.arrayContaining(fields))
      expect((await sandboxCall(sandbox, 'POST', PATH, withdrawal(), OLD)).status).toBe(200)
    },
  )
})

describe('strict cashback mode', () => {
  /** A withdrawal of `amountMinor` by `userId`, to a good bank account unless `params` say otherwise. */
  const asking = (
    userId: string,
    amountMinor: number,
    params?: Record<string, unknown>,
    receiverUrl?: string,
  ) => {
    const body = withdrawal({ user_id: userId }, params, receiverUrl)
    body.cashback_transaction_detail.amount = amountMinor
    return body
  }
  const setCashback = async (sandbox: Sandbox, userId: string, minor: number) => {
    const reply = await sandboxCall(sandbox, 'POST', '/sandbox/cashback', {
      user_id: userId,
      balance_minor: minor,
    })
    expect(reply).toEqual({ status: 200, body: { user_id: userId, balance_minor: minor } })
  }
  const SHORT = {
    status: 422,
    body: { errors: { code: 'INSUFFICIENT_CASHBACK', message: expect.any(String) } },
  }

  it('refuses a user without enough cashback (422) and pays nothing', async () => {
    const { sandbox } = await setup({ cashbackMode: true })
    await setCashback(sandbox, 'alice', 1233)
    const short = asking('alice', 1234)
    expect(await sandboxCall(sandbox, 'POST', PATH, short)).toEqual(SHORT)
    // A user the sandbox was never told about has none.
    expect(await sandboxCall(sandbox, 'POST', PATH, asking('stranger', 1))).toEqual(SHORT)
    const report = await sandboxCall(
      sandbox,
      'GET',
      `/sandbox/withdrawals/${short.client_transaction_id}`,
    )
    expect(report.body.payouts_made).toBe(0)
    expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body).toMatchObject({
      balance_minor: 1_000_000_000,
      withdrawals: 0,
    })
  })

  it('pays a user with enough cashback and takes the amount from it, once', async () => {
    const { sandbox } = await setup({ cashbackMode: true })
    await setCashback(sandbox, 'alice', 5000)
    await setCashback(sandbox, 'bob', 100)
    const first = asking('alice', 1234)
    const paid = await sandboxCall(sandbox, 'POST', PATH, first)
    expect(paid.status).toBe(200)
    expect(paid.body).toMatchObject({ customer_id: 'alice', amount: 12.34 })
    // The same request again is answered as before and takes nothing more.
    expect(await sandboxCall(sandbox, 'POST', PATH, first)).toEqual(paid)
    expect(await sandboxCall(sandbox, 'POST', PATH, asking('alice', 5000 - 1234 + 1))).toEqual(
      SHORT,
    )
    expect((await sandboxCall(sandbox, 'POST', PATH, asking('alice', 5000 - 1234))).status).toBe(
      200,
    )
    expect(await sandboxCall(sandbox, 'POST', PATH, asking('alice', 1))).toEqual(SHORT)
    // Each user's cashback is their own.
    expect((await sandboxCall(sandbox, 'POST', PATH, asking('bob', 100))).status).toBe(200)
    expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body.balance_minor).toBe(
      1_000_000_000 - 5000 - 100,
    )
  })

  it('gives the cashback back once a withdrawal fails', async () => {
    // Settling takes 500 ms here, long enough to see the cashback held in between.
    const { sandbox, receiver } = await setup({ cashbackMode: true, timeScale: 0.25 })
    await setCashback(sandbox, 'alice', 1234)
    const failing = asking(
      'alice',
      1234,
      { bsb: '062000', account_number: '00000014' },
      receiver.url,
    )
    expect((await sandboxCall(sandbox, 'POST', PATH, failing)).status).toBe(200)
    expect(await sandboxCall(sandbox, 'POST', PATH, asking('alice', 1))).toEqual(SHORT)
    const [callback] = await until(
      () => receiver.received,
      (r) => r.length >= 1,
    )
    expect(JSON.parse(callback?.body ?? '')).toMatchObject({
      status: 'failed',
      error_code: 'ACCOUNT_INVALID',
    })
    expect((await sandboxCall(sandbox, 'POST', PATH, asking('alice', 1234))).status).toBe(200)
    expect(await sandboxCall(sandbox, 'POST', PATH, asking('alice', 1))).toEqual(SHORT)
  })

  it('ignores cashback balances in the default mode', async () => {
    const { sandbox } = await setup()
    await setCashback(sandbox, 'alice', 0)
    expect((await sandboxCall(sandbox, 'POST', PATH, asking('alice', 1234))).status).toBe(200)
    expect((await sandboxCall(sandbox, 'POST', PATH, asking('stranger', 1234))).status).toBe(200)
  })

  it.each([
    ['an empty body', {}, 'user_id'],
    ['no balance', { user_id: 'alice' }, 'balance_minor'],
    ['no user', { balance_minor: 100 }, 'user_id'],
    ['an empty user_id', { user_id: '', balance_minor: 100 }, 'user_id'],
    ['a numeric user_id', { user_id: 7, balance_minor: 100 }, 'user_id'],
    ['a negative balance', { user_id: 'alice', balance_minor: -1 }, 'balance_minor'],
    ['a fractional balance', { user_id: 'alice', balance_minor: 1.5 }, 'balance_minor'],
    ['a balance as a string', { user_id: 'alice', balance_minor: '100' }, 'balance_minor'],
    ['a body that is not JSON', 'user_id=alice', 'user_id'],
  ])('refuses to set cashback with %s (422)', async (_name, body, field) => {
    const { sandbox } = await setup({ cashbackMode: true })
    const reply = await sandboxCall(sandbox, 'POST', '/sandbox/cashback', body)
    expect(reply.status).toBe(422)
    expect(Object.keys(reply.body.errors)).toContain(field)
  })
})
