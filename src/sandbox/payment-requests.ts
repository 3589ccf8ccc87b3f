import type { Context } from 'hono'
import {
  FieldCheck,
  hcError,
  hcFieldErrors,
  isObject,
  type Json,
  majorToMinor,
  minorToMajorString,
  readJson,
} from './http.ts'
import { DELAYS, type SandboxRuntime } from './runtime.ts'
import type { PaymentRequestRecord } from './state.ts'

const EMAILS = /^([a-z0-9_\-.]+)@([a-z]+)\.([a-z]+)(,[a-z0-9_\-.]+@[a-z]+\.([a-z]+))*$/
const MIN_EXPIRY_MS = 15 * 60_000
const GST_RATE = 0.1

export function paymentRequestView(p: PaymentRequestRecord): Json {
  const gst = p.gst ? Math.round(p.amountMinor * GST_RATE) : 0
  return {
    id: p.id,
    balance_id: p.balanceId,
    name: p.name,
    request_payid: p.requestPayid,
    merchant_name: 'Cashout Sandbox',
    gst: p.gst,
    amount: minorToMajorString(p.amountMinor),
    total: minorToMajorString(p.amountMinor + gst),
    gst_amount: minorToMajorString(gst),
    expired_at: p.expiredAt,
    external_id: p.externalId,
    cashback_amount: '0.00',
    pay_by: p.expiredAt,
    paid_at: p.paidAt,
    status: p.status,
    description: p.description,
    nonce: p.nonce,
    stage: null,
    refund_information: p.refund
      ? {
          refund_payid: p.refund.payid,
          refund_amount: p.refund.amountMinor / 100,
          request_date: p.refund.requestedAt,
          reason: p.refund.reason,
        }
      : null,
    sender_details: p.paidAt
      ? {
          reference: p.nonce,
          description: 'Sandbox payment',
          bsb: '000000',
          account_number: '000000000',
          account_name: 'Sandbox Payer',
        }
      : null,
  }
}

export function totalMinor(p: PaymentRequestRecord): number {
  return p.amountMinor + (p.gst ? Math.round(p.amountMinor * GST_RATE) : 0)
}

function notify(rt: SandboxRuntime, p: PaymentRequestRecord) {
  if (!p.notification) return
  rt.enqueueCallback(
    {
      url: p.notification.endpoint_url,
      authorization: p.notification.authorization_header,
      body: paymentRequestView(p),
      origin: `payment_request:${p.id}`,
    },
    0,
  )
}

/** POST /v1/merchants/create_payment: a one-time PayID for a payer to pay into. */
export function createPaymentHandler(rt: SandboxRuntime) {
  return async (c: Context) => {
    const parsed = await readJson(c)
    if (!parsed.ok) return hcError(c, 400, 'BAD_REQUEST', 'The request body is not valid JSON.')
    if (!isObject(parsed.body))
      return hcFieldErrors(c, 422, { base: 'request body must be a JSON object' })
    const body = parsed.body
    const check = new FieldCheck(body)
    const name = check.string('name', { required: true, max: 140 })
    const description = check.string('description', { required: true, max: 140 })
    const emails = check.string('emails', { required: true, max: 1000, pattern: EMAILS })
    if (typeof body.gst !== 'boolean') check.fail('gst', "can't be blank")
    const amountMinor = majorToMinor(body.amount)
    if (!amountMinor)
      check.fail('amount', 'must be a positive amount with at most 2 decimal places')
    const externalId = check.string('external_id', { max: 255 }) ?? null
    const now = rt.clock.now()
    const expiredAtRaw = check.string('expired_at')
    const expiredAt = expiredAtRaw
      ? new Date(expiredAtRaw)
      : new Date(now.getTime() + 24 * 3600_000)
    if (Number.isNaN(expiredAt.getTime())) check.fail('expired_at', 'is invalid')
    else if (expiredAt.getTime() < now.getTime() + MIN_EXPIRY_MS)
      check.fail('expired_at', 'must be at least 15 minutes from now')
    const hook = body.payment_request_notification
    if (
      !isObject(hook) ||
      typeof hook.endpoint_url !== 'string' ||
      !URL.canParse(hook.endpoint_url)
    ) {
      check.fail('payment_request_notification.endpoint_url', 'is not a valid URL')
    } else if (typeof hook.authorization_header !== 'string' || hook.authorization_header === '') {
      check.fail('payment_request_notification.authorization_header', "can't be blank")
    }
    if (!check.ok || !name || !description || !emails || !amountMinor || !isObject(hook)) {
      return hcFieldErrors(c, 422, check.errors)
    }
    const id = rt.nextId()
    const record: PaymentRequestRecord = {
      id,
      balanceId: rt.shortId(),
      name,
      requestPayid: `pay${id}@sandbox.helloclever.test`,
      gst: body.gst === true,
      amountMinor,
      description,
      emails,
      status: 'pending',
      expiredAt: expiredAt.toISOString(),
      externalId,
      paidAt: null,
      nonce: rt.shortId(),
      notification: {
        endpoint_url: hook.endpoint_url as string,
        authorization_header: hook.authorization_header as string,
      },
      refund: null,
      createdAt: now.toISOString(),
    }
    rt.state.paymentRequests[String(id)] = record
    rt.store.changed()
    return c.json(paymentRequestView(record), 200)
  }
}

