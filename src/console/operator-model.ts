import type { Errors } from '../../views/console/components.tsx'
import type { ModeCard, ProviderCard } from '../../views/console/operator.tsx'
import type { ActivityItem } from '../../views/console/operator-activity.tsx'
import type { TextReview } from '../../views/console/operator-review.tsx'
import { listAudit } from '../audit/record.ts'
import type { AuditEntry } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { encodeCursor, type Position } from '../http/cursor.ts'
import { text } from '../http/text.ts'
import { MAX_JSON_INT } from '../money.ts'
import { displayMoney, displayTime } from '../page/format.ts'
import {
  REVIEWED_FIELDS,
  type ReviewedField,
  type ReviewState,
  reviewColumns,
  reviewState,
  reviewStatus,
  reviewView,
} from '../providers/review.ts'

const DAY_MS = 24 * 3600_000
/** Floats are held in one currency; credits go to it (see ledger/credit.ts). */
export const FLOAT_CURRENCY = 'AUD'

export interface ModeFigures {
  available: bigint
  reserved: bigint
  claimsDay: number
  claims30: number
}

export interface ProviderRow {
  id: string
  name: string
  /** The display name claim pages show: the approved one, never one still waiting. */
  displayName: string | null
  /** What the provider asked its claim pages to show, and where each review stands. */
  reviews: Record<ReviewedField, ReviewState>
  createdAt: Date
  suspendedAt: Date | null
  suspendedReason: string | null
  test: ModeFigures
  live: ModeFigures
}

type Deps = Pick<AppDeps, 'db' | 'clock'>

export interface ProviderQuery {
  /** Part of the name, for finding one among many. */
  search?: string
  /** Names after this one, for paging in name order. */
  after?: string
  /** Exactly this provider. */
  name?: string
  limit: number
}

/** Providers in name order with their floats and claim counts: three grouped reads per page. */
export async function loadProviders(deps: Deps, q: ProviderQuery) {
  const { db } = deps
  let query = db
    .selectFrom('providers')
    .select(['id', 'name', 'created_at', 'suspended_at', 'suspended_reason'])
    .select([...reviewColumns('display_name'), ...reviewColumns('support_contact')])
  if (q.name !== undefined) query = query.where('name', '=', q.name)
  if (q.search) query = query.where('name', 'ilike', `%${q.search.replace(/[\\%_]/g, '\\$&')}%`)
  if (q.after) query = query.where('name', '>', q.after)
  const rows = await query
    .orderBy('name')
    .limit(q.limit + 1)
    .execute()
  const page = rows.slice(0, q.limit)
  const ids = page.map((r) => r.id)
  const balances = ids.length
    ? await db
        .selectFrom('ledger_accounts')
        .select(['provider_id', 'livemode', 'kind', 'balance'])
        .where('provider_id', 'in', ids)
        .where('kind', 'in', ['available', 'reserved'])
        .where('currency', '=', FLOAT_CURRENCY)
        .execute()
    : []
  const now = deps.clock.now().getTime()
  const claims = ids.length
    ? await db
        .selectFrom('claims')
        .select((eb) => [
          'provider_id',
          'livemode',
          eb.fn
            .countAll<string>()
            .filterWhere('created_at', '>=', new Date(now - DAY_MS))
            .as('d1'),
          eb.fn.countAll<string>().as('d30'),
        ])
        .where('provider_id', 'in', ids)
        .where('created_at', '>=', new Date(now - 30 * DAY_MS))
        .groupBy(['provider_id', 'livemode'])
        .execute()
    : []
  const figures = (id: string, livemode: boolean): ModeFigures => {
    const balance = (kind: string) =>
      balances.find((b) => b.provider_id === id && b.livemode === livemode && b.kind === kind)
        ?.balance ?? 0n
    const counted = claims.find((c) => c.provider_id === id && c.livemode === livemode)
    return {
      available: balance('available'),
      reserved: balance('reserved'),
      claimsDay: Number(counted?.d1 ?? 0),
      claims30: Number(counted?.d30 ?? 0),
    }
  }
  const providers: ProviderRow[] = page.map((r) => ({
    id: r.id,
    name: r.name,
    displayName: r.display_name_approved,
    reviews: {
      display_name: reviewState(r, 'display_name'),
      support_contact: reviewState(r, 'support_contact'),
    },
    createdAt: r.created_at,
    suspendedAt: r.suspended_at,
    suspendedReason: r.suspended_reason,
    test: figures(r.id, false),
    live: figures(r.id, true),
  }))
  return { providers, more: rows.length > q.limit }
}

