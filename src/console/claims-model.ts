import type { ClaimExportFilter } from '../claims/export.ts'
import { maskedDestinationText } from '../claims/export.ts'
import type { ClaimTimeline } from '../claims/timeline.ts'
import type { ClaimStatus, DeliveryStatus, PayoutStatus } from '../db/schema.ts'
import { displayMoney, displayPoints, displayTime } from '../page/format.ts'
import { LOCALE_ENGLISH_NAMES } from '../page/i18n/locales.ts'
import { waitingReason } from '../payouts/waiting.ts'

/** Statuses in words, so nothing depends on colour (and "settled" reads as what it means). */
export const STATUS_WORDS: Record<ClaimStatus, string> = {
  open: 'Open',
  submitted: 'Submitted',
  processing: 'Processing',
  settled: 'Paid',
  failed: 'Failed',
  expired: 'Expired',
  cancelled: 'Cancelled',
}

const PAYOUT_WORDS: Record<PayoutStatus, string> = {
  pending: 'Waiting to be sent',
  sent: 'Sent',
  processing: 'Processing at the bank',
  settled: 'Paid',
  failed: 'Failed',
  unknown: 'Checking with the payment service',
  held: 'Held for the operator',
}

const DELIVERY_WORDS: Record<DeliveryStatus, string> = {
  pending: 'Waiting to be delivered',
  delivered: 'Delivered',
  exhausted: 'Gave up',
}

const EVENT_WORDS: Record<string, string> = {
  'claim.created': 'Created',
  'claim.submitted': 'Customer chose where to be paid',
  'claim.settled': 'Paid',
  'claim.failed': 'Payout failed',
  'claim.reopened': 'Reopened for the customer to try again',
  'claim.expired': 'Expired',
  'claim.cancelled': 'Cancelled',
  'claim.expiring': 'Expiry reminder',
}

/** What the filter form holds, as typed (so a refused value is shown back beside its field). */
export interface FilterValues {
  status: string
  from: string
  to: string
  customer: string
  q: string
}

export const FILTER_FIELDS = ['status', 'from', 'to', 'customer', 'q'] as const

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const CONTROL = /\p{Cc}/u

function isDay(value: string): boolean {
  const m = DAY.exec(value)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const at = new Date(Date.UTC(y, mo - 1, d))
  return (
    y >= 1000 && at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d
  )
}

const wallClocks = new Map<string, Intl.DateTimeFormat>()

/** How far the wall clock in `timeZone` is ahead of UTC at `at`, in ms. */
function offsetAt(at: Date, timeZone: string): number {
  let f = wallClocks.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    wallClocks.set(timeZone, f)
  }
  const part = (type: string) => Number(f.formatToParts(at).find((p) => p.type === type)?.value)
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  )
  return wall - Math.floor(at.getTime() / 1000) * 1000
}

/**
 * The instant a calendar day (`YYYY-MM-DD`) begins in a time zone. Computed twice, because the
 * offset at the guess may differ from the offset at the answer across a daylight-saving change.
 */
export function startOfDayIn(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const guess = Date.UTC(y, m - 1, d)
  const first = guess - offsetAt(new Date(guess), timeZone)
  return new Date(guess - offsetAt(new Date(first), timeZone))
}

function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
}

/**
 * Reads the claims filter form (a GET query). Dates are calendar days where the store is
 * (`timeZone`), "to" included; a refused value comes back with a message for its field.
 */
export function parseClaimFilters(query: Record<string, string | undefined>, timeZone: string) {
  const values: FilterValues = {
    status: (query.status ?? '').trim(),
    from: (query.from ?? '').trim(),
    to: (query.to ?? '').trim(),
    customer: (query.customer ?? '').trim(),
    q: (query.q ?? '').trim(),
  }
  const errors: Record<string, string> = {}
  const filter: ClaimExportFilter = {}
  if (values.status) {
    if (values.status in STATUS_WORDS) filter.status = values.status as ClaimStatus
    else errors.status = 'Choose a status from the list.'
  }
  for (const field of ['from', 'to'] as const) {
    if (values[field] && !isDay(values[field])) {
      errors[field] = 'Enter a date as year-month-day, for example 2026-03-01.'
    }
  }
  if (values.from && !errors.from) filter.createdAfter = startOfDayIn(values.from, timeZone)
  if (values.to && !errors.to) filter.createdBefore = startOfDayIn(nextDay(values.to), timeZone)
  if (values.from && values.to && !errors.from && !errors.to && values.to < values.from) {
    errors.to = 'Must be on or after the “Created from” date.'
  }
  for (const field of ['customer', 'q'] as const) {
    const value = values[field]
    if (value.length > 200) errors[field] = 'Must be at most 200 characters.'
    else if (CONTROL.test(value)) errors[field] = 'Must not contain control characters.'
  }
  if (values.customer && !errors.customer) filter.customerId = values.customer
  if (values.q && !errors.q) filter.reference = values.q
  const cursor = (query.cursor ?? '').slice(0, 500) || undefined
  return { values, filter, cursor, errors }
}