function find(rt: SandboxRuntime, id: unknown, payid?: string): PaymentRequestRecord | undefined {
  if (id !== undefined && id !== null && id !== '') {
    const key = String(id)
    return Object.hasOwn(rt.state.paymentRequests, key) ? rt.state.paymentRequests[key] : undefined
  }
  return payid
    ? Object.values(rt.state.paymentRequests).find((p) => p.requestPayid === payid)
    : undefined
}

export function paymentStatusHandler(rt: SandboxRuntime) {
  return (c: Context) => {
    const id = c.req.query('id')
    const payid = c.req.query('payid')
    if (!id && !payid) return hcError(c, 400, 'BAD_REQUEST', 'Send id or payid.')
    const record = find(rt, id, payid)
    if (!record) return hcError(c, 404, 'NOT_FOUND', 'Payment request not found')
    return c.json(paymentRequestView(record), 200)
  }
}

/** Sandbox only: the payer pays the one-time PayID in full. */
export function simulatePaymentHandler(rt: SandboxRuntime) {
  return (c: Context) => {
    const record = find(rt, c.req.param('id'))
    if (!record) return hcError(c, 404, 'NOT_FOUND', 'Payment request not found')
    if (record.status !== 'pending')
      return hcError(c, 400, 'INVALID_STATUS', 'The payment request is not pending.')
    record.status = 'received'
    record.paidAt = rt.nowIso()
    rt.store.changed()
    notify(rt, record)
    rt.credit(totalMinor(record))
    return c.json(paymentRequestView(record), 200)
  }
}

/**
 * POST /v1/payment_requests/refund: only a received payment can be refunded, in full or in part,
 * from the merchant balance; without the balance the refund waits in `return_pending`.
 */
export function refundHandler(rt: SandboxRuntime) {
  return async (c: Context) => {
    const parsed = await readJson(c)
    if (!parsed.ok) return hcError(c, 400, 'BAD_REQUEST', 'The request body is not valid JSON.')
    if (!isObject(parsed.body))
      return hcFieldErrors(c, 422, { base: 'request body must be a JSON object' })
    const body = parsed.body
    const errors: Record<string, string> = {}
    if (
      typeof body.payment_request_id !== 'number' ||
      !Number.isSafeInteger(body.payment_request_id)
    ) {
      errors.payment_request_id = "can't be blank"
    }
    if (typeof body.reason !== 'string' || body.reason.trim().length < 5) {
      errors.reason = 'is too short (minimum is 5 characters)'
    }
    const refundMinor =
      body.refund_amount === undefined ? undefined : majorToMinor(body.refund_amount)
    if (body.refund_amount !== undefined && !refundMinor)
      errors.refund_amount = 'must be a positive amount'
    if (Object.keys(errors).length > 0) return hcFieldErrors(c, 422, errors)
    const record = find(rt, body.payment_request_id)
    if (!record) return hcError(c, 404, 'NOT_FOUND', 'Payment request not found')
    if (record.status !== 'received') {
      return hcError(
        c,
        400,
        'INVALID_STATUS',
        'Only a payment request with a received status can be refunded.',
      )
    }
    const amount = refundMinor ?? totalMinor(record)
    if (amount > totalMinor(record)) {
      return hcFieldErrors(c, 422, { refund_amount: 'must not be more than the amount paid' })
    }
    record.status = 'return_pending'
    record.refund = {
      payid: `refund${record.id}@sandbox.helloclever.test`,
      amountMinor: amount,
      reason: body.reason as string,
      requestedAt: rt.nowIso(),
    }
    rt.store.changed()
    notify(rt, record)
    rt.later(rt.scaled(DELAYS.settle), () => completeRefunds(rt))
    return c.json(
      {
        refund_payid: record.refund.payid,
        refund_amount: amount / 100,
        reason: record.refund.reason,
        payment_request: paymentRequestView(record),
      },
      200,
    )
  }
}

/** Pays out pending refunds the balance can cover. */
export function completeRefunds(rt: SandboxRuntime) {
  for (const record of Object.values(rt.state.paymentRequests)) {
    if (record.status !== 'return_pending' || !record.refund) continue
    if (record.refund.amountMinor > rt.state.balanceMinor) continue
    rt.state.balanceMinor -= record.refund.amountMinor
    record.status = 'return_received'
    rt.store.changed()
    notify(rt, record)
  }
}
