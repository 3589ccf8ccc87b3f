import { afterEach, describe, expect, it } from 'vitest'
import type { Sandbox } from '../../src/sandbox/app.ts'
import type { Loose } from '../support/client.ts'
import { type Receiver, startReceiver, until } from '../support/receiver.ts'
import { sandboxCall, testSandbox } from '../support/sandbox.ts'

const open: (Sandbox | Receiver)[] = []
afterEach(async () => {
  for (const item of open.splice(0)) {
    if ('runtime' in item) await item.stop()
    else await item.close()
  }
})

async function setup(balanceMinor?: number) {
  const sandbox = testSandbox({ balanceMinor })
  const receiver = await startReceiver()
  open.push(sandbox, receiver)
  return { sandbox, receiver }
}

const v1 = (
  receiver: string,
  lines: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
) => ({
  payout_transaction_details: lines,
  description: 'Monthly payout for January',
  external_id: 'batch-1',
  endpoint_url: `${receiver}/payouts`,
  authorization_header: 'Bearer batch-token',
  ...extra,
})

describe('POST /v1/payouts', () => {
  it('pays each transaction by its destination and calls back with the whole batch', async () => {
    const { sandbox, receiver } = await setup()
    const reply = await sandboxCall(
      sandbox,
      'POST',
      '/api/v1/payouts',
      v1(receiver.url, [
        {
          payee: "John O'Doe",
          email: 'john@example.com',
          amount: 150,
          payid: 'john.doe@example.com',
          payid_type: 'email',
        },
        {
          payee: 'Jane',
          email: 'jane@example.com',
          amount: '20.50',
          bsb: '062000',
          account_number: '00000014',
        },
      ]),
    )
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({
      total_amount: '170.50',
      status: 'created',
      external_id: 'batch-1',
      is_retry: false,
    })
    const uuid = reply.body.uuid
    const done = await until(
      () => sandboxCall(sandbox, 'GET', `/api/v1/payouts/detail?uuid=${uuid}`),
      (r) => r.body.status === 'completed',
    )
    expect(done.body.payout_transactions.map((t: { status: string }) => t.status)).toEqual([
      'settled',
      'failed',
    ])
    expect(done.body.payout_transactions[0]).toMatchObject({
      payid_type: 'EMAIL',
      amount: '150.00',
    })
    expect(done.body).toMatchObject({ total_failed_transactions: '1', total_refund: '20.50' })
    expect(
      (await sandboxCall(sandbox, 'GET', `/api/v1/payouts/detail?id=${reply.body.id}`)).body.uuid,
    ).toBe(uuid)
    const callbacks = await until(
      () => receiver.received,
      (r) => r.some((x) => JSON.parse(x.body).status === 'completed'),
    )
    expect(callbacks[0]?.headers.authorization).toBe('Bearer batch-token')
    expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body.balance_minor).toBe(
      1_000_000_000 - 15000,
    )
  })

  it.each([
    [
      'both a PayID and a bank account',
      {
        payee: 'A',
        email: 'a@b.co',
        amount: 1,
        payid: 'a@b.co',
        bsb: '062000',
        account_number: '1234',
      },
      'payout_transaction_details[0]',
    ],
    [
      'a payee with a hyphen',
      { payee: 'Mary-Jane', email: 'a@b.co', amount: 1, bsb: '062000', account_number: '1234' },
      'payout_transaction_details[0].payee',
    ],
    [
      'an email that is not one',
      { payee: 'A', email: 'not-an-email', amount: 1, bsb: '062000', account_number: '1234' },
      'payout_transaction_details[0].email',
    ],
    [
      'three decimals',
      { payee: 'A', email: 'a@b.co', amount: 1.234, bsb: '062000', account_number: '1234' },
      'payout_transaction_details[0].amount',
    ],
  ])('refuses a line with %s (422)', async (_name, line, field) => {
    const { sandbox, receiver } = await setup()
    const reply = await sandboxCall(sandbox, 'POST', '/api/v1/payouts', v1(receiver.url, [line]))
    expect(reply.status).toBe(422)
    expect(Object.keys(reply.body.errors)).toContain(field)
  })

  it('refuses a description under 5 characters and an empty batch', async () => {
    const { sandbox, receiver } = await setup()
    const reply = await sandboxCall(
      sandbox,
      'POST',
      '/api/v1/payouts',
      v1(receiver.url, [], { description: 'Pay' }),
    )
    expect(reply.status).toBe(422)
    expect(Object.keys(reply.body.errors).sort()).toEqual([
      'description',
      'payout_transaction_details',
    ])
  })

  it('without funds, expires the batch unless it may retry, which waits for a top-up (HC_PAYOUT1)', async () => {
    const { sandbox, receiver } = await setup(1000)
    const line = { payee: 'A', email: 'a@b.co', amount: 50, bsb: '062000', account_number: '1234' }
    const once = await sandboxCall(sandbox, 'POST', '/api/v1/payouts', v1(receiver.url, [line]))
    const retry = await sandboxCall(
      sandbox,
      'POST',
      '/api/v1/payouts',
      v1(receiver.url, [line], { is_retry: true }),
    )
    const expired = await until(
      () => sandboxCall(sandbox, 'GET', `/api/v1/payouts/detail?uuid=${once.body.uuid}`),
      (r) => r.body.status === 'expired',
    )
    expect(expired.body.error_code).toBe('HC_PAYOUT1')
    const waiting = await until(
      () => sandboxCall(sandbox, 'GET', `/api/v1/payouts/detail?uuid=${retry.body.uuid}`),
      (r) => r.body.error_code === 'HC_PAYOUT1',
    )
    expect(waiting.body.status).toBe('processing')
    await sandboxCall(sandbox, 'POST', '/sandbox/balance', { balance_minor: 10_000 })
    const paid = await until(
      () => sandboxCall(sandbox, 'GET', `/api/v1/payouts/detail?uuid=${retry.body.uuid}`),
      (r) => r.body.status === 'completed',
    )
    expect(paid.body.error_code).toBeNull()
  })

  it('holds a scheduled batch until its time', async () => {
    const { sandbox, receiver } = await setup()
    const at = new Date(Date.now() + 2000).toISOString().slice(0, 19)
    const line = { payee: 'A', email: 'a@b.co', amount: 1, bsb: '062000', account_number: '1234' }
    const reply = await sandboxCall(
      sandbox,
      'POST',
      '/api/v1/payouts',
      v1(receiver.url, [line], { scheduled_at: at }),
    )
    expect(reply.body.status).toBe('scheduled')
    await until(
      () => sandboxCall(sandbox, 'GET', `/api/v1/payouts/detail?uuid=${reply.body.uuid}`),
      (r) => r.body.status === 'completed',
      5000,
    )
  })
})

