import type { Context } from 'hono'
import { asUtc, type BatchRequest, checkPayoutV1, checkPayoutV2 } from './batch-check.ts'
import { batchMagic, batchView, reportOf } from './batch-view.ts'
import { hcError, hcFieldErrors, readJson } from './http.ts'
import { magicFor } from './magic.ts'
import { DELAYS, type SandboxRuntime } from './runtime.ts'
import type { PayoutBatchRecord } from './state.ts'

const INSUFFICIENT = {
  code: 'HC_PAYOUT1',
  message: 'Insufficient funds to payout. Please top up balance in the dashboard.',
}

function notify(rt: SandboxRuntime, b: PayoutBatchRecord, delayMs: number | 'caller' = 0) {
  if (!b.notification) return undefined
  const callback = {
    url: b.notification.endpoint_url,
    authorization: b.notification.authorization_header,
    body: reportOf(b),
    origin: `payout:${b.uuid}`,
  }
  const job = rt.enqueueCallback(callback, delayMs)
  if (b.status === 'completed' && batchMagic(b).twice)
    rt.enqueueCallback(callback, rt.scaled(1_000))
  return job
}

/**
 * Funds and pays a batch: each transaction settles or fails by its own destination, and a
 * failure never stops the batch completing. Without funds, a batch with `is_retry` waits for
 * a top-up (HC_PAYOUT1); one without expires.
 */
export function processBatch(rt: SandboxRuntime, b: PayoutBatchRecord) {
  if (b.status === 'completed' || b.status === 'expired') return
  const total = b.transactions.reduce((sum, t) => sum + t.amountMinor, 0)
  if (total > rt.state.balanceMinor) {
    b.errorCode = INSUFFICIENT.code
    b.errorMessage = INSUFFICIENT.message
    b.status = b.isRetry ? 'processing' : 'expired'
    if (!b.isRetry)
      for (const t of b.transactions)
        Object.assign(t, {
          status: 'failed',
          errorCode: INSUFFICIENT.code,
          errorMessage: 'Insufficient funds',
        })
    rt.store.changed()
    notify(rt, b)
    return
  }
  rt.state.balanceMinor -= total
  b.errorCode = null
  b.errorMessage = null
  b.status = 'processing'
  rt.store.changed()
  notify(rt, b)
  rt.later(rt.scaled(DELAYS.settle), () => {
    completeBatch(rt, b)
  })
}

/** Pays each line or fails it as its destination dictates, then reports the batch complete. */
function completeBatch(rt: SandboxRuntime, b: PayoutBatchRecord, early = false) {
  if (b.status === 'completed') return undefined
  for (const t of b.transactions) {
    const failure = magicFor({ account_number: t.accountNumber, payid: t.payid }).failure
    t.status = failure ? 'failed' : 'settled'
    t.errorCode = failure?.code ?? null
    t.errorMessage = failure?.message ?? null
    if (failure) rt.credit(t.amountMinor)
  }
  b.status = 'completed'
  rt.store.changed()
  return notify(rt, b, early ? 'caller' : batchMagic(b).late ? rt.scaled(DELAYS.late) : 0)
}

/** Re-arms batches that had not finished when the sandbox last stopped. */
export function resumeBatches(rt: SandboxRuntime) {
  for (const b of Object.values(rt.state.batches)) {
    if (b.status === 'completed' || b.status === 'expired') continue
    const at = b.scheduledAt ? new Date(b.scheduledAt).getTime() : 0
    const wait = Math.max(0, at - rt.clock.now().getTime())
    if (b.status === 'processing' && b.errorCode === null) {
      b.status = 'created'
      rt.state.balanceMinor += b.transactions.reduce((sum, t) => sum + t.amountMinor, 0)
    }
    rt.later(wait, () => processBatch(rt, b))
  }
}

/** Batches waiting for funds try again whenever the balance grows. */
export function retryWaitingBatches(rt: SandboxRuntime) {
  for (const b of Object.values(rt.state.batches)) {
    if (b.status === 'processing' && b.errorCode === INSUFFICIENT.code) processBatch(rt, b)
  }
}

