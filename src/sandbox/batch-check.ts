import { EMAIL } from '../payouts/destination.ts'
import { FieldCheck, isObject, type Json, majorToMinor } from './http.ts'
import { AU_METHODS, type BankParams, checkMethodParams, type PayIdParams } from './params.ts'

export interface BatchLine {
  payee: string
  email: string
  amountMinor: number
  payid: string | null
  payidType: string | null
  bsb: string | null
  accountNumber: string | null
  params: Record<string, string>
  externalId: string | null
}

export interface BatchRequest {
  version: 1 | 2
  currency: string
  methodName: string | null
  description: string
  scheduledAt: string | null
  isRetry: boolean
  externalId: string | null
  notification: { endpoint_url: string; authorization_header: string } | null
  lines: BatchLine[]
}

type Checked = { ok: true; request: BatchRequest } | { ok: false; errors: Record<string, string> }

const PAYEE_V1 = /^[a-zA-Z0-9 ']+$/
const NAME_V2 = /^(?! )(?! *$)[a-zA-Z0-9 ]*(?<! )$/
const SCHEDULED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:?\d{2})?$/
const MAX_LINES = 1000

function lines(check: FieldCheck, body: Json): Json[] {
  const raw = body.payout_transaction_details
  if (!Array.isArray(raw) || raw.length === 0) {
    check.fail('payout_transaction_details', "can't be blank")
    return []
  }
  if (raw.length > MAX_LINES)
    check.fail('payout_transaction_details', `must have at most ${MAX_LINES} transactions`)
  return raw.map((item, i) => {
    if (!isObject(item)) check.fail(`payout_transaction_details[${i}]`, 'must be an object')
    return isObject(item) ? item : {}
  })
}

function common(check: FieldCheck, body: Json, maxDescription: number) {
  const description =
    check.string('description', { required: true, min: 5, max: maxDescription }) ?? ''
  const scheduledAt = check.string('scheduled_at', { pattern: SCHEDULED }) ?? null
  if (scheduledAt && Number.isNaN(asUtc(scheduledAt).getTime()))
    check.fail('scheduled_at', 'is invalid')
  if (body.is_retry !== undefined && typeof body.is_retry !== 'boolean')
    check.fail('is_retry', 'must be true or false')
  const externalId = check.string('external_id', { max: 255 }) ?? null
  return { description, scheduledAt, isRetry: body.is_retry === true, externalId }
}

function amount(check: FieldCheck, field: string, value: unknown): number {
  const minor = majorToMinor(value)
  if (value === undefined || value === null) check.fail(field, "can't be blank")
  else if (minor === undefined || minor <= 0)
    check.fail(field, 'must be a positive amount with at most 2 decimal places')
  return minor ?? 0
}

function notification(
  check: FieldCheck,
  url: unknown,
  header: unknown,
  required: boolean,
  prefix: string,
) {
  if (url === undefined && !required) return null
  if (typeof url !== 'string' || !URL.canParse(url))
    check.fail(`${prefix}endpoint_url`, 'is not a valid URL')
  if (typeof header !== 'string' || header === '')
    check.fail(`${prefix}authorization_header`, "can't be blank")
  return typeof url === 'string' && typeof header === 'string'
    ? { endpoint_url: url, authorization_header: header }
    : null
}

/**
 * POST /v1/payouts: payee, amount (major units), and a PayID or BSB + account each. The
 * document's example has an email per line but does not say it is required; the sandbox takes
 * it when given (to confirm with Hello Clever).
 */