describe('POST /v2/payouts', () => {
  const v2 = (receiver: string, extra: Record<string, unknown> = {}) => ({
    currency: 'AUD',
    payout_method_name: 'au_payid_npp_aud',
    description: 'Payout payment 2026',
    webhook_notification: { endpoint_url: `${receiver}/v2`, authorization_header: 'SECRET' },
    payout_transaction_details: [
      {
        first_name: 'John',
        last_name: 'Scarlet',
        email: 'john@example.com',
        amount: 100,
        external_id: '123',
        payout_method_params: { payid: '+61-412345678', payid_type: 'mobile' },
      },
    ],
    ...extra,
  })

  it('creates a batch for one method and reports it by uuid', async () => {
    const { sandbox, receiver } = await setup()
    const reply = await sandboxCall(sandbox, 'POST', '/api/v2/payouts', v2(receiver.url))
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({
      currency: 'AUD',
      payout_method_name: 'au_payid_npp_aud',
      total_amount: '100.00',
    })
    const done = await until(
      () => sandboxCall(sandbox, 'GET', `/api/v2/payouts/detail?uuid=${reply.body.uuid}`),
      (r) => r.body.status === 'completed',
    )
    expect(done.body.payout_transactions[0]).toMatchObject({
      payee: 'John Scarlet',
      status: 'settled',
    })
    const [callback] = await until(
      () => receiver.received,
      (r) => r.length >= 1,
    )
    expect(callback?.headers.authorization).toBe('SECRET')
  })

  it.each([
    [
      'a first name with a leading space',
      {
        payout_transaction_details: [
          {
            first_name: ' John',
            last_name: 'S',
            email: 'j@e.co',
            amount: 1,
            payout_method_params: { payid: 'j@e.co', payid_type: 'email' },
          },
        ],
      },
      'payout_transaction_details[0].first_name',
    ],
    ['another currency', { currency: 'PHP' }, 'currency'],
    [
      'a method the sandbox does not offer',
      { payout_method_name: 'ph_ewallet_gcash_php' },
      'payout_method_name',
    ],
    ['no webhook', { webhook_notification: undefined }, 'webhook_notification'],
  ])('refuses %s', async (_name, extra, field) => {
    const { sandbox, receiver } = await setup()
    const reply = await sandboxCall(sandbox, 'POST', '/api/v2/payouts', v2(receiver.url, extra))
    expect(reply.status).toBe(422)
    expect(Object.keys(reply.body.errors)).toContain(field)
  })

  it('describes its payout methods and their required fields', async () => {
    const { sandbox } = await setup()
    const methods = await sandboxCall(sandbox, 'GET', '/api/v2/payouts/payout_methods?currency=AUD')
    expect(
      methods.body.records.map((m: { payout_method_name: string }) => m.payout_method_name),
    ).toEqual(['au_bank_npp_aud', 'au_payid_npp_aud'])
    const params = await sandboxCall(
      sandbox,
      'GET',
      '/api/v2/payouts/payout_method/params?payout_method_name=au_bank_npp_aud',
    )
    expect(params.body.record.payout_method_params).toMatchObject({
      bsb: expect.stringContaining('Mandatory'),
    })
    expect(
      (
        await sandboxCall(
          sandbox,
          'GET',
          '/api/v2/payouts/payout_method/params?payout_method_name=constructor',
        )
      ).status,
    ).toBe(404)
  })
})