function createBatch(rt: SandboxRuntime, req: BatchRequest, manual = false): PayoutBatchRecord {
  const now = rt.nowIso()
  const id = rt.nextId()
  const scheduled = req.scheduledAt ? asUtc(req.scheduledAt) : null
  const delay = scheduled ? Math.max(0, scheduled.getTime() - rt.clock.now().getTime()) : 0
  const batch: PayoutBatchRecord = {
    version: req.version,
    id,
    uuid: req.version === 1 ? crypto.randomUUID() : rt.shortId(),
    currency: req.currency,
    payoutMethodName: req.methodName,
    description: req.description,
    status: delay > 0 ? 'scheduled' : 'created',
    scheduledAt: scheduled?.toISOString() ?? null,
    isRetry: req.isRetry,
    externalId: req.externalId,
    notification: req.notification,
    errorCode: null,
    errorMessage: null,
    topUpPayid: `payout${id}@sandbox.helloclever.test`,
    transactions: req.lines.map((line) => ({
      id: rt.nextId(),
      uuid: crypto.randomUUID(),
      payee: line.payee,
      email: line.email,
      amountMinor: line.amountMinor,
      payid: line.payid,
      payidType: line.payidType,
      bsb: line.bsb,
      accountNumber: line.accountNumber,
      params: line.params,
      externalId: line.externalId,
      status: 'pending',
      errorMessage: null,
      createdAt: now,
    })),
    createdAt: now,
  }
  rt.state.batches[batch.uuid] = batch
  rt.store.changed()
  if (manual) {
    // Paid at once, before the answer, for the `early` magic.
    rt.state.balanceMinor -= batch.transactions.reduce((sum, t) => sum + t.amountMinor, 0)
  } else rt.later(delay, () => processBatch(rt, batch))
  return batch
}

export function createPayoutHandler(rt: SandboxRuntime, version: 1 | 2) {
  return async (c: Context) => {
    const parsed = await readJson(c)
    if (!parsed.ok) return hcError(c, 400, 'BAD_REQUEST', 'The request body is not valid JSON.')
    const checked = version === 1 ? checkPayoutV1(parsed.body) : checkPayoutV2(parsed.body)
    if (!checked.ok) return hcFieldErrors(c, 422, checked.errors)
    const request = checked.request
    const magic = batchMagic({
      transactions: request.lines.map((l) => ({ accountNumber: l.accountNumber, payid: l.payid })),
    })
    // Flaky: a 503 the first time a line's destination and amount are asked for, so the same
    // payout sent again (in another batch) goes through.
    const flakyKeys = request.lines.map(
      (l) => `line:${l.payid ?? `${l.bsb}/${l.accountNumber}`}:${l.amountMinor}`,
    )
    if (magic.flaky && flakyKeys.some((key) => !rt.state.flakySeen[key])) {
      for (const key of flakyKeys) rt.state.flakySeen[key] = true
      rt.store.changed()
      return hcError(
        c,
        503,
        'SERVICE_UNAVAILABLE',
        'The payout service is temporarily unavailable.',
      )
    }
    if (magic.refused >= 0) {
      const line = request.lines[magic.refused]
      const field = line?.payid ? 'payid' : 'account_number'
      const params = version === 2 ? 'payout_method_params.' : ''
      return hcFieldErrors(c, 422, {
        [`payout_transaction_details[${magic.refused}].${params}${field}`]:
          'is not accepted by the receiving institution',
      })
    }
    // `early` pays before answering, but only what could be paid now: funded and not scheduled.
    const total = request.lines.reduce((sum, l) => sum + l.amountMinor, 0)
    const early = magic.early && !request.scheduledAt && total <= rt.state.balanceMinor
    const batch = createBatch(rt, request, early)
    // Reported as created: processing and completion come by callback.
    const answer = reportOf(batch)
    if (early) {
      const job = completeBatch(rt, batch, true)
      if (job) await rt.deliver(job.id)
    }
    if (magic.slow) await rt.sleep(rt.scaled(DELAYS.slowAnswer))
    return c.json(answer, 200)
  }
}

export function payoutDetailHandler(rt: SandboxRuntime, version: 1 | 2) {
  return (c: Context) => {
    const uuid = c.req.query('uuid')
    const id = c.req.query('id')
    if (!uuid && !(version === 1 && id)) return hcFieldErrors(c, 422, { uuid: "can't be blank" })
    const batch = Object.values(rt.state.batches).find(
      (b) => b.version === version && (uuid ? b.uuid === uuid : String(b.id) === id),
    )
    if (!batch) return hcError(c, 404, 'NOT_FOUND', 'Payout not found')
    return c.json(batchView(batch), 200)
  }
}
