import { sql } from 'kysely'
import type { ClaimStatus } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import { providerBalance } from '../ledger/balance.ts'
import type { Scope } from '../modes.ts'
import { currentRule } from '../rules/repository.ts'

const DAY_MS = 24 * 3600_000

export interface Overview {
  currency: string
  available_minor: bigint
  reserved_minor: bigint
  /** Claims made in the last 1, 7 and 30 days, by status. */
  claims: { days: number; byStatus: Partial<Record<ClaimStatus, number>> }[]
  /** Cash paid out per calendar day (display time zone), oldest first, 30 entries. */
  paidPerDay: { day: string; minor: bigint }[]
  webhooks: {
    disabled: { at: Date; reason: string | null } | null
    delivered: number
    pending: number
    exhausted: number
  }
  /** Payouts of this provider waiting on the operator or on the rail for long. */
  heldPayouts: number
  suspended: boolean
  floatThreshold: bigint | null
}

/** `YYYY-MM-DD` of an instant in a time zone. */
export function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, dateStyle: 'short' }).format(at)
}

/** The overview's figures in a few grouped reads; nothing here writes. */
export async function loadOverview(
  deps: Pick<AppDeps, 'db' | 'clock' | 'config'>,
  scope: Scope,
): Promise<Overview> {
  const { db } = deps
  const now = deps.clock.now()
  const tz = deps.config.displayTimeZone
  const rule = await currentRule(db, scope)
  const balance = await providerBalance(db, scope, rule.currency)
  const since30 = new Date(now.getTime() - 30 * DAY_MS)

  const claimRows = await db
    .selectFrom('claims')
    .select((eb) => [
      'status',
      eb.fn
        .countAll<string>()
        .filterWhere('created_at', '>=', new Date(now.getTime() - DAY_MS))
        .as('d1'),
      eb.fn
        .countAll<string>()
        .filterWhere('created_at', '>=', new Date(now.getTime() - 7 * DAY_MS))
        .as('d7'),
      eb.fn.countAll<string>().as('d30'),
    ])
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .where('created_at', '>=', since30)
    .groupBy('status')
    .execute()
  const claims = ([1, 7, 30] as const).map((days) => {
    const byStatus: Partial<Record<ClaimStatus, number>> = {}
    for (const row of claimRows) {
      const n = Number(days === 1 ? row.d1 : days === 7 ? row.d7 : row.d30)
      if (n > 0) byStatus[row.status] = n
    }
    return { days, byStatus }
  })

  const paidRows = await db
    .selectFrom('ledger_transfers')
    .select([
      sql<string>`to_char(created_at at time zone ${tz}, 'YYYY-MM-DD')`.as('day'),
      (eb) => eb.fn.sum<string>('amount_minor').as('total'),
    ])
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .where('kind', '=', 'payout')
    .where('created_at', '>=', since30)
    .groupBy('day')
    .execute()
  const paid = new Map(paidRows.map((r) => [r.day, BigInt(r.total)]))
  const paidPerDay = Array.from({ length: 30 }, (_, i) => {
    const day = dayIn(new Date(now.getTime() - (29 - i) * DAY_MS), tz)
    return { day, minor: paid.get(day) ?? 0n }
  })

  const deliveryRows = await db
    .selectFrom('webhook_deliveries')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .where('created_at', '>=', new Date(now.getTime() - 7 * DAY_MS))
    .groupBy('status')
    .execute()
  const count = (status: string) => Number(deliveryRows.find((r) => r.status === status)?.n ?? 0)

  const provider = await db
    .selectFrom('providers')
    .select(['webhook_disabled_at', 'webhook_disabled_reason', 'suspended_at'])
    .where('id', '=', scope.providerId)
    .executeTakeFirstOrThrow()
  const held = await db
    .selectFrom('payouts')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .where((eb) => eb.or([eb('status', '=', 'held'), eb('waiting_on', 'is not', null)]))
    .where('status', 'not in', ['settled', 'failed'])
    .executeTakeFirstOrThrow()
  const alert = await db
    .selectFrom('float_alerts')
    .select('threshold_minor')
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .executeTakeFirst()

  return {
    currency: rule.currency,
    available_minor: balance.available_minor,
    reserved_minor: balance.reserved_minor,
    claims,
    paidPerDay,
    webhooks: {
      disabled: provider.webhook_disabled_at
        ? { at: provider.webhook_disabled_at, reason: provider.webhook_disabled_reason }
        : null,
      delivered: count('delivered'),
      pending: count('pending'),
      exhausted: count('exhausted'),
    },
    heldPayouts: Number(held.n),
    suspended: provider.suspended_at !== null,
    floatThreshold: alert?.threshold_minor ?? null,
  }
}