describe('payment requests and refunds', () => {
  const create = (receiver: string) => ({
    name: 'Order 1',
    gst: true,
    amount: 100,
    description: 'Payment for invoice #1234',
    emails: 'payer@example.com',
    payment_request_notification: {
      endpoint_url: `${receiver}/pr`,
      authorization_header: 'Bearer pr',
    },
  })

  it('refunds a received payment in part, from the balance', async () => {
    const { sandbox, receiver } = await setup(0)
    const made = await sandboxCall(
      sandbox,
      'POST',
      '/api/v1/merchants/create_payment',
      create(receiver.url),
    )
    expect(made.body).toMatchObject({
      status: 'pending',
      amount: '100.00',
      total: '110.00',
      gst_amount: '10.00',
    })
    const early = await sandboxCall(sandbox, 'POST', '/api/v1/payment_requests/refund', {
      payment_request_id: made.body.id,
      reason: 'Customer request',
    })
    expect(early.status).toBe(400)
    expect(early.body.errors.code).toBe('INVALID_STATUS')

    await sandboxCall(sandbox, 'POST', `/sandbox/payment_requests/${made.body.id}/pay`)
    expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body.balance_minor).toBe(11000)
    const refund = await sandboxCall(sandbox, 'POST', '/api/v1/payment_requests/refund', {
      payment_request_id: made.body.id,
      refund_amount: 25,
      reason: 'Partial refund due to customer request',
    })
    expect(refund.status).toBe(200)
    expect(refund.body).toMatchObject({
      refund_amount: 25,
      reason: 'Partial refund due to customer request',
      payment_request: { status: 'return_pending' },
    })
    const done = await until(
      () => sandboxCall(sandbox, 'GET', `/api/v1/payment_requests/status?id=${made.body.id}`),
      (r) => r.body.status === 'return_received',
    )
    expect(done.body.refund_information).toMatchObject({ refund_amount: 25 })
    expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body.balance_minor).toBe(8500)
  })

  it.each([
    ['a short reason', { reason: 'oops' }, 422],
    ['more than was paid', { reason: 'Too much money back', refund_amount: 111 }, 422],
    [
      'an unknown payment request',
      { reason: 'Customer request', payment_request_id: 999_999 },
      404,
    ],
  ])('refuses a refund with %s', async (_name, override, status) => {
    const { sandbox, receiver } = await setup()
    const made = await sandboxCall(
      sandbox,
      'POST',
      '/api/v1/merchants/create_payment',
      create(receiver.url),
    )
    await sandboxCall(sandbox, 'POST', `/sandbox/payment_requests/${made.body.id}/pay`)
    const reply = await sandboxCall(sandbox, 'POST', '/api/v1/payment_requests/refund', {
      payment_request_id: made.body.id,
      ...override,
    })
    expect(reply.status).toBe(status)
  })

  it('refuses a payment request with upper-case emails or an expiry under 15 minutes', async () => {
    const { sandbox, receiver } = await setup()
    const reply = await sandboxCall(sandbox, 'POST', '/api/v1/merchants/create_payment', {
      ...create(receiver.url),
      emails: 'Payer@Example.com',
      expired_at: new Date(Date.now() + 60_000).toISOString(),
    })
    expect(reply.status).toBe(422)
    expect(Object.keys(reply.body.errors).sort()).toEqual(['emails', 'expired_at'])
  })
})

