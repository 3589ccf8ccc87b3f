import type { Rule } from '../db/schema.ts'
import { isDomainError } from '../errors/domain-error.ts'
import { displayMoney } from '../page/format.ts'
import { capsView, priceClaim, type RuleTerms } from '../rules/quote.ts'
import type { RuleFields } from '../rules/repository.ts'
import {
  groupDigits,
  type LifetimeUnit,
  type RuleFormResult,
  type RuleFormValues,
} from './rules-form.ts'
import { type HistoryEntry, historyModel } from './rules-history.ts'

/** What the preview region shows: a prompt, why the points cannot be cashed out, or the quote. */
export type PreviewModel =
  | { kind: 'prompt'; message: string }
  | { kind: 'problem'; message: string }
  | {
      kind: 'quote'
      points: string
      receives: string
      gross: string
      fee: string
      feeNote: string
      floatGives: string
      /** Set when even a customer's first claim of this size would be over a cap. */
      capNote?: string
    }

const PROMPT: PreviewModel = {
  kind: 'prompt',
  message: 'Type a number of points in “Try points” to see what the customer receives.',
}

/**
 * Prices `pointsText` under the rule as typed, with `priceClaim`: the same code that answers
 * `POST /cashout/quote` and prices every claim, so the preview cannot disagree with them.
 */
export function previewModel(
  fields: RuleFields | undefined,
  version: number,
  pointsText: string,
): PreviewModel {
  const text = pointsText.replace(/[\s,_]/g, '')
  if (text === '') return PROMPT
  if (!/^\d{1,16}$/.test(text) || BigInt(text) > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { kind: 'problem', message: 'Enter a whole number of points, like 2500.' }
  }
  const points = BigInt(text)
  if (points < 1n) return { kind: 'problem', message: 'Enter at least 1 point.' }
  if (!fields) {
    return { kind: 'problem', message: 'Correct the rule above to see a preview.' }
  }
  const terms: RuleTerms = { ...fields, version }
  const money = (minor: bigint) => displayMoney(minor, fields.currency)
  try {
    const q = priceClaim(terms, points)
    return {
      kind: 'quote',
      points: `${groupDigits(points)} point${points === 1n ? '' : 's'}`,
      receives: money(q.net_minor),
      gross: money(q.gross_minor),
      fee: money(q.fee_minor),
      feeNote:
        q.fee_minor === 0n
          ? 'no fee'
          : q.fee_payer === 'customer'
            ? 'paid by the customer, out of the payout'
            : 'paid by you, from the float',
      floatGives: money(q.reserved_minor),
      capNote: capNote(terms, q.net_minor, money),
    }
  } catch (error) {
    return { kind: 'problem', message: problemText(error, terms, points, money) }
  }
}

/** Generate refuses a claim over a customer's cap (`assertWithinCaps`); say so before it does. */
function capNote(terms: RuleTerms, net: bigint, money: (minor: bigint) => string) {
  const caps = capsView(terms, { daily_minor: 0n, thirty_day_minor: 0n })
  for (const [name, cap] of [
    ['daily', caps.daily],
    ['30-day', caps.thirty_day],
  ] as const) {
    if (cap && net > cap.limit_minor) {
      return `This is over the ${name} cap of ${money(cap.limit_minor)} per customer, so such a claim would be refused.`
    }
  }
  return undefined
}

function problemText(
  error: unknown,
  terms: RuleTerms,
  points: bigint,
  money: (minor: bigint) => string,
): string {
  const pts = (n: bigint) => `${groupDigits(n)} point${n === 1n ? '' : 's'}`
  if (isDomainError(error, 'amount_out_of_range')) {
    return points < terms.min_points
      ? `Below the minimum: a claim must be at least ${pts(terms.min_points)}.`
      : `Above the maximum: a claim can be at most ${pts(terms.max_points ?? points)}.`
  }
  if (isDomainError(error, 'amount_not_in_steps')) {
    const below = (points / terms.step_points) * terms.step_points
    const options = [below, below + terms.step_points].filter((n) => n >= terms.min_points)
    return `Not a multiple of ${pts(terms.step_points)}: try ${options.map(groupDigits).join(' or ')}.`
  }
  if (isDomainError(error, 'amount_too_small')) {
    // Priced as if the float paid the fee, to say what the points are worth and what the fee is.
    const q = priceClaim({ ...terms, fee_payer: 'provider' }, points)
    return `${pts(points)} are worth ${money(q.gross_minor)}: after the ${money(q.fee_minor)} fee nothing is left for the customer.`
  }
  if (isDomainError(error, 'amount_too_large')) return 'That is too many points for one claim.'
  throw error
}

/** Minutes, hours and days; seconds only for a lifetime set through the API that needs them. */
export function lifetimeOptions(current: string): { value: string; label: string }[] {
  return (['minutes', 'hours', 'days', 'seconds'] as LifetimeUnit[])
    .filter((unit) => unit !== 'seconds' || current === 'seconds')
    .map((unit) => ({ value: unit, label: unit }))
}

export interface RulesPageModel {
  values: RuleFormValues
  tryPoints: string
  errors: Partial<Record<string, string>>
  lifetimeUnits: { value: string; label: string }[]
  reminderUnits: { value: string; label: string }[]
  preview: PreviewModel
  history: HistoryEntry[]
  currentVersion: number
  livemode: boolean
  canEdit: boolean
  role: string
  notice?: string
}

/** The page from the versions (newest first), what was typed, and how it parsed. */
export function rulesPageModel(input: {
  versions: Rule[]
  values: RuleFormValues
  parsed: RuleFormResult
  tryPoints: string
  timeZone: string
  livemode: boolean
  canEdit: boolean
  role: string
  saved?: number
}): RulesPageModel {
  const current = input.versions[0]
  const version = current?.version ?? 0
  return {
    values: input.values,
    tryPoints: input.tryPoints,
    errors: input.parsed.ok ? {} : input.parsed.errors,
    lifetimeUnits: lifetimeOptions(input.values.lifetime_unit),
    reminderUnits: lifetimeOptions(input.values.reminder_unit),
    preview: previewModel(
      input.parsed.ok ? input.parsed.fields : undefined,
      version,
      input.tryPoints,
    ),
    history: historyModel(input.versions, input.timeZone),
    currentVersion: version,
    livemode: input.livemode,
    canEdit: input.canEdit,
    role: input.role,
    notice: input.saved === undefined ? undefined : `Saved as version ${input.saved}.`,
  }
}
