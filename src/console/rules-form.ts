import type { z } from '@hono/zod-openapi'
import { displayMoney } from '../page/format.ts'
import type { RuleFields } from '../rules/repository.ts'
import { RuleBody, ruleFields } from '../rules/schemas.ts'

/**
 * The rules form as a person types it: rates in points and dollars, the fee in dollars and
 * percent, the lifetime in a unit of their choice. Every value stays text until it is parsed
 * exactly (no floating point), then checked by the API's own schema.
 */
export interface RuleFormValues {
  points: string
  cash: string
  fee_fixed: string
  fee_percent: string
  fee_payer: string
  min_points: string
  max_points: string
  step_points: string
  cap_daily: string
  cap_30d: string
  lifetime: string
  lifetime_unit: string
  /** How long before expiry to send the reminder; empty for none. */
  reminder: string
  reminder_unit: string
}

export const FORM_FIELDS = [
  'points',
  'cash',
  'fee_fixed',
  'fee_percent',
  'fee_payer',
  'min_points',
  'max_points',
  'step_points',
  'cap_daily',
  'cap_30d',
  'lifetime',
  'lifetime_unit',
  'reminder',
  'reminder_unit',
] as const satisfies readonly (keyof RuleFormValues)[]

export const LIFETIME_UNITS = { days: 86_400, hours: 3_600, minutes: 60, seconds: 1 } as const
export type LifetimeUnit = keyof typeof LIFETIME_UNITS

/** Thousands separators, as people read amounts of points: `12,500`. */
export function groupDigits(n: bigint | number): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** `1.50` from 150 minor units: what the Cash and fee fields hold (no symbol, no separators). */
export function dollarsText(minor: bigint): string {
  return `${minor / 100n}.${(minor % 100n).toString().padStart(2, '0')}`
}

/** `1.5` from 150 basis points; `0` for none. */
export function percentText(bps: number): string {
  const whole = Math.trunc(bps / 100)
  const cents = (bps % 100).toString().padStart(2, '0').replace(/0+$/, '')
  return cents ? `${whole}.${cents}` : String(whole)
}

/** The largest unit that states the lifetime exactly: 604800 s is `7` days. */
export function lifetimeParts(seconds: number): { value: string; unit: LifetimeUnit } {
  for (const unit of ['days', 'hours', 'minutes'] as const) {
    if (seconds % LIFETIME_UNITS[unit] === 0) {
      return { value: String(seconds / LIFETIME_UNITS[unit]), unit }
    }
  }
  return { value: String(seconds), unit: 'seconds' }
}

export function formFromRule(rule: RuleFields): RuleFormValues {
  const lifetime = lifetimeParts(rule.claim_lifetime_seconds)
  const reminder =
    rule.expiry_reminder_seconds === null
      ? { value: '', unit: 'hours' }
      : lifetimeParts(rule.expiry_reminder_seconds)
  const maybe = (n: bigint | null, show: (n: bigint) => string) => (n === null ? '' : show(n))
  return {
    points: rule.rate_points.toString(),
    cash: dollarsText(rule.rate_cash_minor),
    fee_fixed: dollarsText(rule.fee_fixed_minor),
    fee_percent: percentText(rule.fee_bps),
    fee_payer: rule.fee_payer,
    min_points: rule.min_points.toString(),
    max_points: maybe(rule.max_points, String),
    step_points: rule.step_points.toString(),
    cap_daily: maybe(rule.cap_daily_minor, dollarsText),
    cap_30d: maybe(rule.cap_30d_minor, dollarsText),
    lifetime: lifetime.value,
    lifetime_unit: lifetime.unit,
    reminder: reminder.value,
    reminder_unit: reminder.unit,
  }
}

/** The form's values from a posted form or a query string; anything missing is empty. */
export function formValues(source: Record<string, string | undefined>): RuleFormValues {
  const values = {} as RuleFormValues
  for (const key of FORM_FIELDS) values[key] = (source[key] ?? '').trim().slice(0, 40)
  return values
}

type Parsed = { ok: true; value: number | null } | { ok: false; message: string }

const WHOLE = /^\d{1,30}$/
const DOLLARS = /^(\d{0,30})(?:\.(\d*))?$/
const PERCENT = /^(\d{1,6})(?:\.(\d*))?$/

