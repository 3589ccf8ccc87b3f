import { majorToMinor, minorToMajor } from '../../money.ts'
import type { Destination } from '../destination.ts'
import { classifyRefusal, railMessage } from './classify.ts'
import {
  type BatchReport,
  type BatchRequest,
  type PayoutRail,
  RailError,
  type ReportedLine,
  type WithdrawAccepted,
  type WithdrawRequest,
} from './rail.ts'

export interface HelloCleverOptions {
  baseUrl: string
  appId: string
  secretKey: string
  timeoutMs: number
  fetch: typeof fetch
}

export function methodOf(destination: Destination) {
  return destination.type === 'bank' ? ('au_bank_npp_aud' as const) : ('au_payid_npp_aud' as const)
}

function methodParams(d: Destination): Record<string, string> {
  return d.type === 'bank'
    ? { bsb: d.bsb, account_number: d.account_number, account_name: d.account_name }
    : { payid: d.payid, payid_type: d.payid_type }
}

/** The body of POST /v2/cashbacks/withdraw, field for field as the seed documents it. */
export function withdrawBody(req: WithdrawRequest) {
  return {
    user_id: req.userId,
    client_transaction_id: req.clientTransactionId,
    cashback_transaction_detail: {
      payment_description: req.description,
      currency: req.currency,
      amount: Number(req.amountMinor),
      payout_method_name: methodOf(req.destination),
      payout_method_params: methodParams(req.destination),
    },
    webhook_notification: {
      endpoint_url: req.callbackUrl,
      authorization_headers: req.callbackAuthorization,
    },
  }
}

/**
 * The body of POST /v1/payouts: amounts in major units as exact decimal strings, a PayID or a
 * BSB and account number per line (never both, as the document requires), and `is_retry`, so
 * a batch short of balance waits for a top-up at Hello Clever instead of expiring.
 */
export function batchBody(req: BatchRequest) {
  return {
    payout_transaction_details: req.lines.map((line) => ({
      payee: line.payee,
      amount: minorToMajor(line.amountMinor),
      ...(line.destination.type === 'bank'
        ? { bsb: line.destination.bsb, account_number: line.destination.account_number }
        : { payid: line.destination.payid, payid_type: line.destination.payid_type }),
    })),
    description: req.description,
    is_retry: true,
    external_id: req.externalId,
    endpoint_url: req.callbackUrl,
    authorization_header: req.callbackAuthorization,
  }
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== ''
    ? value
    : typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : undefined

/** A v1 PayoutObject (an answer or a callback body), or undefined if the body is not one. */
export function parseBatchReport(body: unknown): BatchReport | undefined {
  if (!isObject(body) || !Array.isArray(body.payout_transactions)) return undefined
  const lines: ReportedLine[] = body.payout_transactions.map((item) => {
    const t = isObject(item) ? item : {}
    return {
      id: str(t.id),
      amountMinor: majorToMinor(t.amount),
      status: str(t.status),
      errorCode: str(t.error_code),
      errorMessage: str(t.error_message),
      payid: str(t.payid),
      bsb: str(t.bsb),
      accountNumber: str(t.account_number),
    }
  })
  return {
    uuid: str(body.uuid),
    id: str(body.id),
    externalId: str(body.external_id),
    status: str(body.status),
    totalMinor: majorToMinor(body.total_amount),
    errorCode: str(body.error_code),
    errorMessage: str(body.error_message),
    lines,
  }
}

/** Hello Clever's payout APIs over HTTP, with `app-id` and `secret-key` headers. */
export function helloCleverRail(options: HelloCleverOptions): PayoutRail {
  const base = options.baseUrl.replace(/\/+$/, '')

  async function post(path: string, body: unknown): Promise<Json | undefined> {
    let res: Response
    try {
      res = await options.fetch(`${base}${path}`, {
        method: 'POST',
        headers: {
          'app-id': options.appId,
          'secret-key': options.secretKey,
          'Content-Type': 'application/json',
          Accept: 'application/json',
        },
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      })
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError'
      const refused = connectionRefused(error)
      throw new RailError({
        kind: 'unavailable',
        detail: timedOut
          ? `no answer within ${options.timeoutMs} ms`
          : refused
            ? 'the rail refused the connection'
            : 'could not reach the rail',
        ...(refused ? { notReceived: true } : {}),
      })
    }
    const text = await res.text().catch(() => '')
    const parsed = parseJson(text)
    if (res.status >= 200 && res.status < 300) return parsed
    throw new RailError(classifyRefusal(res.status, parsed), res.status)
  }

  const unreadable = (what: string) =>
    new RailError({ kind: 'unavailable', detail: railMessage(`the rail answered ${what}`) })

  return {
    async withdraw(req: WithdrawRequest): Promise<WithdrawAccepted> {
      const body = await post('/v2/cashbacks/withdraw', withdrawBody(req))
      const withdrawalId = body?.withdrawal_id
      if (typeof withdrawalId !== 'string' || withdrawalId === '') {
        throw unreadable('2xx without a withdrawal id')
      }
      const amountMinor = majorToMinor(body?.amount)
      return {
        withdrawalId,
        status: typeof body?.status === 'string' ? body.status : 'processing',
        amountMinor,
        amountReadable: body?.amount === undefined || amountMinor !== undefined,
      }
    },

    async createBatch(req: BatchRequest): Promise<BatchReport> {
      const body = await post('/v1/payouts', batchBody(req))
      const report = parseBatchReport(body)
      if (!report) throw unreadable('2xx without a payout object')
      return report
    },
  }
}

function connectionRefused(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined
  return cause?.code === 'ECONNREFUSED'
}

function parseJson(text: string): Json | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return isObject(value) ? value : undefined
  } catch {
    return undefined
  }
}
