import type { FieldError } from '../errors/domain-error.ts'

export type PayIdType = 'email' | 'mobile' | 'abn' | 'org_id'

export type Destination =
  | { type: 'payid'; payid_type: PayIdType; payid: string }
  | { type: 'bank'; account_name: string; bsb: string; account_number: string }

/** What a customer or provider typed, before normalising. */
export interface DestinationInput {
  type?: unknown
  payid_type?: unknown
  payid?: unknown
  account_name?: unknown
  bsb?: unknown
  account_number?: unknown
}

const HIDDEN = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/
const FULL_WIDTH = /[\uff01-\uff5e\u3000]/
/** The email rule for PayIDs; the sandbox applies the same one, so the two never disagree. */
export const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/
const ACCOUNT_NAME = /^[A-Za-z0-9' ]+$/
const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9 .&'-]{0,254}[A-Za-z0-9.]$/
const ABN_WEIGHTS = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]

export const PAYID_TYPES: PayIdType[] = ['email', 'mobile', 'abn', 'org_id']

/** A PayID or account field must be plain text: no invisible or full-width look-alikes. */
function lookAlikeProblem(value: string): string | undefined {
  if (HIDDEN.test(value)) return 'Contains invisible characters; please type it again.'
  if (FULL_WIDTH.test(value))
    return 'Contains full-width characters; please type it with a standard keyboard layout.'
  return undefined
}

/** `04xx xxx xxx`, `+614…`, `614…` → `+61-4xxxxxxxx` (the form Hello Clever expects). */
export function normaliseMobile(raw: string): string | undefined {
  const digits = raw.replace(/[\s()-]/g, '')
  const match = /^(?:\+?61|0)?(4\d{8})$/.exec(digits)
  return match ? `+61-${match[1]}` : undefined
}

export function abnValid(abn: string): boolean {
  if (!/^\d{11}$/.test(abn)) return false
  const digits = abn.split('').map(Number)
  digits[0] = (digits[0] ?? 0) - 1
  const sum = digits.reduce((acc, d, i) => acc + d * (ABN_WEIGHTS[i] ?? 0), 0)
  return sum % 89 === 0
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/**
 * Checks and normalises a payout destination. Returns the destination in the one shape used
 * everywhere, or a message per field that a person can act on.
 */
export function parseDestination(
  input: DestinationInput,
): { ok: true; destination: Destination } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = []
  const fail = (field: string, message: string) => errors.push({ field, message })

  if (input.type === 'payid') {
    const type = text(input.payid_type)
    const raw = text(input.payid)?.trim() ?? ''
    if (!type || !PAYID_TYPES.includes(type as PayIdType)) {
      fail('payid_type', 'Choose email, mobile, ABN or organisation ID.')
    }
    if (raw === '') fail('payid', 'Enter your PayID.')
    const lookAlike = raw ? lookAlikeProblem(raw) : undefined
    if (lookAlike) fail('payid', lookAlike)
    if (errors.length > 0) return { ok: false, errors }

    const payidType = type as PayIdType
    let payid: string | undefined
    if (payidType === 'email') {
      payid = raw.toLowerCase()
      if (payid.length > 254 || !EMAIL.test(payid)) {
        fail('payid', 'Enter an email address like name@example.com.')
      }
    } else if (payidType === 'mobile') {
      payid = normaliseMobile(raw)
      if (!payid) fail('payid', 'Enter an Australian mobile number, like 0412 345 678.')
    } else if (payidType === 'abn') {
      payid = raw.replace(/\s/g, '')
      if (!/^\d{11}$/.test(payid)) fail('payid', 'An ABN has 11 digits.')
      else if (!abnValid(payid)) fail('payid', 'This is not a valid ABN; check the digits.')
    } else {
      payid = raw.replace(/\s+/g, ' ')
      if (!ORG_ID.test(payid)) {
        fail(
          'payid',
          "Enter the organisation ID as registered: letters, digits, spaces and . & ' -",
        )
      }
    }
    if (errors.length > 0 || !payid) return { ok: false, errors }
    return { ok: true, destination: { type: 'payid', payid_type: payidType, payid } }
  }

  if (input.type === 'bank') {
    const name = (text(input.account_name) ?? '').trim().replace(/\s+/g, ' ')
    const bsbRaw = (text(input.bsb) ?? '').trim()
    const accountRaw = (text(input.account_number) ?? '').trim()
    for (const [field, value] of [
      ['account_name', name],
      ['bsb', bsbRaw],
      ['account_number', accountRaw],
    ] as const) {
      const lookAlike = lookAlikeProblem(value)
      if (lookAlike) fail(field, lookAlike)
    }
    if (name === '') fail('account_name', 'Enter the name on the account.')
    else if (!errors.some((e) => e.field === 'account_name')) {
      if (name.length > 140) fail('account_name', 'Use at most 140 characters.')
      else if (!ACCOUNT_NAME.test(name)) {
        fail(
          'account_name',
          'Use letters, digits, spaces and apostrophes only; the bank transfer does not accept other characters.',
        )
      }
    }
    const bsb = bsbRaw.replace(/[\s-]/g, '')
    if (!errors.some((e) => e.field === 'bsb') && !/^\d{6}$/.test(bsb)) {
      fail('bsb', 'A BSB has 6 digits, like 062-000.')
    }
    const account = accountRaw.replace(/[\s-]/g, '')
    if (!errors.some((e) => e.field === 'account_number') && !/^\d{4,9}$/.test(account)) {
      fail('account_number', 'An account number has 4 to 9 digits.')
    }
    if (errors.length > 0) return { ok: false, errors }
    return {
      ok: true,
      destination: { type: 'bank', account_name: name, bsb, account_number: account },
    }
  }

  fail('type', 'Choose PayID or bank account.')
  return { ok: false, errors }
}

const DOT = '•'

/** What may be shown of a destination: enough to recognise it, not enough to reuse it. */
export function maskDestination(d: Destination): Record<string, string> {
  if (d.type === 'bank') {
    const keep = d.account_number.length >= 6 ? 4 : 2
    return {
      type: 'bank',
      account_name: d.account_name,
      bsb: formatBsb(d.bsb),
      account_number: `${DOT.repeat(4)}${d.account_number.slice(-keep)}`,
    }
  }
  return { type: 'payid', payid_type: d.payid_type, payid: maskPayId(d) }
}

function maskPayId(d: Extract<Destination, { type: 'payid' }>): string {
  switch (d.payid_type) {
    case 'email': {
      const [local = '', domain = ''] = d.payid.split('@')
      return `${local.slice(0, 1)}${DOT.repeat(3)}@${domain}`
    }
    case 'mobile':
      return `+61-4${DOT.repeat(4)}${d.payid.slice(-4)}`
    case 'abn':
      return `${DOT.repeat(8)}${d.payid.slice(-3)}`
    case 'org_id':
      return `${d.payid.slice(0, 2)}${DOT.repeat(4)}`
  }
}

export function formatBsb(bsb: string): string {
  return `${bsb.slice(0, 3)}-${bsb.slice(3)}`
}

/** The normalised destination as a person reviews it before confirming (full, not masked). */
export function describeDestination(d: Destination): string {
  if (d.type === 'bank')
    return `${d.account_name}, BSB ${formatBsb(d.bsb)}, account ${d.account_number}`
  return d.payid
}
