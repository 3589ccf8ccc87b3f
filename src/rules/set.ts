import { type Actor, recordAudit } from '../audit/record.ts'
import type { Rule } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import type { Scope } from '../modes.ts'
import { currentRule, insertRuleVersion, type RuleFields } from './repository.ts'
import { ruleView } from './schemas.ts'

/** The fields that differ between two versions, as `{field: [before, after]}` in API terms. */
export function ruleChanges(before: Rule, after: Rule) {
  const a = ruleView(before) as Record<string, unknown>
  const b = ruleView(after) as Record<string, unknown>
  const changed: Record<string, [unknown, unknown]> = {}
  for (const key of Object.keys(b)) {
    if (key === 'version' || key === 'created_at' || key === 'created_by') continue
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) changed[key] = [a[key], b[key]]
  }
  return changed
}

/**
 * Makes the next version of a provider's rule, from the API or the console. Existing claims keep
 * the version they were priced with. Who made it is kept on the version and in the audit log.
 */
export async function setRule({
  deps,
  scope,
  fields,
  actor,
}: {
  deps: Pick<AppDeps, 'db' | 'clock' | 'cache'>
  scope: Scope
  fields: RuleFields
  actor: Actor
}): Promise<Rule> {
  const now = deps.clock.now()
  const rule = await withTx(deps.db, async (tx) => {
    const before = await currentRule(tx, scope)
    const rule = await insertRuleVersion(tx, scope, fields, now, actor.label)
    const changes = ruleChanges(before, rule)
    await recordAudit(tx, {
      actor,
      providerId: scope.providerId,
      livemode: scope.livemode,
      action: 'rule.updated',
      target: `version ${rule.version}`,
      before: Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v[0]])),
      after: Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v[1]])),
      at: now,
    })
    return rule
  })
  // This process prices its next claim under the new version at once; every process's write
  // checks the version too (claims/generate.ts), so none prices under an old one for long.
  deps.cache.forgetProvider(scope.providerId)
  return rule
}
