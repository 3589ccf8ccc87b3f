import { OverviewPage } from '../../../views/console/overview.tsx'
import type { ClaimStatus } from '../../db/schema.ts'
import { createRouter } from '../../http/router.ts'
import { displayMoney } from '../../page/format.ts'
import { type ConsoleEnv, memberChrome, render, requireMember } from '../http.ts'
import { loadOverview, type Overview } from '../overview.ts'

const STATUS_LABELS: [ClaimStatus, string][] = [
  ['open', 'Open'],
  ['submitted', 'Submitted'],
  ['processing', 'Processing'],
  ['settled', 'Paid'],
  ['failed', 'Failed'],
  ['expired', 'Expired'],
  ['cancelled', 'Cancelled'],
]

/** `2026-11-29` → `29 Nov`. */
function shortDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number)
  const at = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1))
  return new Intl.DateTimeFormat('en-AU', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(at)
}

export function overviewModel(o: Overview) {
  const money = (minor: bigint) => displayMoney(minor, o.currency)
  const floatLow = o.floatThreshold !== null && o.available_minor < o.floatThreshold
  const attention: { text: string; href: string }[] = []
  if (o.suspended) {
    attention.push({
      text: 'The operator has suspended this provider: new claims are refused and open links show as unavailable.',
      href: '/console/settings',
    })
  }
  if (o.webhooks.disabled) {
    attention.push({
      text: 'Webhooks are turned off for your endpoint.',
      href: '/console/webhooks',
    })
  }
  if (o.webhooks.exhausted > 0) {
    attention.push({
      text: `${o.webhooks.exhausted} webhook${o.webhooks.exhausted === 1 ? '' : 's'} could not be delivered.`,
      href: '/console/webhooks',
    })
  }
  if (floatLow && o.floatThreshold !== null) {
    attention.push({
      text: `The float is below ${money(o.floatThreshold)}.`,
      href: '/console/float',
    })
  }
  if (o.heldPayouts > 0) {
    attention.push({
      text: `${o.heldPayouts} payout${o.heldPayouts === 1 ? ' is' : 's are'} delayed at the rail or waiting on the operator.`,
      href: '/console/claims?status=processing',
    })
  }
  const total = o.paidPerDay.reduce((sum, d) => sum + d.minor, 0n)
  return {
    available: money(o.available_minor),
    reserved: money(o.reserved_minor),
    threshold: o.floatThreshold === null ? undefined : money(o.floatThreshold),
    floatLow,
    claimRows: STATUS_LABELS.map(([status, label]) => ({
      status: label,
      counts: o.claims.map((c) => c.byStatus[status] ?? 0) as [number, number, number],
    })),
    chart: o.paidPerDay.map((d) => ({
      day: d.day,
      label: shortDay(d.day),
      amount: money(d.minor),
      minor: Number(d.minor),
    })),
    paidTotal: money(total),
    webhooks: {
      delivered: o.webhooks.delivered,
      pending: o.webhooks.pending,
      exhausted: o.webhooks.exhausted,
    },
    attention,
  }
}

export function overviewRoutes() {
  return createRouter<ConsoleEnv>().get('/console', requireMember, async (c) => {
    const overview = await loadOverview(c.var.deps, c.var.console.scope)
    return render(
      c,
      OverviewPage({ chrome: memberChrome(c, 'overview'), model: overviewModel(overview) }),
    )
  })
}