describe('review fixes', () => {
  const line = { payee: 'A', email: 'a@b.co', amount: 50, bsb: '062000', account_number: '1234' }

  it.each(['2024-13-01T00:00:00', '2024-01-01T00:00:00+9999', '2024-02-30T25:00:00'])(
    'refuses the impossible scheduled_at %s instead of failing',
    async (at) => {
      const { sandbox, receiver } = await setup()
      const reply = await sandboxCall(
        sandbox,
        'POST',
        '/api/v1/payouts',
        v1(receiver.url, [line], { scheduled_at: at }),
      )
      expect(reply.status).toBe(422)
      expect(Object.keys(reply.body.errors)).toContain('scheduled_at')
    },
  )

  it('keeps a batch scheduled far in the future waiting', async () => {
    const { sandbox, receiver } = await setup()
    const reply = await sandboxCall(
      sandbox,
      'POST',
      '/api/v1/payouts',
      v1(receiver.url, [line], { scheduled_at: '2099-01-01T00:00:00' }),
    )
    await new Promise((r) => setTimeout(r, 200))
    expect(
      (await sandboxCall(sandbox, 'GET', `/api/v1/payouts/detail?uuid=${reply.body.uuid}`)).body
        .status,
    ).toBe('scheduled')
  })

  it('lets a payer’s money restart a batch waiting for funds', async () => {
    const { sandbox, receiver } = await setup(0)
    const waiting = await sandboxCall(
      sandbox,
      'POST',
      '/api/v1/payouts',
      v1(receiver.url, [line], { is_retry: true }),
    )
    const pr = await sandboxCall(sandbox, 'POST', '/api/v1/merchants/create_payment', {
      name: 'Top up',
      gst: false,
      amount: 100,
      description: 'Top up',
      emails: 'payer@example.com',
      payment_request_notification: {
        endpoint_url: `${receiver.url}/pr`,
        authorization_header: 'x',
      },
    })
    await until(
      () => sandboxCall(sandbox, 'GET', `/api/v1/payouts/detail?uuid=${waiting.body.uuid}`),
      (r) => r.body.error_code === 'HC_PAYOUT1',
    )
    await sandboxCall(sandbox, 'POST', `/sandbox/payment_requests/${pr.body.id}/pay`)
    await until(
      () => sandboxCall(sandbox, 'GET', `/api/v1/payouts/detail?uuid=${waiting.body.uuid}`),
      (r) => r.body.status === 'completed',
    )
  })
})

