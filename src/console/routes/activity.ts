import {
  type ActivityModel,
  ActivityPage,
  type ActivityRow,
  type ChangeLine,
} from '../../../views/console/activity.tsx'
import { auditPage } from '../../audit/record.ts'
import type { AuditEntry } from '../../db/schema.ts'
import { DomainError, isDomainError } from '../../errors/domain-error.ts'
import { createRouter } from '../../http/router.ts'
import { displayTime } from '../../page/format.ts'
import { type ConsoleEnv, memberChrome, render, requireMember } from '../http.ts'

/** What each action means in words; an action not listed shows as it is named. */
export const ACTION_WORDS: Record<string, string> = {
  'rule.updated': 'Changed the rule',
  'claim.cancelled': 'Cancelled a claim',
  'payout.resolved': 'Resolved a payout by hand',
  'float.credited': 'Credited the float',
  'float.threshold_changed': 'Changed the low-float alert',
  'key.created': 'Created an API key',
  'key.revoked': 'Revoked an API key',
  'webhook.endpoint_changed': 'Changed the webhook endpoint',
  'webhook.secret_rotated': 'Rotated the webhook secret',
  'webhook.replayed': 'Resent a webhook',
  'webhook.test_sent': 'Sent a test webhook',
  'settings.changed': 'Changed the claim page settings',
  'settings.cleared': 'Cleared a card number from the claim page settings',
  'display_name.approved': 'Approved the display name',
  'display_name.rejected': 'Refused the display name',
  'support_contact.approved': 'Approved the support contact',
  'support_contact.rejected': 'Refused the support contact',
  'card.changed': 'Changed the card',
  'provider.suspended': 'Suspended this provider',
  'provider.resumed': 'Resumed this provider',
  'console.setup_link_created': 'Made a console setup link',
  'member.invited': 'Invited a member',
  'member.invite_revoked': 'Withdrew an invite',
  'member.joined': 'Joined the team',
  'member.role_changed': 'Changed a member’s role',
  'member.removed': 'Removed a member',
  'member.password_changed': 'Changed their password',
  'member.two_factor_enabled': 'Turned on two-factor',
  'member.two_factor_disabled': 'Turned off two-factor',
  'member.locked': 'Rested an account after 5 wrong attempts',
}

/** The page's filter: one word in the address, the action families it stands for. */
const FILTERS: { value: string; label: string; actions: string[] }[] = [
  { value: '', label: 'Everything', actions: [] },
  { value: 'rule', label: 'Rules', actions: ['rule'] },
  { value: 'claim', label: 'Claims and payouts', actions: ['claim', 'payout'] },
  { value: 'float', label: 'Float', actions: ['float'] },
  { value: 'key', label: 'API keys', actions: ['key'] },
  { value: 'webhook', label: 'Webhooks', actions: ['webhook'] },
  { value: 'member', label: 'Team and sign-in', actions: ['member', 'console'] },
  {
    value: 'settings',
    label: 'Settings and card',
    actions: ['settings', 'display_name', 'support_contact', 'card', 'provider'],
  },
]

const PAGE = 50
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

function who(entry: AuditEntry): string {
  switch (entry.actor_type) {
    case 'member':
      return entry.actor_label
    case 'key':
      // A key's label is its prefix; a few verbs name the way in instead ("registration").
      return entry.actor_label.startsWith('ck_')
        ? `API key ${entry.actor_label}`
        : entry.actor_label
    case 'operator':
      return 'Operator'
    case 'system':
      return 'Cashout'
  }
}

/** A value as a person reads it: times in the console's zone, card-like digits masked. */
function readable(value: unknown, timeZone: string): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') {
    if (ISO.test(value)) return displayTime(new Date(value), timeZone)
    // Defence in depth: no audit row should hold a card number, and none is ever shown.
    return value.replace(/\b\d{9,15}(\d{4})\b/g, '•••• $1')
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value)
  }
  const json = JSON.stringify(value)
  return readable(json.length > 200 ? `${json.slice(0, 199)}…` : json, timeZone)
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  if (value === null || value === undefined) return undefined
  return typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : { value }
}

/** Before → after as lines per field, leaving out fields that did not change. */
export function changeLines(before: unknown, after: unknown, timeZone: string): ChangeLine[] {
  const b = asObject(before)
  const a = asObject(after)
  const fields = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])]
  const lines: ChangeLine[] = []
  for (const field of fields) {
    const had = b !== undefined && field in b
    const has = a !== undefined && field in a
    if (had && has && JSON.stringify(b[field]) === JSON.stringify(a[field])) continue
    lines.push({
      field: field.replace(/_/g, ' '),
      before: had ? readable(b[field], timeZone) : undefined,
      after: has ? readable(a?.[field], timeZone) : undefined,
    })
  }
  return lines
}

export function activityRow(entry: AuditEntry, timeZone: string): ActivityRow {
  return {
    when: displayTime(entry.created_at, timeZone),
    at: entry.created_at.toISOString(),
    who: who(entry),
    what: ACTION_WORDS[entry.action] ?? entry.action,
    action: entry.action,
    target: entry.target ? readable(entry.target, timeZone) : undefined,
    changes: changeLines(entry.before, entry.after, timeZone),
    mode: entry.livemode === null ? undefined : entry.livemode ? 'Live' : 'Test',
  }
}

function href(show: string, cursor?: string) {
  const params = new URLSearchParams()
  if (show) params.set('show', show)
  if (cursor) params.set('cursor', cursor)
  const query = params.toString()
  return query ? `/console/activity?${query}` : '/console/activity'
}

/** The provider's audit log, both modes, for every role to read. */
export function consoleActivityRoutes() {
  return createRouter<ConsoleEnv>().get('/console/activity', requireMember, async (c) => {
    const filter = FILTERS.find((f) => f.value === (c.req.query('show') ?? '')) ?? FILTERS[0]
    const show = filter?.value ?? ''
    const cursor = c.req.query('cursor') || undefined
    const page = await auditPage(c.var.deps.db, {
      providerId: c.var.console.provider.id,
      action: filter?.actions.length ? filter.actions : undefined,
      cursor,
      limit: PAGE,
    }).catch((error: unknown) => {
      if (!isDomainError(error, 'validation_failed')) throw error
      throw new DomainError('validation_failed', {
        message: 'That page of the activity log does not exist. Start from the newest entries.',
      })
    })
    const tz = c.var.deps.config.displayTimeZone
    const model: ActivityModel = {
      rows: page.entries.map((e) => activityRow(e, tz)),
      filter: show,
      filters: FILTERS.map(({ value, label }) => ({ value, label })),
      older: page.nextCursor ? href(show, page.nextCursor) : undefined,
      newest: cursor ? href(show) : undefined,
    }
    return render(c, ActivityPage({ chrome: memberChrome(c, 'activity'), model }))
  })
}