/** Separators people type (`12,500`, `12 500`) are not part of the number. */
const bare = (text: string) => text.replace(/[\s,_]/g, '')

function wholeNumber(text: string, empty: Parsed): Parsed {
  const t = bare(text)
  if (t === '') return empty
  if (!WHOLE.test(t)) return { ok: false, message: 'Enter a whole number, like 100.' }
  return { ok: true, value: Number(t) }
}

/** Dollars and cents, read digit by digit into cents: `1.5` is exactly 150. */
function dollars(text: string, empty: Parsed): Parsed {
  const t = bare(text).replace(/^\$/, '')
  if (t === '') return empty
  const match = DOLLARS.exec(t)
  if (!match || t === '.') return { ok: false, message: 'Enter an amount in dollars, like 1.50.' }
  const cents = match[2] ?? ''
  if (cents.length > 2) return { ok: false, message: 'Use at most two decimal places, like 1.50.' }
  return { ok: true, value: Number(BigInt(match[1] || '0') * 100n + BigInt(cents.padEnd(2, '0'))) }
}

/** A percentage into basis points: `1.5` is exactly 150. */
function percent(text: string, empty: Parsed): Parsed {
  const t = bare(text).replace(/%$/, '')
  if (t === '') return empty
  const match = PERCENT.exec(t)
  if (!match) return { ok: false, message: 'Enter a percentage, like 1.5.' }
  const hundredths = match[2] ?? ''
  if (hundredths.length > 2) {
    return { ok: false, message: 'Use at most two decimal places, like 1.25.' }
  }
  return { ok: true, value: Number(match[1]) * 100 + Number(hundredths.padEnd(2, '0')) }
}

const required = (message: string): Parsed => ({ ok: false, message })
const none: Parsed = { ok: true, value: null }
const zero: Parsed = { ok: true, value: 0 }

/** Where each of the API's fields sits on the form, and how to say its limits in form units. */
const FIELD_OF: Record<
  string,
  { field: keyof RuleFormValues; unit: 'points' | 'money' | 'other' }
> = {
  'rate.points': { field: 'points', unit: 'points' },
  'rate.cash_minor': { field: 'cash', unit: 'money' },
  'fee.fixed_minor': { field: 'fee_fixed', unit: 'money' },
  'fee.bps': { field: 'fee_percent', unit: 'other' },
  'fee.payer': { field: 'fee_payer', unit: 'other' },
  min_points: { field: 'min_points', unit: 'points' },
  max_points: { field: 'max_points', unit: 'points' },
  step_points: { field: 'step_points', unit: 'points' },
  'caps.daily_minor': { field: 'cap_daily', unit: 'money' },
  'caps.thirty_day_minor': { field: 'cap_30d', unit: 'money' },
  claim_lifetime_seconds: { field: 'lifetime', unit: 'other' },
  expiry_reminder_seconds: { field: 'reminder', unit: 'other' },
}

function limitText(unit: 'points' | 'money' | 'other', n: number | bigint): string {
  return unit === 'money' ? displayMoney(BigInt(n), 'AUD') : groupDigits(n)
}

/** The schema's message, said in the form's units and words. */
function humanMessage(path: string, issue: z.core.$ZodIssue): string {
  const place = FIELD_OF[path]
  if (path === 'claim_lifetime_seconds') return 'Links must last from 5 minutes to 30 days.'
  if (path === 'expiry_reminder_seconds') {
    return issue.code === 'too_small'
      ? 'Send the reminder at least 1 minute before expiry, or leave it empty for none.'
      : 'The reminder must be shorter than the link lifetime.'
  }
  if (path === 'fee.bps') return 'The percentage fee can be at most 100%.'
  if (path === 'fee.payer') return 'Choose who pays the fee.'
  if (path === 'max_points' && issue.code === 'custom') {
    return 'The maximum must not be less than the minimum.'
  }
  if (place && issue.code === 'too_small') {
    const tail = place.field.startsWith('cap_') ? ', or leave it empty for no cap' : ''
    return `Enter at least ${limitText(place.unit, issue.minimum)}${tail}.`
  }
  if (place && issue.code === 'too_big') {
    return `Enter at most ${limitText(place.unit, issue.maximum)}.`
  }
  return issue.message
}

