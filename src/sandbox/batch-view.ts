import { type Json, majorToMinor, minorToMajorString } from './http.ts'
import { magicFor } from './magic.ts'
import type { PayoutBatchRecord } from './state.ts'

/** A batch as Hello Clever reports it: v1's PayoutObject, or v2's. */
export function batchView(b: PayoutBatchRecord): Json {
  const total = b.transactions.reduce((sum, t) => sum + t.amountMinor, 0)
  const failed = b.transactions.filter((t) => t.status === 'failed')
  if (b.version === 1) {
    return {
      id: b.id,
      uuid: b.uuid,
      description: b.description,
      payid: b.topUpPayid,
      total_amount: minorToMajorString(total),
      total_refund: minorToMajorString(failed.reduce((sum, t) => sum + t.amountMinor, 0)),
      total_failed_transactions: String(failed.length),
      scheduled_at: b.scheduledAt,
      status: b.status,
      export_url: null,
      payout_notification: b.notification,
      error_code: b.errorCode,
      error_message: b.errorMessage,
      is_retry: b.isRetry,
      external_id: b.externalId,
      payout_transactions: b.transactions.map((t) => ({
        id: t.id,
        balance_id: t.uuid,
        payee: t.payee,
        payid: t.payid,
        payid_type: t.payidType?.toUpperCase() ?? null,
        bsb: t.bsb,
        account_number: t.accountNumber,
        amount: minorToMajorString(t.amountMinor),
        status: t.status,
        error_code: t.errorCode ?? null,
        error_message: t.errorMessage,
        created_at: t.createdAt,
      })),
    }
  }
  return {
    uuid: b.uuid,
    currency: b.currency,
    payout_method_name: b.payoutMethodName,
    description: b.description,
    total_amount: minorToMajorString(total),
    status: b.status,
    webhook_notification: b.notification,
    scheduled_at: b.scheduledAt,
    payout_transactions: b.transactions.map((t) => ({
      uuid: t.uuid,
      balance_id: t.uuid,
      payee: t.payee,
      amount: minorToMajorString(t.amountMinor),
      payout_method_params: t.params,
      status: t.status,
      error_code: t.errorCode ?? null,
      error_message: t.errorMessage,
      created_at: t.createdAt,
    })),
    error_code: b.errorCode,
    error_message: b.errorMessage,
    external_id: b.externalId,
  }
}

/** What a batch's lines ask of the sandbox: the magic of any line applies to the whole batch. */
export function batchMagic(b: {
  transactions: { accountNumber: string | null; payid: string | null }[]
}) {
  const all = b.transactions.map((t) =>
    magicFor({ account_number: t.accountNumber, payid: t.payid }),
  )
  return {
    slow: all.some((m) => m.slow),
    early: all.some((m) => m.earlyCallback),
    twice: all.some((m) => m.duplicateCallback),
    late: all.some((m) => m.lateCallback),
    flaky: all.some((m) => m.flaky),
    refused: all.findIndex((m) => m.refuseField),
    wrongAmount: all.some((m) => m.wrongAmount),
  }
}

/** A view of the batch as reported; with the `skewed` magic, every line one cent off. */
export function reportOf(b: PayoutBatchRecord): Json {
  const view = batchView(b)
  if (!batchMagic(b).wrongAmount || !Array.isArray(view.payout_transactions)) return view
  return {
    ...view,
    total_amount: minorToMajorString(
      (majorToMinor(view.total_amount) ?? 0) + view.payout_transactions.length,
    ),
    payout_transactions: view.payout_transactions.map((t: Json) => ({
      ...t,
      amount: minorToMajorString((majorToMinor(t.amount) ?? 0) + 1),
    })),
  }
}
