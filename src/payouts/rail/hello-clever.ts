import type { Destination } from '../destination.ts'
import { type PayoutRail, RailError, type WithdrawAccepted, type WithdrawRequest } from './rail.ts'

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

/** Hello Clever's cashback withdrawal over HTTP, with `app-id` and `secret-key` headers. */
export function helloCleverRail(options: HelloCleverOptions): PayoutRail {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/v2/cashbacks/withdraw`
  return {
    async withdraw(req: WithdrawRequest): Promise<WithdrawAccepted> {
      let res: Response
      try {
        res = await options.fetch(url, {
          method: 'POST',
          headers: {
            'app-id': options.appId,
            'secret-key': options.secretKey,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body: JSON.stringify(withdrawBody(req)),
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        })
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError'
        throw new RailError(
          'unavailable',
          timedOut ? `no answer within ${options.timeoutMs} ms` : 'could not reach the rail',
        )
      }
      const text = await res.text().catch(() => '')
      const body = parseJson(text)
      if (res.status >= 200 && res.status < 300) {
        const withdrawalId = body?.withdrawal_id
        if (typeof withdrawalId !== 'string' || withdrawalId === '') {
          throw new RailError(
            'unavailable',
            `the rail answered ${res.status} without a withdrawal id`,
            res.status,
          )
        }
        return {
          withdrawalId,
          status: typeof body?.status === 'string' ? body.status : 'processing',
        }
      }
      throw classify(res.status, body)
    },
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** Hello Clever's `{"errors": {...}}` as one RailError saying whether to retry. */
export function classify(status: number, body: Record<string, unknown> | undefined): RailError {
  const errors = (body?.errors ?? {}) as Record<string, unknown>
  const code = typeof errors.code === 'string' ? errors.code : undefined
  const message =
    typeof errors.message === 'string'
      ? errors.message
      : Object.entries(errors)
          .map(([field, text]) => `${field} ${String(text)}`)
          .join('; ') || `HTTP ${status}`
  if (status === 401 || status === 403) return new RailError('unauthorized', message, status)
  // A missing endpoint or an overloaded one says nothing about this payout.
  if (status === 404 || status === 408 || status === 429 || status >= 500 || status < 400) {
    return new RailError('unavailable', message, status)
  }
  if (code === 'INSUFFICIENT_BALANCE') return new RailError('insufficient_funds', message, status)
  if (code === 'DUPLICATE_TRANSACTION' || status === 409) {
    return new RailError('conflict', message, status)
  }
  return new RailError('rejected', message, status)
}
