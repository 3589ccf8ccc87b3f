import type { Db } from '../db/schema.ts'
import type { Position } from '../http/cursor.ts'
import { encodeCursor } from '../http/cursor.ts'
import { type Balance, providerBalance } from '../ledger/balance.ts'
import { type FloatAlert, readFloatAlert } from '../ledger/float-alert.ts'
import { type StatementRow, statementNewestFirst } from '../ledger/statement.ts'
import type { Scope } from '../modes.ts'
import { MAX_JSON_INT } from '../money.ts'
import { displayMoney, displayTime } from '../page/format.ts'

export const FLOAT_PAGE_SIZE = 50
const CURRENCY = 'AUD'

export interface FloatData {
  balance: Balance
  alert: FloatAlert
  rows: StatementRow[]
  /** The position the page starts after; undefined on the newest page. */
  before?: Position
  /** Whether there are older rows than this page's last. */
  hasMore: boolean
}

/** The float page's reads: the balances, the alert, and one page of the statement. */
export async function loadFloat(
  db: Db,
  scope: Scope,
  before?: Position,
  limit = FLOAT_PAGE_SIZE,
): Promise<FloatData> {
  const balance = await providerBalance(db, scope, CURRENCY)
  const alert = await readFloatAlert(db, scope)
  const rows = await statementNewestFirst(db, scope, {
    currency: CURRENCY,
    before,
    limit: limit + 1,
  })
  return { balance, alert, rows: rows.slice(0, limit), before, hasMore: rows.length > limit }
}

/**
 * A threshold typed in dollars (`500`, `1,250.50`, `$80`) as minor units; empty removes the
 * alert. Exact: digits are read as text, never through a float.
 */
export function parseThreshold(
  raw: string,
): { ok: true; minor: bigint | null } | { ok: false; error: string } {
  const text = raw.trim().replace(/^\$/, '').replace(/,/g, '').trim()
  if (text === '') return { ok: true, minor: null }
  const match = /^(\d{1,15})(?:\.(\d{1,2}))?$/.exec(text)
  if (!match) {
    return { ok: false, error: 'Enter an amount in dollars, like 500 or 1250.50.' }
  }
  const minor = BigInt(match[1] ?? '0') * 100n + BigInt((match[2] ?? '').padEnd(2, '0'))
  if (minor > MAX_JSON_INT) return { ok: false, error: 'Enter a smaller amount.' }
  return { ok: true, minor }
}

const RELEASED: Partial<Record<string, string>> = {
  expired: 'Returned: claim expired',
  cancelled: 'Returned: claim cancelled',
  failed: 'Returned: payout failed',
}

/** What a transfer was, in words. */
export function kindInWords(row: Pick<StatementRow, 'kind' | 'claim_status'>): string {
  switch (row.kind) {
    case 'credit':
      return 'Float credited'
    case 'reserve':
      return 'Reserved for a claim'
    case 'release':
      return (row.claim_status && RELEASED[row.claim_status]) || 'Returned from a claim'
    default:
      return row.kind
  }
}

export interface StatementLine {
  date: string
  kind: string
  /** The claim's reference (linking to it) or the credit's reference. */
  reference: { text: string; href?: string; uuid?: string } | null
  moneyIn?: string
  moneyOut?: string
  balance: string
}

export interface FloatModel {
  livemode: boolean
  /** The two balances that matter day to day, as cards. */
  balances: { label: string; value: string; note: string }[]
  /** What has gone through the float so far. */
  totals: { label: string; value: string }[]
  alert: {
    current?: string
    below: boolean
    canManage: boolean
    /** What the threshold field shows: what was typed (after an error) or the current value. */
    input: string
    error?: string
  }
  notice?: { kind: 'success' | 'warning'; text: string }
  lines: StatementLine[]
  nextHref?: string
  firstHref?: string
  exportHref: string
}

const NOTICES: Record<string, { kind: 'success' | 'warning'; text: string }> = {
  saved: { kind: 'success', text: 'The low-balance alert is saved.' },
  alerted: {
    kind: 'warning',
    text: 'The low-balance alert is saved. The float is already below it, so a float.low webhook was sent.',
  },
  cleared: { kind: 'success', text: 'The low-balance alert is turned off.' },
}

/** `1250.5` → `1250.50` for the form: exact, without a currency sign. */
function dollars(minor: bigint): string {
  return `${minor / 100n}.${(minor % 100n).toString().padStart(2, '0')}`
}

/** The float page as text: pure, so the view only lays it out. */
export function floatModel(
  data: FloatData,
  options: {
    timeZone: string
    canManage: boolean
    done?: string
    typed?: string
    error?: string
  },
): FloatModel {
  const { balance, alert } = data
  const money = (minor: bigint) => displayMoney(minor, balance.currency)
  const last = data.rows.at(-1)
  return {
    livemode: balance.livemode,
    balances: [
      {
        label: 'Available',
        value: money(balance.available_minor),
        note: 'Free to back new claims.',
      },
      {
        label: 'Reserved for open claims',
        value: money(balance.reserved_minor),
        note: 'Held until each claim is paid, expires or is cancelled.',
      },
    ],
    totals: [
      { label: 'Credited in total', value: money(balance.credited_minor) },
      { label: 'Paid out in total', value: money(balance.paid_out_minor) },
      { label: 'Fees in total', value: money(balance.fees_minor) },
    ],
    alert: {
      current: alert.threshold_minor === null ? undefined : money(alert.threshold_minor),
      below: alert.below,
      canManage: options.canManage,
      input:
        options.typed ?? (alert.threshold_minor === null ? '' : dollars(alert.threshold_minor)),
      error: options.error,
    },
    notice: options.done ? NOTICES[options.done] : undefined,
    lines: data.rows.map((row) => ({
      date: displayTime(row.created_at, options.timeZone),
      kind: kindInWords(row),
      reference: row.claim_id
        ? {
            text: row.claim_ref ?? row.claim_id,
            href: `/console/claims/${row.claim_id}`,
            uuid: row.claim_id,
          }
        : row.reference
          ? { text: row.reference }
          : null,
      moneyIn: row.direction === 'in' ? money(row.amount_minor) : undefined,
      moneyOut: row.direction === 'out' ? money(row.amount_minor) : undefined,
      balance: money(row.running_minor),
    })),
    nextHref:
      data.hasMore && last
        ? `/console/float?cursor=${encodeCursor({ created_at: last.created_at, id: last.id })}`
        : undefined,
    firstHref: data.before ? '/console/float' : undefined,
    exportHref: '/console/statement.csv',
  }
}