/** The query string for the same filters (empty ones left out), e.g. for the CSV link. */
export function filterSearch(values: FilterValues, cursor?: string): string {
  const params = new URLSearchParams()
  for (const field of FILTER_FIELDS) if (values[field]) params.set(field, values[field])
  if (cursor) params.set('cursor', cursor)
  const text = params.toString()
  return text ? `?${text}` : ''
}

export const STATUS_OPTIONS = [
  { value: '', label: 'Any' },
  ...Object.entries(STATUS_WORDS).map(([value, label]) => ({ value, label })),
]

type ListedClaim = Pick<
  ClaimTimeline['claim'],
  | 'id'
  | 'provider_ref'
  | 'customer_id'
  | 'points'
  | 'net_minor'
  | 'currency'
  | 'status'
  | 'created_at'
>

export function claimListModel(input: {
  claims: ListedClaim[]
  nextCursor: string | null
  values: FilterValues
  paged: boolean
  errors: Record<string, string>
  timeZone: string
}) {
  const { values } = input
  const filtered = FILTER_FIELDS.some((f) => values[f] !== '')
  return {
    values,
    errors: input.errors,
    statusOptions: STATUS_OPTIONS,
    filtered,
    rows: input.claims.map((c) => ({
      href: `/console/claims/${c.id}`,
      created: displayTime(c.created_at, input.timeZone),
      reference: c.provider_ref,
      customer: c.customer_id ?? '—',
      points: displayPoints(c.points),
      cash: displayMoney(c.net_minor, c.currency),
      status: STATUS_WORDS[c.status],
      statusClass: `status-${c.status}`,
    })),
    exportHref: `/console/claims.csv${filterSearch(values)}`,
    nextHref: input.nextCursor
      ? `/console/claims${filterSearch(values, input.nextCursor)}`
      : undefined,
    firstHref: input.paged ? `/console/claims${filterSearch(values)}` : undefined,
  }
}

export type ClaimListModel = ReturnType<typeof claimListModel>

/** A reference short enough for a heading; the full one is in the summary. */
function shortRef(ref: string): string {
  return ref.length > 40 ? `${ref.slice(0, 39)}…` : ref
}

export function claimDetailModel(input: {
  timeline: ClaimTimeline
  timeZone: string
  canCancel: boolean
  notice?: { kind: 'success' | 'warning'; text: string }
}) {
  const { claim, events, payouts, deliveries } = input.timeline
  const at = (d: Date) => displayTime(d, input.timeZone)
  const money = (minor: bigint) => displayMoney(minor, claim.currency)
  const latest = payouts.at(-1)
  const reason = claim.status_reason ?? waitingReason(latest) ?? null
  return {
    title: `Claim ${shortRef(claim.provider_ref)}`,
    uuid: claim.id,
    notice: input.notice,
    summary: {
      reference: claim.provider_ref,
      uuid: claim.id,
      status: STATUS_WORDS[claim.status],
      statusClass: `status-${claim.status}`,
      reason,
      points: displayPoints(claim.points),
      gross: money(claim.gross_minor),
      fee: money(claim.fee_minor),
      net: money(claim.net_minor),
      feePayer: claim.fee_payer === 'provider' ? 'Your store' : 'The customer',
      ruleVersion: `Version ${claim.rule_version}`,
      customer: claim.customer_id ?? '—',
      language: claim.locale
        ? `${LOCALE_ENGLISH_NAMES[claim.locale]}, set at generate`
        : 'The customer’s browser',
      created: at(claim.created_at),
      expires: at(claim.expires_at),
    },
    cancel:
      input.canCancel && claim.status === 'open'
        ? {
            action: `/console/claims/${claim.id}/cancel`,
            question: `Cancel claim ${shortRef(claim.provider_ref)}? The customer’s link stops working and ${money(claim.reserved_minor)} goes back to your float.`,
            releases: money(claim.reserved_minor),
          }
        : undefined,
    events: events.map((e) => ({
      words: EVENT_WORDS[e.type] ?? e.type,
      type: e.type,
      sequence: String(e.sequence),
      at: at(e.created_at),
    })),
    payouts: payouts.map((p) => ({
      attempt: String(p.attempt),
      status: PAYOUT_WORDS[p.status],
      destination: maskedDestinationText(p.destination_masked) ?? '—',
      failure: p.failure_code
        ? `${p.failure_code}${p.failure_reason ? `: ${p.failure_reason}` : ''}`
        : (p.failure_reason ?? '—'),
      created: at(p.created_at),
      updated: at(p.updated_at),
    })),
    deliveries: deliveries.map((d) => ({
      eventType: d.event_type,
      status: DELIVERY_WORDS[d.status],
      attempts: String(d.attempts),
      last:
        [d.last_status === null ? '' : `HTTP ${d.last_status}`, d.last_error ?? '']
          .filter(Boolean)
          .join(' · ') || '—',
      delivered: d.delivered_at ? at(d.delivered_at) : '—',
    })),
  }
}

export type ClaimDetailModel = ReturnType<typeof claimDetailModel>