export type RuleFormResult =
  | { ok: true; fields: RuleFields }
  | { ok: false; errors: Partial<Record<keyof RuleFormValues | 'form', string>> }

/** Valid values, used in place of fields that could not be read. */
const PLACEHOLDERS: Record<ParsedField, number | null> = {
  points: 1,
  cash: 1,
  fee_fixed: 0,
  fee_percent: 0,
  min_points: 1,
  max_points: null,
  step_points: 1,
  cap_daily: null,
  cap_30d: null,
  lifetime: 1,
  reminder: null,
}
type ParsedField = Exclude<keyof RuleFormValues, 'fee_payer' | 'lifetime_unit' | 'reminder_unit'>

/** The summary at the top lists mistakes in the order of the fields. */
function inFormOrder<T extends Partial<Record<string, string>>>(errors: T): T {
  const order: string[] = [...FORM_FIELDS, 'form']
  return Object.fromEntries(
    Object.entries(errors).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)),
  ) as T
}

/**
 * Reads the form into the API's body, validates it with the API's schema (`RuleBody`) and
 * returns the rule's fields, or a message for each field that is wrong.
 */
export function parseRuleForm(values: RuleFormValues): RuleFormResult {
  const unit = LIFETIME_UNITS[values.lifetime_unit as LifetimeUnit]
  const reminderUnit = LIFETIME_UNITS[values.reminder_unit as LifetimeUnit]
  const parsed = {
    points: wholeNumber(values.points, required('Enter how many points.')),
    cash: dollars(values.cash, required('Enter how much cash those points give, in dollars.')),
    fee_fixed: dollars(values.fee_fixed, zero),
    fee_percent: percent(values.fee_percent, zero),
    min_points: wholeNumber(values.min_points, required('Enter the minimum (1 for none).')),
    max_points: wholeNumber(values.max_points, none),
    step_points: wholeNumber(values.step_points, required('Enter the step (1 for any amount).')),
    cap_daily: dollars(values.cap_daily, none),
    cap_30d: dollars(values.cap_30d, none),
    lifetime: unit
      ? wholeNumber(values.lifetime, required('Enter how long links last.'))
      : required('Choose minutes, hours or days.'),
    // Empty is no reminder, whatever unit is chosen.
    reminder:
      reminderUnit || bare(values.reminder) === ''
        ? wholeNumber(values.reminder, none)
        : required('Choose minutes, hours or days.'),
  }
  const errors: Partial<Record<keyof RuleFormValues | 'form', string>> = {}
  // A field that cannot be read stands in as a valid value, so the schema still checks the
  // others together (a maximum below the minimum) and every mistake shows at once.
  const v = { ...PLACEHOLDERS }
  for (const [key, result] of Object.entries(parsed) as [keyof typeof parsed, Parsed][]) {
    if (result.ok) v[key] = result.value
    else errors[key] = result.message
  }
  const body = {
    rate: { points: v.points, cash_minor: v.cash },
    min_points: v.min_points,
    max_points: v.max_points,
    step_points: v.step_points,
    fee: { fixed_minor: v.fee_fixed, bps: v.fee_percent, payer: values.fee_payer },
    caps: { daily_minor: v.cap_daily, thirty_day_minor: v.cap_30d },
    claim_lifetime_seconds: errors.lifetime ? 604_800 : (v.lifetime ?? 0) * (unit ?? 1),
    // An unreadable reminder is left out, so it adds no second message about itself.
    expiry_reminder_seconds:
      errors.reminder || v.reminder === null ? null : v.reminder * (reminderUnit ?? 1),
  }
  const result = RuleBody.safeParse(body)
  if (!result.success) {
    for (const issue of result.error.issues) {
      // Beyond the safe-integer range the field's own maximum (always lower) speaks too.
      if (issue.code === 'too_big' && issue.origin === 'int') continue
      const path = issue.path.map(String).join('.')
      const field = FIELD_OF[path]?.field ?? 'form'
      // A field that could not be read keeps the message about reading it.
      errors[field] ??= humanMessage(path, issue)
    }
  }
  if (!result.success || Object.keys(errors).length > 0) {
    return { ok: false, errors: inFormOrder(errors) }
  }
  return { ok: true, fields: ruleFields(result.data) }
}
