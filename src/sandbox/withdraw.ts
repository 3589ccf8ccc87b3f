import type { Context } from 'hono'
import { sha256Hex } from '../crypto/bytes.ts'
import {
  FieldCheck,
  hcError,
  hcFieldErrors,
  isObject,
  type Json,
  minorToMajorNumber,
  readJson,
} from './http.ts'
import { magicFor } from './magic.ts'
import { AU_METHODS, checkMethodParams } from './params.ts'
import { DELAYS, type SandboxRuntime } from './runtime.ts'
import type { WithdrawalRecord } from './state.ts'

interface WithdrawRequest {
  userId: string
  clientTransactionId: string
  amountMinor: number
  currency: string
  description: string | undefined
  method: string
  params: Json
  endpointUrl: string
  authorization: string
}

/** Validates a withdraw body as the seed documents it; field errors in Hello Clever's map. */
export function checkWithdraw(
  body: unknown,
): { ok: true; request: WithdrawRequest } | { ok: false; errors: Record<string, string> } {
  if (!isObject(body)) return { ok: false, errors: { base: 'request body must be a JSON object' } }
  const check = new FieldCheck(body)
  const userId = check.string('user_id', { required: true, max: 255 })
  const clientTransactionId = check.string('client_transaction_id', { required: true, max: 255 })
  const detail = check.object('cashback_transaction_detail')
  const notification = check.object('webhook_notification')
  let amountMinor: number | undefined
  let currency = 'AUD'
  let method: string | undefined
  let description: string | undefined
  if (detail) {
    const inner = new FieldCheck(detail)
    const amount = detail.amount
    if (amount === undefined || amount === null)
      check.fail('cashback_transaction_detail.amount', "can't be blank")
    else if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
      check.fail('cashback_transaction_detail.amount', 'must be a positive integer in minor units')
    } else amountMinor = amount
    currency = inner.string('currency', { pattern: /^[A-Z]{3}$/ }) ?? 'AUD'
    if (inner.errors.currency)
      check.fail('cashback_transaction_detail.currency', 'must be an ISO 4217 code')
    else if (currency !== 'AUD')
      check.fail('cashback_transaction_detail.currency', 'is not supported')
    description = inner.string('payment_description', { min: 5, max: 140 })
    if (inner.errors.payment_description) {
      check.fail(
        'cashback_transaction_detail.payment_description',
        inner.errors.payment_description,
      )
    }
    method = inner.string('payout_method_name', { required: true })
    if (!method) check.fail('cashback_transaction_detail.payout_method_name', "can't be blank")
    else if (!(AU_METHODS as readonly string[]).includes(method)) {
      check.fail('cashback_transaction_detail.payout_method_name', 'is not included in the list')
    } else {
      checkMethodParams(
        check,
        'cashback_transaction_detail.payout_method_params',
        method,
        detail.payout_method_params,
      )
    }
  }
  let endpointUrl: string | undefined
  let authorization: string | undefined
  if (notification) {
    const inner = new FieldCheck(notification)
    endpointUrl = inner.string('endpoint_url', { required: true, max: 2048 })
    authorization = inner.string('authorization_headers', { required: true, max: 1024 })
    for (const [field, message] of Object.entries(inner.errors))
      check.fail(`webhook_notification.${field}`, message)
    if (endpointUrl && !URL.canParse(endpointUrl))
      check.fail('webhook_notification.endpoint_url', 'is not a valid URL')
  }
  if (
    !check.ok ||
    !userId ||
    !clientTransactionId ||
    !amountMinor ||
    !method ||
    !endpointUrl ||
    !authorization ||
    !detail
  ) {
    return { ok: false, errors: check.errors }
  }
  return {
    ok: true,
    request: {
      userId,
      clientTransactionId,
      amountMinor,
      currency,
      description,
      method,
      params: detail.payout_method_params as Json,
      endpointUrl,
      authorization,
    },
  }
}

const MAX_DEPTH = 32

/** Key order does not make two requests different; undefined if nested absurdly deep. */
function canonical(value: unknown, depth = 0): string | undefined {
  if (depth > MAX_DEPTH) return undefined
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item, depth + 1))
    return items.includes(undefined) ? undefined : `[${items.join(',')}]`
  }
  if (isObject(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => {
        const inner = canonical(value[k], depth + 1)
        return inner === undefined ? undefined : `${JSON.stringify(k)}:${inner}`
      })
    return entries.includes(undefined) ? undefined : `{${entries.join(',')}}`
  }
  return JSON.stringify(value)
}

/** The merchant balance is short: the v1 document's code, assumed for withdraw too (to confirm). */
export const MERCHANT_SHORT = {
  code: 'HC_PAYOUT1',
  message: 'Insufficient funds to payout. Please top up balance in the dashboard.',
}