describe('v1 lines', () => {
  const bank = { payee: 'A', amount: 50, bsb: '062000', account_number: '1234' }

  it('takes a line without an email, but not one with a malformed email', async () => {
    const { sandbox, receiver } = await setup()
    const reply = await sandboxCall(sandbox, 'POST', '/api/v1/payouts', v1(receiver.url, [bank]))
    expect(reply.status).toBe(200)
    await until(
      () => sandboxCall(sandbox, 'GET', `/api/v1/payouts/detail?uuid=${reply.body.uuid}`),
      (r) => r.body.status === 'completed',
    )
    const bad = await sandboxCall(
      sandbox,
      'POST',
      '/api/v1/payouts',
      v1(receiver.url, [bank, { ...bank, email: 'Jane@Example.com' }]),
    )
    expect(bad.status).toBe(422)
    expect(Object.keys(bad.body.errors)).toEqual(['payout_transaction_details[1].email'])
  })

  it('gives each line an error_code: null until it fails, then the failure’s code', async () => {
    const { sandbox, receiver } = await setup()
    const reply = await sandboxCall(
      sandbox,
      'POST',
      '/api/v1/payouts',
      v1(receiver.url, [
        bank,
        { ...bank, account_number: '00000014' },
        { payee: 'B', amount: 5, payid: 'blocked@sandbox.test', payid_type: 'email' },
      ]),
    )
    const codes = (view: Record<string, Loose>) =>
      view.payout_transactions.map((t: { error_code: string | null }) => t.error_code)
    expect(codes(reply.body)).toEqual([null, null, null])
    const done = await until(
      () => sandboxCall(sandbox, 'GET', `/api/v1/payouts/detail?uuid=${reply.body.uuid}`),
      (r) => r.body.status === 'completed',
    )
    expect(codes(done.body)).toEqual([null, 'ACCOUNT_INVALID', 'PAYEE_BLOCKED'])
    const callbacks = await until(
      () => receiver.received.map((x) => JSON.parse(x.body)),
      (r) => r.some((body) => body.status === 'completed'),
    )
    expect(codes(callbacks.find((body) => body.status === 'completed'))).toEqual([
      null,
      'ACCOUNT_INVALID',
      'PAYEE_BLOCKED',
    ])
  })
})

