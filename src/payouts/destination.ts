import { z } from '@hono/zod-openapi'
import type { FieldError } from '../errors/domain-error.ts'
import { fieldErrors } from '../errors/validation.ts'
import { containsCardNumber } from '../log/redact.ts'
import { DESTINATION_MESSAGES as M, tooLong } from './destination-messages.ts'
import type { MaskedDestination } from './masked.ts'

export const PAYID_TYPES = ['email', 'mobile', 'abn', 'org_id'] as const
export type PayIdType = (typeof PAYID_TYPES)[number]

type PayIdDest = { type: 'payid'; payid_type: PayIdType; payid: string }
type BankDest = { type: 'bank'; account_name: string; bsb: string; account_number: string }
export type Destination = PayIdDest | BankDest

const HIDDEN = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/
const FULL_WIDTH = /[\uff01-\uff5e\u3000]/
/** The email rule for PayIDs; the sandbox applies the same one, so the two never disagree. */
export const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/
const ACCOUNT_NAME = /^[A-Za-z0-9' ]+$/
const ORG_ID = /^[A-Za-z0-9][A-Za-z0-9 .&'-]{0,254}[A-Za-z0-9.]$/
const ABN_WEIGHTS = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19]

/** A PayID or account field must be plain text: no invisible or full-width look-alikes. */
function lookAlikeProblem(value: string): string | undefined {
  if (HIDDEN.test(value)) return M.invisible
  if (FULL_WIDTH.test(value)) return M.full_width
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
  const terms = digits.map((d, i) => d * (ABN_WEIGHTS[i] ?? 0))
  // Stryker disable next-line ArithmeticOperator: a negated sum is divisible by 89 just when the sum is
  const sum = terms.reduce((acc, term) => acc + term, 0)
  return sum % 89 === 0
}

function field(missing: string, max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? missing : M.not_text) })
    .max(max, tooLong(max))
}

type Ctx = z.core.$RefinementCtx<unknown>

function problem(ctx: Ctx, path: string, message: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', path: [path], message })
  return z.NEVER
}

/** PayID and its type, normalised: lower-case email, `+61-4xxxxxxxx`, ABN digits, org ID spacing. */
const PayIdDestination = z
  .strictObject({
    type: z.literal('payid'),
    payid_type: z
      .enum(PAYID_TYPES, { error: M.payid_type })
      .openapi({ description: '`email`, `mobile`, `abn` or `org_id`.' }),
    payid: field(M.payid_missing, 320).openapi({
      description: 'Emails are lower-cased; mobiles become `+61-4xxxxxxxx`; ABNs are checked.',
      example: 'jane@example.com',
    }),
  })
  .openapi('PayIdDestination', {
    description: 'A PayID: an email, an Australian mobile, an ABN or an organisation ID.',
  })
  .transform((input, ctx): PayIdDest => {
    const raw = input.payid.trim()
    if (raw === '') return problem(ctx, 'payid', M.payid_missing)
    const lookAlike = lookAlikeProblem(raw)
    if (lookAlike) return problem(ctx, 'payid', lookAlike)
    const payidType = input.payid_type
    if (payidType === 'email') {
      const payid = raw.toLowerCase()
      if (payid.length > 254 || !EMAIL.test(payid)) {
        return problem(ctx, 'payid', M.email)
      }
      return { type: 'payid', payid_type: payidType, payid }
    }
    if (payidType === 'mobile') {
      const payid = normaliseMobile(raw)
      if (!payid) {
        return problem(ctx, 'payid', M.mobile)
      }
      return { type: 'payid', payid_type: payidType, payid }
    }
    if (payidType === 'abn') {
      const payid = raw.replace(/\s/g, '')
      if (!/^\d{11}$/.test(payid)) return problem(ctx, 'payid', M.abn_length)
      if (!abnValid(payid)) return problem(ctx, 'payid', M.abn_checksum)
      return { type: 'payid', payid_type: payidType, payid }
    }
    const payid = raw.replace(/\s+/g, ' ')
    if (!ORG_ID.test(payid)) {
      return problem(ctx, 'payid', M.org_id)
    }
    return { type: 'payid', payid_type: payidType, payid }
  })

