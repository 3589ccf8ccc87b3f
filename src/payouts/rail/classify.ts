/**
 * What the rail tells us, classified as Hello Clever's documents allow. Only what a document
 * defines is trusted to mean something: `HC_PAYOUT1` (the v1 payouts document's insufficient
 * merchant balance), HTTP 401 (unauthorised), and a field the rail names as invalid. Codes the
 * sandbox invents for failing accounts are listed in README as points to confirm. Anything else
 * is `unknown`: retried where that is safe, then left for a person, and never reported to the
 * provider as the customer's fault.
 */

export type ProblemKind =
  | 'merchant_balance'
  | 'credentials'
  | 'destination'
  | 'unavailable'
  | 'unknown'

export type DestinationField = 'payid' | 'payid_type' | 'account_name' | 'bsb' | 'account_number'

export interface RailProblem {
  kind: ProblemKind
  /** What the rail said, for the operator (digit runs removed: they could be account details). */
  detail: string
  /** The rail's own code, when it sent one. */
  code?: string
  /** For `destination`: the field the rail refused, when it named one. */
  field?: DestinationField
  /** For a batch: the line (0-based) the rail's complaint is about. */
  line?: number
  /** For `destination`: no other account will help (the payee cannot receive payments). */
  final?: boolean
  /** For `unavailable`: the request certainly never arrived (the connection was refused). */
  notReceived?: boolean
}

/** The one table: what each kind means and what Cashout does. README's failure table is this. */
export const FAILURE_TABLE: readonly {
  kind: ProblemKind
  signal: string
  action: string
  customer: string
}[] = [
  {
    kind: 'merchant_balance',
    signal:
      '`HC_PAYOUT1` (in an answer, a batch or a callback), or a line failed for insufficient funds',
    action:
      'The payout waits and is sent again with back-off (a v1 batch sent with `is_retry` waits at Hello Clever instead); the operator is alerted once',
    customer: 'Claim stays in flight, "delayed"; never the customer’s fault',
  },
  {
    kind: 'credentials',
    signal: 'HTTP 401 or 403 (`REQUIRE_LOGIN`)',
    action:
      'A circuit opens for that mode’s rail: nothing more is sent except one probe at a time (30 s, doubling to 5 min); the operator is alerted; `/readyz` says degraded',
    customer: 'Claim stays submitted; nothing fails',
  },
  {
    kind: 'destination',
    signal:
      'HTTP 400/422 naming a destination field; a failed payout with `ACCOUNT_INVALID` or `PAYEE_BLOCKED` (to confirm)',
    action:
      'The payout fails; with attempts left the claim reopens saying which field, `PAYEE_BLOCKED` fails it',
    customer: '`claim.reopened` (code 14) naming the field, or `claim.failed`',
  },
  {
    kind: 'unavailable',
    signal: 'No answer, a timeout, HTTP 5xx, 404, 408 or 429',
    action:
      'Withdraw: sent again under the same `client_transaction_id` with back-off. v1 batch: held for the operator, since a batch has no documented duplicate protection (unless the connection was refused)',
    customer: 'Claim stays submitted',
  },
  {
    kind: 'unknown',
    signal: 'Any other refusal, or a failed payout with a reason no document defines',
    action:
      'A refused request is retried with back-off, then held; a failure the rail reported is held. The operator resolves it',
    customer: 'Claim stays submitted; never reported as the customer’s fault',
  },
]

/** The destination fields, in the order a refusal is searched for them. */
export const DESTINATION_FIELDS: readonly DestinationField[] = [
  'payid_type',
  'payid',
  'account_name',
  'bsb',
  'account_number',
]

/** Sandbox account codes: documented by our sandbox, to confirm with Hello Clever. */
const ACCOUNT_CODES: Record<string, { final: boolean }> = {
  ACCOUNT_INVALID: { final: false },
  PAYEE_BLOCKED: { final: true },
}

const MERCHANT_BALANCE_CODE = 'HC_PAYOUT1'
const INSUFFICIENT = /insufficient funds/i

/** A rail's message kept for people to read, without digit runs that could be account details. */
export function railMessage(text: string): string {
  return text.replace(/\d{5,}/g, '[digits]').slice(0, 300)
}

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The rail's error code, wherever its body keeps one: `error_code`, `errors.code` or `code`. */
export function railCode(body: unknown): string | undefined {
  if (!isObject(body)) return undefined
  const errors = isObject(body.errors) ? body.errors : {}
  for (const value of [body.error_code, errors.code, body.code]) {
    if (typeof value === 'string' && value !== '') return value
  }
  return undefined
}

function railText(body: unknown, status: number): string {
  if (!isObject(body)) return `HTTP ${status}`
  const errors = isObject(body.errors) ? body.errors : undefined
  for (const value of [body.error_message, errors?.message, body.message]) {
    if (typeof value === 'string' && value !== '') return value
  }
  if (errors) {
    const fields = Object.entries(errors).map(([field, text]) => `${field} ${String(text)}`)
    if (fields.length > 0) return fields.join('; ')
  }
  return `HTTP ${status}`
}

/** The first destination field a per-field error map names, and the batch line it is on. */
function namedField(body: unknown): { field: DestinationField; line?: number } | undefined {
  if (!isObject(body) || !isObject(body.errors)) return undefined
  for (const key of Object.keys(body.errors)) {
    const last = key.split('.').at(-1) ?? ''
    const field = DESTINATION_FIELDS.find((f) => f === last)
    if (!field) continue
    const line = /payout_transaction_details\[(\d+)\]/.exec(key)?.[1]
    return { field, ...(line === undefined ? {} : { line: Number(line) }) }
  }
  return undefined
}

/** A request the rail answered with an HTTP error. */
export function classifyRefusal(status: number, body: unknown): RailProblem {
  const code = railCode(body)
  const detail = railMessage(railText(body, status))
  const base = { detail, ...(code ? { code } : {}) }
  if (code === MERCHANT_BALANCE_CODE) return { kind: 'merchant_balance', ...base }
  if (status === 401 || status === 403) return { kind: 'credentials', ...base }
  // A missing endpoint or an overloaded one says nothing about this payout.
  if (status === 404 || status === 408 || status === 429 || status >= 500 || status < 400) {
    return { kind: 'unavailable', ...base }
  }
  if (status === 400 || status === 422) {
    const named = namedField(body)
    if (named) return { kind: 'destination', ...base, ...named }
  }
  return { kind: 'unknown', ...base }
}

/** A payout the rail took and then reported failed, with whatever code and message it gave. */
export function classifyReportedFailure(
  code: string | undefined,
  message: string | undefined,
): RailProblem {
  const detail = railMessage(message ?? 'The rail reported the payout failed, without a reason.')
  const base = { detail, ...(code ? { code } : {}) }
  if (code === MERCHANT_BALANCE_CODE || (message !== undefined && INSUFFICIENT.test(message))) {
    return { kind: 'merchant_balance', ...base }
  }
  const account = code ? ACCOUNT_CODES[code] : undefined
  if (account) return { kind: 'destination', ...base, final: account.final }
  return { kind: 'unknown', ...base }
}
