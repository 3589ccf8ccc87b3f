import type { z } from '@hono/zod-openapi'
import type { Rule } from '../db/schema.ts'
import { displayMoney, displayTime } from '../page/format.ts'
import { type RuleView, ruleView } from '../rules/schemas.ts'
import { ruleChanges } from '../rules/set.ts'
import { groupDigits, lifetimeParts, percentText } from './rules-form.ts'

type View = z.infer<typeof RuleView>

const lifetimeText = (seconds: number) => {
  const { value, unit } = lifetimeParts(seconds)
  return `${value} ${Number(value) === 1 ? unit.replace(/s$/, '') : unit}`
}
const dollars = (minor: number, currency: string) => displayMoney(BigInt(minor), currency)
const orNone = (minor: number | null, currency: string, none: string) =>
  minor === null ? none : dollars(minor, currency)
const pointsPer = (n: number) => (n === 1 ? 'point' : `${groupDigits(n)} points`)
const pointCount = (n: number) => (n === 1 ? '1 point' : `${groupDigits(n)} points`)
/** `100 points give $1.50`, `1 point gives $0.01`. */
const rateText = (r: View['rate'], currency: string) =>
  `${pointCount(r.points)} ${r.points === 1 ? 'gives' : 'give'} ${dollars(r.cash_minor, currency)}`
const payerText = (payer: string) => (payer === 'customer' ? 'the customer' : 'you (the float)')
const percent = (bps: number) => `${percentText(bps)}%`

/** One changed field as a person reads it: `Cash per 100 points: $1.00 → $1.50`. */
function changeLines(key: string, a: View, b: View): string[] {
  const cur = b.currency
  const arrow = (label: string, x: string, y: string) => (x === y ? [] : [`${label}: ${x} → ${y}`])
  switch (key) {
    case 'rate':
      if (a.rate.points === b.rate.points) {
        return arrow(
          `Cash per ${pointsPer(b.rate.points)}`,
          dollars(a.rate.cash_minor, cur),
          dollars(b.rate.cash_minor, cur),
        )
      }
      return arrow('Rate', rateText(a.rate, cur), rateText(b.rate, cur))
    case 'min_points':
      return arrow('Minimum points', groupDigits(a.min_points), groupDigits(b.min_points))
    case 'max_points': {
      const max = (n: number | null) => (n === null ? 'no maximum' : groupDigits(n))
      return arrow('Maximum points', max(a.max_points), max(b.max_points))
    }
    case 'step_points':
      return arrow('Points in steps of', groupDigits(a.step_points), groupDigits(b.step_points))
    case 'fee':
      return [
        ...arrow('Fixed fee', dollars(a.fee.fixed_minor, cur), dollars(b.fee.fixed_minor, cur)),
        ...arrow('Percentage fee', percent(a.fee.bps), percent(b.fee.bps)),
        ...arrow('Fee paid by', payerText(a.fee.payer), payerText(b.fee.payer)),
      ]
    case 'caps':
      return [
        ...arrow(
          'Daily cap per customer',
          orNone(a.caps.daily_minor, cur, 'none'),
          orNone(b.caps.daily_minor, cur, 'none'),
        ),
        ...arrow(
          '30-day cap per customer',
          orNone(a.caps.thirty_day_minor, cur, 'none'),
          orNone(b.caps.thirty_day_minor, cur, 'none'),
        ),
      ]
    case 'claim_lifetime_seconds':
      return arrow(
        'Link lifetime',
        lifetimeText(a.claim_lifetime_seconds),
        lifetimeText(b.claim_lifetime_seconds),
      )
    case 'expiry_reminder_seconds': {
      const reminder = (n: number | null) => (n === null ? 'none' : `${lifetimeText(n)} before`)
      return arrow(
        'Expiry reminder',
        reminder(a.expiry_reminder_seconds),
        reminder(b.expiry_reminder_seconds),
      )
    }
    default:
      return [
        `${key}: ${JSON.stringify(a[key as keyof View])} → ${JSON.stringify(b[key as keyof View])}`,
      ]
  }
}

/** The first version, in one line, since there is nothing before it to compare with. */
function firstVersionText(v: View): string {
  const fee =
    v.fee.fixed_minor === 0 && v.fee.bps === 0
      ? 'no fee'
      : `fee ${dollars(v.fee.fixed_minor, v.currency)} + ${percent(v.fee.bps)}, paid by ${payerText(v.fee.payer)}`
  const reminder =
    v.expiry_reminder_seconds === null
      ? ''
      : `, a reminder ${lifetimeText(v.expiry_reminder_seconds)} before expiry`
  return `First version: ${rateText(v.rate, v.currency)}, ${fee}, links last ${lifetimeText(v.claim_lifetime_seconds)}${reminder}.`
}

export interface HistoryEntry {
  version: number
  when: string
  who: string
  current: boolean
  changes: string[]
}

/** Every version, newest first, each with what changed from the one before it. */
export function historyModel(versions: Rule[], timeZone: string): HistoryEntry[] {
  return versions.map((rule, i) => {
    const previous = versions[i + 1]
    const view = ruleView(rule)
    let changes: string[]
    if (!previous) changes = [firstVersionText(view)]
    else {
      const before = ruleView(previous)
      changes = Object.keys(ruleChanges(previous, rule)).flatMap((key) =>
        changeLines(key, before, view),
      )
      if (changes.length === 0) changes = ['Saved again with no changes.']
    }
    return {
      version: rule.version,
      when: displayTime(rule.created_at, timeZone),
      who: rule.created_by ?? '—',
      current: i === 0,
      changes,
    }
  })
}
