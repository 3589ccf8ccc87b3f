import type { PayoutItem } from '../../views/console/operator-payouts.tsx'
import type { Payout } from '../db/schema.ts'
import { text } from '../http/text.ts'
import { attentionView, type circuitView } from '../operator/payouts.ts'
import { RESOLVABLE, type Resolution } from '../operator/resolve.ts'
import { displayMoney, displayTime } from '../page/format.ts'
import { firstIssue, providerHref } from './operator-model.ts'

/*
 * The operator's payouts page in words: why each payout is listed, what to look up at Hello
 * Clever, and what a resolution did. Pure functions of what was read.
 */

type AttentionRow = Payout & { provider_name: string; rail_batch_uuid: string | null }

/** Why a payout is listed, and what the operator can do about it. */
function whyListed(p: AttentionRow, now: Date, tz: string): { status: string; why: string } {
  const failure = p.failure_code ? `${p.failure_code}: ${p.failure_reason ?? 'no detail'}` : ''
  if (p.status === 'held') {
    return { status: 'Held for a person', why: failure || 'The rail’s answer did not match.' }
  }
  if (p.waiting_on === 'rail_funds') {
    return {
      status: 'Waiting for the rail’s funds',
      why: 'Hello Clever’s merchant balance is short (HC_PAYOUT1): top it up; it is sent again on its own.',
    }
  }
  if (p.waiting_on === 'rail_credentials') {
    return {
      status: 'Waiting for working credentials',
      why: 'The rail refuses Cashout’s credentials: check HELLO_CLEVER_APP_ID and the secret key.',
    }
  }
  if (p.status === 'processing') {
    const hours = Math.floor((now.getTime() - p.updated_at.getTime()) / 3600_000)
    return {
      status: 'Sent, no answer',
      why: `The rail took it and has not reported a result since ${displayTime(p.updated_at, tz)}${hours > 0 ? ` (${hours} h)` : ''}. Check whether it was paid.`,
    }
  }
  return {
    status: 'Not getting through',
    why: `The rail refused it or did not answer ${p.rail_calls} times. ${failure}`.trim(),
  }
}

const DESTINATION_ORDER = ['type', 'account_name', 'bsb', 'account_number', 'payid_type', 'payid']
const DESTINATION_LABELS: Record<string, string> = {
  bsb: 'BSB',
  account_number: 'account',
  payid_type: 'PayID type',
  payid: 'PayID',
}

/** A masked destination as a person reads it: `bank · Jane Citizen · BSB 062-000 · account ••••5678`. */
function destinationWords(masked: Record<string, string>) {
  const rank = (k: string) => {
    const i = DESTINATION_ORDER.indexOf(k)
    return i === -1 ? DESTINATION_ORDER.length : i
  }
  return Object.entries(masked)
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([k, value]) => {
      const label = DESTINATION_LABELS[k]
      return label ? `${label} ${value}` : value
    })
    .join(' · ')
}

export function payoutItem(row: AttentionRow, tz: string, now: Date): PayoutItem {
  const v = attentionView(row)
  const { status, why } = whyListed(row, now, tz)
  const destination = destinationWords(v.destination)
  const facts: [string, string][] = [
    ['Status', `${row.status}${row.waiting_on ? ` (waiting on ${row.waiting_on})` : ''}`],
    ['Destination', destination],
    ['Attempt', `${row.attempt} (${row.rail_calls} rail call${row.rail_calls === 1 ? '' : 's'})`],
    ['Claim', row.claim_id],
    ['Payout', row.id],
    ['Last change', displayTime(row.updated_at, tz)],
  ]
  if (row.rail_status) facts.splice(1, 0, ['Rail last said', row.rail_status])
  const l = v.look_up
  const lookUp: [string, string | number | null][] = [
    [
      'API',
      l.api === 'withdraw' ? 'Withdrawals' : l.api === 'payouts_v1' ? 'Payouts v1 (batches)' : null,
    ],
    ['Client transaction id', l.client_transaction_id],
    ['Withdrawal id', l.withdrawal_id],
    ['Batch external id', l.batch_external_id],
    ['Batch uuid', l.batch_uuid],
    ['Batch line (from 0)', l.batch_line],
    ['Transaction id', l.transaction_id],
  ]
  return {
    id: row.id,
    amount: displayMoney(row.amount_minor, row.currency),
    provider: { name: row.provider_name, href: providerHref(row.provider_name) },
    mode: row.livemode ? 'Live' : 'Test',
    status,
    why,
    facts,
    lookUp: l.api
      ? lookUp.flatMap(([k, value]) =>
          value === null ? [] : [[k, String(value)] as [string, string]],
        )
      : [],
    // A payout never sent cannot be settled or failed by hand: the rail has not seen it.
    action: RESOLVABLE.includes(row.status)
      ? `/console/operator/payouts/${row.id}/resolve`
      : undefined,
  }
}

/** A rail whose circuit is open, in a sentence; nothing when it is closed. */
export function railNotice(test: boolean, c: ReturnType<typeof circuitView>, tz: string): string[] {
  if (!c.open) return []
  const since = c.since ? ` since ${displayTime(new Date(c.since), tz)}` : ''
  return [
    `The ${test ? 'test' : 'live'} rail (${c.rail}) is paused${since}: ${c.reason ?? 'it kept failing'}. Nothing is sent through it until a probe succeeds.`,
  ]
}

/** What the payouts page says after a resolution, from the payout as it now stands. */
export function resolvedNotice(p: Pick<Payout, 'id' | 'status'>): string {
  if (p.status === 'settled') return `Recorded: payout ${p.id} is settled and its claim paid.`
  if (p.status === 'failed') return `Recorded: payout ${p.id} failed.`
  if (p.status === 'pending') return `Recorded: the payout is being sent again as ${p.id}.`
  return `Recorded: payout ${p.id} is now ${p.status}.`
}

const OUTCOME: Record<string, Pick<Resolution, 'status' | 'final'>> = {
  settled: { status: 'settled', final: false },
  failed: { status: 'failed', final: false },
  failed_final: { status: 'failed', final: true },
  resend: { status: 'resend', final: false },
}

/** The resolve form, checked as the API checks its body. */
export function readResolveForm(
  form: Record<string, string>,
): { resolution: Resolution } | { errors: NonNullable<PayoutItem['errors']> } {
  const errors: NonNullable<PayoutItem['errors']> = {}
  const outcome = OUTCOME[form.outcome ?? '']
  if (!outcome) errors.outcome = 'Choose what you found.'
  const reason = (form.reason ?? '').trim()
  const checked = text(500, 5).safeParse(reason)
  if (!checked.success) errors.reason = `Reason: ${firstIssue(checked)}`
  if (!outcome || !checked.success) return { errors }
  return { resolution: { ...outcome, reason } }
}