export function withdrawHandler(rt: SandboxRuntime, merchantName: string) {
  return async (c: Context) => {
    const parsed = await readJson(c)
    if (!parsed.ok) return hcError(c, 400, 'BAD_REQUEST', 'The request body is not valid JSON.')
    const checked = checkWithdraw(parsed.body)
    if (!checked.ok) return hcFieldErrors(c, 400, checked.errors)
    const req = checked.request
    const text = canonical(parsed.body)
    if (text === undefined) {
      return hcError(c, 400, 'BAD_REQUEST', 'The request body is nested too deeply.')
    }
    const hash = await sha256Hex(text)
    const state = rt.state

    const existing = state.withdrawals[req.clientTransactionId]
    if (existing) {
      existing.requests += 1
      rt.store.changed()
      if (existing.requestHash !== hash) {
        return hcError(
          c,
          400,
          'DUPLICATE_TRANSACTION',
          'client_transaction_id has already been used for a different withdrawal.',
        )
      }
      return c.json(existing.response, 200)
    }

    const magic = magicFor(req.params as { account_number?: string; payid?: string })
    if (magic.flaky && !state.flakySeen[req.clientTransactionId]) {
      state.flakySeen[req.clientTransactionId] = true
      rt.store.changed()
      return hcError(
        c,
        503,
        'SERVICE_UNAVAILABLE',
        'The payout service is temporarily unavailable.',
      )
    }
    if (magic.refuseField) {
      const field = req.method === 'au_bank_npp_aud' ? 'account_number' : 'payid'
      return hcFieldErrors(c, 400, {
        [`cashback_transaction_detail.payout_method_params.${field}`]:
          'is not accepted by the receiving institution',
      })
    }
    // Strict mode: the document's customer withdraws their own cashback, and must have enough.
    const cashback = rt.cashbackMode ? (state.cashback[req.userId] ?? 0) : undefined
    if (cashback !== undefined && req.amountMinor > cashback) {
      return hcError(
        c,
        422,
        'INSUFFICIENT_CASHBACK',
        'The customer does not have enough cashback balance for this withdrawal.',
      )
    }
    if (req.amountMinor > state.balanceMinor) {
      return hcError(c, 400, MERCHANT_SHORT.code, MERCHANT_SHORT.message)
    }

    const now = rt.nowIso()
    const response: Json = {
      transaction_type: 'money_out',
      withdrawal_id: rt.shortId(),
      client_transaction_id: req.clientTransactionId,
      merchant_name: merchantName,
      site_name: 'Cashback',
      customer_id: req.userId,
      amount: minorToMajorNumber(req.amountMinor + (magic.wrongAmount ? 1 : 0)),
      withdrawal_method: req.method,
      status: 'processing',
      created_at: now,
      updated_at: now,
      payout_method_params: req.params,
      webhook_notification: {
        endpoint_url: req.endpointUrl,
        authorization_header: req.authorization,
      },
    }
    const record: WithdrawalRecord = {
      clientTransactionId: req.clientTransactionId,
      requestHash: hash,
      withdrawalId: response.withdrawal_id as string,
      amountMinor: req.amountMinor,
      userId: req.userId,
      status: 'processing',
      errorCode: null,
      errorMessage: null,
      response,
      requests: 1,
      finishAt: null,
      createdAt: now,
      updatedAt: now,
    }
    state.withdrawals[req.clientTransactionId] = record
    state.balanceMinor -= req.amountMinor
    if (cashback !== undefined) state.cashback[req.userId] = cashback - req.amountMinor
    // Saved before answering: once the client hears "processing", a restart must not forget it.
    rt.store.flush()

    if (magic.earlyCallback) {
      const job = finishWithdrawal(rt, record)
      if (job) await rt.deliver(job.id)
    } else {
      record.finishAt = new Date(rt.clock.now().getTime() + rt.scaled(DELAYS.settle)).toISOString()
      armWithdrawal(rt, record)
    }
    if (magic.slow) await rt.sleep(rt.scaled(DELAYS.slowAnswer))
    return c.json(response, 200)
  }
}

/** Schedules a processing withdrawal to finish at its saved time (again, after a restart). */
export function armWithdrawal(rt: SandboxRuntime, record: WithdrawalRecord) {
  if (record.status !== 'processing' || !record.finishAt) return
  const wait = Math.max(0, new Date(record.finishAt).getTime() - rt.clock.now().getTime())
  rt.later(wait, () => {
    finishWithdrawal(rt, record)
  })
}

/**
 * Settles or fails a withdrawal as its destination dictates, returning the money on failure,
 * and queues the callback (late, twice or at once, as the magic inputs ask).
 */
export function finishWithdrawal(rt: SandboxRuntime, record: WithdrawalRecord) {
  if (record.status !== 'processing') return undefined
  const response = record.response
  const magic = magicFor(
    response.payout_method_params as { account_number?: string; payid?: string },
  )
  const failure = magic.failure
  record.status = failure ? 'failed' : 'settled'
  record.errorCode = failure?.code ?? null
  record.errorMessage = failure?.message ?? null
  record.updatedAt = rt.nowIso()
  record.finishAt = null
  rt.store.changed()
  if (failure) {
    rt.credit(record.amountMinor)
    if (rt.cashbackMode && record.userId !== undefined) {
      rt.state.cashback[record.userId] =
        (rt.state.cashback[record.userId] ?? 0) + record.amountMinor
    }
  }
  const hook = response.webhook_notification as {
    endpoint_url: string
    authorization_header: string
  }
  const body: Json = {
    ...response,
    status: record.status,
    updated_at: record.updatedAt,
    ...(failure ? { error_code: failure.code, error_message: failure.message } : {}),
  }
  const callback = {
    url: hook.endpoint_url,
    authorization: hook.authorization_header,
    body,
    origin: `withdraw:${record.clientTransactionId}`,
  }
  const when = magic.earlyCallback ? 'caller' : magic.lateCallback ? rt.scaled(DELAYS.late) : 0
  const job = rt.enqueueCallback(callback, when)
  if (magic.duplicateCallback) rt.enqueueCallback(callback, rt.scaled(1_000))
  return job
}