describe('batch magic (any line’s input applies to the whole batch)', () => {
  const plain = { payee: 'A', amount: 5, bsb: '062000', account_number: '1234' }
  const payid = (word: string) => ({
    payee: 'B',
    amount: 1,
    payid: `${word}@sandbox.test`,
    payid_type: 'email',
  })
  const completedCallbacks = (receiver: Receiver) =>
    receiver.received.map((x) => JSON.parse(x.body)).filter((b) => b.status === 'completed')

  it('flaky: answers the first request 503 and creates nothing; the same request again is paid', async () => {
    const { sandbox, receiver } = await setup()
    const body = v1(receiver.url, [plain, payid('flaky')], { external_id: 'flaky-1' })
    expect(await sandboxCall(sandbox, 'POST', '/api/v1/payouts', body)).toEqual({
      status: 503,
      body: { errors: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) } },
    })
    expect(
      (await sandboxCall(sandbox, 'GET', '/sandbox/batches?external_id=flaky-1')).body.batches,
    ).toEqual([])
    expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body).toMatchObject({
      batches: 0,
      balance_minor: 1_000_000_000,
    })
    const again = await sandboxCall(sandbox, 'POST', '/api/v1/payouts', body)
    expect(again.status).toBe(200)
    const listed = await sandboxCall(sandbox, 'GET', '/sandbox/batches?external_id=flaky-1')
    expect(listed.body.batches.map((b: { uuid: string }) => b.uuid)).toEqual([again.body.uuid])
  })

  it.each([
    [
      [plain, { ...plain, account_number: '00000040' }],
      'payout_transaction_details[1].account_number',
    ],
    [[payid('refused'), plain], 'payout_transaction_details[0].payid'],
    [
      [plain, plain, { ...payid('x'), payid: '+61-400000040', payid_type: 'mobile' }],
      'payout_transaction_details[2].payid',
    ],
  ])(
    'refused: refuses the whole batch %j naming the line (422), creating nothing',
    async (lines, field) => {
      const { sandbox, receiver } = await setup()
      const reply = await sandboxCall(sandbox, 'POST', '/api/v1/payouts', v1(receiver.url, lines))
      expect(reply).toEqual({ status: 422, body: { errors: { [field]: expect.any(String) } } })
      expect((await sandboxCall(sandbox, 'GET', '/sandbox/batches')).body.batches).toEqual([])
      expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body.balance_minor).toBe(
        1_000_000_000,
      )
    },
  )

  it('skewed: the answer and callbacks report each line one cent high, the detail the truth', async () => {
    const { sandbox, receiver } = await setup()
    const reply = await sandboxCall(
      sandbox,
      'POST',
      '/api/v1/payouts',
      v1(receiver.url, [plain, payid('skewed')]),
    )
    const amounts = (view: Record<string, Loose>) =>
      view.payout_transactions.map((t: { amount: string }) => t.amount)
    expect(amounts(reply.body)).toEqual(['5.01', '1.01'])
    const [completed] = await until(
      () => completedCallbacks(receiver),
      (r) => r.length >= 1,
    )
    expect(amounts(completed)).toEqual(['5.01', '1.01'])
    const detail = await sandboxCall(
      sandbox,
      'GET',
      `/api/v1/payouts/detail?uuid=${reply.body.uuid}`,
    )
    expect(amounts(detail.body)).toEqual(['5.00', '1.00'])
    expect((await sandboxCall(sandbox, 'GET', '/sandbox/state')).body.balance_minor).toBe(
      1_000_000_000 - 600,
    )
  })

  it('early: sends the completed callback before it answers', async () => {
    const { sandbox, receiver } = await setup()
    const reply = await sandboxCall(
      sandbox,
      'POST',
      '/api/v1/payouts',
      v1(receiver.url, [plain, payid('early')]),
    )
    expect(reply.status).toBe(200)
    expect(receiver.received.map((x) => JSON.parse(x.body))).toEqual([
      expect.objectContaining({ uuid: reply.body.uuid, status: 'completed' }),
    ])
    expect(receiver.received[0]?.headers.authorization).toBe('Bearer batch-token')
  })

  it('twice: sends the completed callback twice', async () => {
    const { sandbox, receiver } = await setup()
    const reply = await sandboxCall(
      sandbox,
      'POST',
      '/api/v1/payouts',
      v1(receiver.url, [plain, payid('twice')]),
    )
    const [first, second] = await until(
      () => completedCallbacks(receiver),
      (r) => r.length >= 2,
    )
    expect(first.uuid).toBe(reply.body.uuid)
    expect(second).toEqual(first)
  })
})

describe('GET /sandbox/batches', () => {
  it('lists the batches with an external_id, or all of them', async () => {
    const { sandbox, receiver } = await setup()
    // Scheduled far ahead, so each view stays as it was made.
    const later = { scheduled_at: '2099-01-01T00:00:00' }
    const line = { payee: 'A', amount: 1, bsb: '062000', account_number: '1234' }
    const make = async (extra: Record<string, unknown>) =>
      (
        await sandboxCall(
          sandbox,
          'POST',
          '/api/v1/payouts',
          v1(receiver.url, [line], { ...later, ...extra }),
        )
      ).body.uuid as string
    const a1 = await make({ external_id: 'a' })
    const a2 = await make({ external_id: 'a' })
    const b = await make({ external_id: 'b' })
    const none = await make({ external_id: undefined })
    const uuids = async (query: string) =>
      (await sandboxCall(sandbox, 'GET', `/sandbox/batches${query}`)).body.batches
        .map((x: { uuid: string }) => x.uuid)
        .sort()
    expect(await uuids('?external_id=a')).toEqual([a1, a2].sort())
    expect(await uuids('?external_id=b')).toEqual([b])
    expect(await uuids('?external_id=c')).toEqual([])
    expect(await uuids('')).toEqual([a1, a2, b, none].sort())
    const listed = await sandboxCall(sandbox, 'GET', '/sandbox/batches?external_id=b')
    const detail = await sandboxCall(sandbox, 'GET', `/api/v1/payouts/detail?uuid=${b}`)
    expect(listed.body.batches).toEqual([detail.body])
  })
})