/** An Australian bank account: every bad field is named at once. */
const BankDestination = z
  .strictObject({
    type: z.literal('bank'),
    account_name: field(M.account_name_missing, 200).openapi({
      description: 'Letters, digits, spaces and apostrophes.',
      example: 'Jane Citizen',
    }),
    bsb: field(M.bsb, 20).openapi({
      description: '`062-000` or `062000`.',
      example: '062-000',
    }),
    account_number: field(M.account_number, 30).openapi({
      description: '4 to 9 digits.',
      example: '12345678',
    }),
  })
  .openapi('BankDestination', {
    description: 'An Australian bank account: its name, BSB and number.',
  })
  .transform((input, ctx): BankDest => {
    const name = input.account_name.trim().replace(/\s+/g, ' ')
    const bsbRaw = input.bsb.trim()
    const accountRaw = input.account_number.trim()
    const bad = new Set<string>()
    const fail = (path: string, message: string) => {
      bad.add(path)
      ctx.addIssue({ code: 'custom', path: [path], message })
    }
    for (const [path, value] of [
      ['account_name', name],
      ['bsb', bsbRaw],
      ['account_number', accountRaw],
    ] as const) {
      const lookAlike = lookAlikeProblem(value)
      if (lookAlike) fail(path, lookAlike)
    }
    if (name === '') fail('account_name', M.account_name_missing)
    else if (!bad.has('account_name')) {
      if (name.length > 140) fail('account_name', M.account_name_long)
      else if (!ACCOUNT_NAME.test(name)) {
        fail('account_name', M.account_name_characters)
      } else if (containsCardNumber(name)) {
        // The name travels in clear to the bank, the provider's webhook and the claim's view.
        fail('account_name', M.account_name_card)
      }
    }
    const bsb = bsbRaw.replace(/[\s-]/g, '')
    if (!bad.has('bsb') && !/^\d{6}$/.test(bsb)) fail('bsb', M.bsb)
    const account = accountRaw.replace(/[\s-]/g, '')
    if (!bad.has('account_number') && !/^\d{4,9}$/.test(account)) {
      fail('account_number', M.account_number)
    }
    // Any issue added above fails the parse, so this value is only seen when every field passed.
    return { type: 'bank', account_name: name, bsb, account_number: account }
  })

/**
 * Where money goes, in the one shape used everywhere: the API's request body (and so the
 * OpenAPI document), the claim page and the rail request. A PayID or a bank account, never a
 * mix: a field of the other kind, or any unknown field, is refused rather than dropped.
 */
export const DestinationSchema = z
  .discriminatedUnion('type', [PayIdDestination, BankDestination], {
    error: M.type,
  })
  .openapi('Destination', {
    // The generator leaves `mapping` empty when the variants transform; clients need it.
    discriminator: {
      propertyName: 'type',
      mapping: {
        payid: '#/components/schemas/PayIdDestination',
        bank: '#/components/schemas/BankDestination',
      },
    },
    description:
      'A PayID (`type`, `payid_type`, `payid`) or an Australian bank account (`type`, `account_name`, `bsb`, `account_number`). Fields of the other kind are refused.',
  })

/**
 * Checks and normalises a payout destination. Returns the destination in the one shape used
 * everywhere, or a message per field that a person can act on.
 */
export function parseDestination(
  input: unknown,
): { ok: true; destination: Destination } | { ok: false; errors: FieldError[] } {
  const parsed = DestinationSchema.safeParse(input)
  if (parsed.success) return { ok: true, destination: parsed.data }
  return { ok: false, errors: fieldErrors(parsed.error, input, 'json') }
}

const DOT = '•'

/** What may be shown of a destination: enough to recognise it, not enough to reuse it. */

export function maskDestination(d: Destination): MaskedDestination {
  if (d.type === 'bank') {
    return {
      type: 'bank',
      account_name: d.account_name,
      bsb: formatBsb(d.bsb),
      account_number: maskAccountNumber(d.account_number),
    }
  }
  return { type: 'payid', payid_type: d.payid_type, payid: maskPayId(d) }
}

/** The last four digits of an account number (two of a short one), after four dots. */
export function maskAccountNumber(accountNumber: string): string {
  const keep = accountNumber.length >= 6 ? 4 : 2
  return `${DOT.repeat(4)}${accountNumber.slice(-keep)}`
}

function maskPayId(d: Extract<Destination, { type: 'payid' }>): string {
  switch (d.payid_type) {
    case 'email': {
      // `split` always gives a first part; a stored value without `@` has no second.
      const [local, domain = ''] = d.payid.split('@') as [string, string?]
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