export function checkPayoutV1(body: unknown): Checked {
  if (!isObject(body)) return { ok: false, errors: { base: 'request body must be a JSON object' } }
  const check = new FieldCheck(body)
  const shared = common(check, body, 140)
  const result = lines(check, body).map((item, i): BatchLine => {
    const at = `payout_transaction_details[${i}]`
    const line = new FieldCheck(item)
    const payee = line.string('payee', { required: true, max: 140, pattern: PAYEE_V1 }) ?? ''
    const email = line.string('email', { max: 254, pattern: EMAIL }) ?? ''
    for (const [field, message] of Object.entries(line.errors))
      check.fail(`${at}.${field}`, message)
    const hasPayid = typeof item.payid === 'string' && item.payid !== ''
    const method = hasPayid ? 'au_payid_npp_aud' : 'au_bank_npp_aud'
    const payidType = typeof item.payid_type === 'string' ? item.payid_type : inferType(item.payid)
    const params = checkMethodParams(check, at, method, {
      ...pick(item, ['payid', 'bsb', 'account_number']),
      ...(hasPayid ? { payid_type: payidType } : {}),
    })
    return line_(payee, email, amount(check, `${at}.amount`, item.amount), params, null)
  })
  const note = notification(check, body.endpoint_url, body.authorization_header, false, '')
  if (!check.ok) return { ok: false, errors: check.errors }
  return {
    ok: true,
    request: {
      version: 1,
      currency: 'AUD',
      methodName: null,
      ...shared,
      notification: note,
      lines: result,
    },
  }
}

/** POST /v2/payouts: one currency and method for the batch; first and last names per line. */
export function checkPayoutV2(body: unknown): Checked {
  if (!isObject(body)) return { ok: false, errors: { base: 'request body must be a JSON object' } }
  const check = new FieldCheck(body)
  const shared = common(check, body, 90)
  const currency = check.string('currency', { required: true, pattern: /^[A-Z]{3}$/ })
  if (currency && currency !== 'AUD') check.fail('currency', 'is not supported')
  const method = check.string('payout_method_name', { required: true })
  if (method && !(AU_METHODS as readonly string[]).includes(method))
    check.fail('payout_method_name', 'is not supported')
  const hook = isObject(body.webhook_notification) ? body.webhook_notification : {}
  if (!isObject(body.webhook_notification)) check.fail('webhook_notification', "can't be blank")
  const note = notification(
    check,
    hook.endpoint_url,
    hook.authorization_header,
    true,
    'webhook_notification.',
  )
  const result = lines(check, body).map((item, i): BatchLine => {
    const at = `payout_transaction_details[${i}]`
    const line = new FieldCheck(item)
    const first = line.string('first_name', { required: true, max: 70, pattern: NAME_V2 }) ?? ''
    const last = line.string('last_name', { required: true, max: 70, pattern: NAME_V2 }) ?? ''
    const email = line.string('email', { required: true, max: 254, pattern: EMAIL }) ?? ''
    const externalId = line.string('external_id', { max: 255 }) ?? null
    for (const [field, message] of Object.entries(line.errors))
      check.fail(`${at}.${field}`, message)
    const params = checkMethodParams(
      check,
      `${at}.payout_method_params`,
      method,
      item.payout_method_params,
    )
    return line_(
      `${first} ${last}`,
      email,
      amount(check, `${at}.amount`, item.amount),
      params,
      externalId,
    )
  })
  if (!check.ok || !currency || !method) return { ok: false, errors: check.errors }
  return {
    ok: true,
    request: {
      version: 2,
      currency,
      methodName: method,
      ...shared,
      notification: note,
      lines: result,
    },
  }
}

function line_(
  payee: string,
  email: string,
  amountMinor: number,
  params: BankParams | PayIdParams | undefined,
  externalId: string | null,
): BatchLine {
  const payid = params && 'payid' in params ? params : undefined
  const bank = params && 'bsb' in params ? params : undefined
  return {
    payee,
    email,
    amountMinor,
    payid: payid?.payid ?? null,
    payidType: payid?.payid_type ?? null,
    bsb: bank?.bsb ?? null,
    accountNumber: bank?.account_number ?? null,
    params: { ...(params as unknown as Record<string, string>) },
    externalId,
  }
}

function inferType(payid: unknown): string | undefined {
  if (typeof payid !== 'string') return undefined
  if (payid.includes('@')) return 'email'
  if (payid.startsWith('+61')) return 'mobile'
  return /^\d{11}$/.test(payid) ? 'abn' : 'org_id'
}

function pick(item: Json, keys: string[]): Json {
  return Object.fromEntries(keys.filter((k) => item[k] !== undefined).map((k) => [k, item[k]]))
}

/** `scheduled_at` is UTC; a value without an offset is read as such. */
export function asUtc(value: string): Date {
  return new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`)
}
