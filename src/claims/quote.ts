import type { Rule } from '../db/schema.ts'
import type { AppDeps } from '../deps.ts'
import type { Scope } from '../modes.ts'
import { type CapUsage, priceClaim, type Quote } from '../rules/quote.ts'
import { currentRule } from '../rules/repository.ts'
import { customerUsage } from './repository.ts'

/** What a claim for these points would be now, without creating or reserving anything. */
export async function quoteClaim({
  deps,
  scope,
  points,
  customerId,
}: {
  deps: Pick<AppDeps, 'db' | 'clock'>
  scope: Scope
  points: number
  customerId?: string
}): Promise<{ quote: Quote; rule: Rule; usage: CapUsage | undefined }> {
  const rule = await currentRule(deps.db, scope)
  const quote = priceClaim(rule, BigInt(points))
  const usage =
    customerId === undefined
      ? undefined
      : await customerUsage(deps.db, scope, customerId, deps.clock.now())
  return { quote, rule, usage }
}