export interface ActivityEntry extends AuditEntry {
  providerName: string | null
}

/** A page of the whole audit log, newest first, with each entry's provider by name. */
export async function loadActivity(
  deps: Deps,
  q: { providerId?: string; after?: Position; limit: number },
) {
  const rows = await listAudit(deps.db, { ...q, limit: q.limit + 1 })
  const page = rows.slice(0, q.limit)
  const ids = [...new Set(page.flatMap((r) => (r.provider_id ? [r.provider_id] : [])))]
  const names = ids.length
    ? await deps.db.selectFrom('providers').select(['id', 'name']).where('id', 'in', ids).execute()
    : []
  const entries: ActivityEntry[] = page.map((r) => ({
    ...r,
    providerName: names.find((n) => n.id === r.provider_id)?.name ?? null,
  }))
  const last = page.at(-1)
  return { entries, next: rows.length > q.limit && last ? encodeCursor(last) : undefined }
}

/**
 * Dollars as a person types them (`250`, `250.00`, `$1,000.50`) read exactly as cents, with no
 * floating point on the way; or the sentence to show beside the field.
 */
export function parseDollars(input: string): { minor: bigint } | { error: string } {
  const text = input.trim().replace(/^\$\s*/, '')
  if (text === '') return { error: 'Enter the amount in dollars, e.g. 250.00.' }
  if (/^-/.test(text)) return { error: 'Enter an amount above $0.00.' }
  if (/^[\d,]*\.\d{3,}$/.test(text)) {
    return { error: 'Enter whole cents: at most two digits after the point, e.g. 250.25.' }
  }
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text)
  if (!match) return { error: 'Enter the amount in dollars, e.g. 250.00.' }
  const whole = (match[1] ?? '0').replace(/,/g, '')
  if (whole.length > 16) return { error: 'That is more than one float can hold.' }
  const minor = BigInt(whole) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'))
  if (minor <= 0n) return { error: 'Enter an amount above $0.00.' }
  if (minor > MAX_JSON_INT) return { error: 'That is more than one float can hold.' }
  return { minor }
}

/** The first message of a failed zod check, for a person. */
export function firstIssue(result: { error?: { issues: { message: string }[] } }) {
  return result.error?.issues[0]?.message ?? 'Is not valid.'
}

/** The credit form, checked as the API checks its body; the dollars read exactly. */
export function readCreditForm(
  form: Record<string, string>,
  liveRail: boolean,
): { livemode: boolean; amountMinor: bigint; reference: string } | { errors: Errors } {
  const errors: Errors = {}
  const amount = parseDollars(form.amount ?? '')
  if ('error' in amount) errors.amount = amount.error
  const reference = (form.reference ?? '').trim()
  const checked = text(200).safeParse(reference)
  if (!checked.success) {
    errors.reference = reference === '' ? 'Enter your funding reference.' : firstIssue(checked)
  }
  const livemode = form.mode === 'live'
  if (form.mode !== 'test' && form.mode !== 'live') errors.mode = 'Choose which float.'
  else if (livemode && !liveRail) {
    errors.mode = 'This deployment has no live rail: only the test float can be credited.'
  }
  if ('error' in amount || Object.keys(errors).length > 0) return { errors }
  return { livemode, amountMinor: amount.minor, reference }
}

// ---- What the pages show, in words: pure functions of what was read. ----

export function providerHref(name: string) {
  return `/console/operator/providers/${encodeURIComponent(name)}`
}

const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** `1 Mar 2026` in the display time zone. */
export function day(at: Date, timeZone: string) {
  let format = dayFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-AU', {
      timeZone,
      day: 'numeric',
      month: 'short',
      year: 'numeric',
    })
    dayFormats.set(timeZone, format)
  }
  return format.format(at)
}

const plural = (n: number, noun: string, tail: string) =>
  `${n} ${noun}${n === 1 ? '' : 's'} ${tail}`

function modeCard(label: 'Test' | 'Live', f: ModeFigures): ModeCard {
  const money = (minor: bigint) => displayMoney(minor, FLOAT_CURRENCY)
  return {
    label,
    available: money(f.available),
    reserved: money(f.reserved),
    claims: [plural(f.claimsDay, 'claim', 'in 24 h'), plural(f.claims30, 'claim', 'in 30 days')],
  }
}

/** A provider's card; its live float shows where there is a live rail or live money. */
export function providerCard(p: ProviderRow, tz: string, liveRail: boolean): ProviderCard {
  const live = p.live
  const showLive = liveRail || live.available !== 0n || live.reserved !== 0n || live.claims30 > 0
  return {
    name: p.name,
    href: providerHref(p.name),
    displayName: p.displayName ?? undefined,
    toReview: REVIEWED_FIELDS.filter((field) => reviewStatus(p.reviews[field]) === 'pending'),
    since: `Since ${day(p.createdAt, tz)}`,
    suspended: p.suspendedAt !== null,
    modes: [modeCard('Test', p.test), ...(showLive ? [modeCard('Live', live)] : [])],
  }
}

/** What the provider asked its claim pages to show, for the operator to decide; none if nothing. */
export function textReviewOf(
  p: ProviderRow,
  field: ReviewedField,
  tz: string,
): TextReview | undefined {
  const view = reviewView(field, p.name, p.reviews[field])
  if (view.status === 'none' || view.requested === null) return undefined
  const asked = p.reviews[field].requested_at
  return {
    field,
    status: view.status,
    requested: view.requested,
    shown: view.shown,
    since: asked ? day(asked, tz) : undefined,
    reason: view.rejected_reason ?? undefined,
  }
}

export function suspensionOf(p: ProviderRow, tz: string) {
  if (!p.suspendedAt) return undefined
  return { since: displayTime(p.suspendedAt, tz), reason: p.suspendedReason ?? '—' }
}

/** `float.credited` → "Float credited". */
function actionWords(action: string) {
  const words = action.replace(/[._]/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function who(e: ActivityEntry) {
  if (e.actor_type === 'operator') return 'the operator'
  if (e.actor_type === 'system') return 'Cashout'
  // Keys are named by their public prefix; other key-side actors (registration) by their label.
  if (e.actor_type === 'key' && e.actor_label.startsWith('ck_')) return `API key ${e.actor_label}`
  return e.actor_label
}

/** A before or after value as `field: value · field: value`, shortened past 300 characters. */
function compact(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v))
  const text =
    typeof value === 'object' && !Array.isArray(value)
      ? Object.entries(value as Record<string, unknown>)
          .map(([k, v]) => `${k.replace(/_/g, ' ')}: ${show(v)}`)
          .join(' · ')
      : show(value)
  return text.length > 300 ? `${text.slice(0, 299)}…` : text
}

export function activityItem(e: ActivityEntry, tz: string): ActivityItem {
  return {
    when: displayTime(e.created_at, tz),
    at: e.created_at.toISOString(),
    who: who(e),
    what: actionWords(e.action),
    code: e.action,
    provider: e.providerName
      ? { name: e.providerName, href: providerHref(e.providerName) }
      : undefined,
    target: e.target ?? undefined,
    before: compact(e.before),
    after: compact(e.after),
  }
}
