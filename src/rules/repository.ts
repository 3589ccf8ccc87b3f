import { sql } from 'kysely'
import type { Db, Rule, Tx } from '../db/schema.ts'
import { DomainError } from '../errors/domain-error.ts'
import type { Scope } from '../modes.ts'

export type RuleFields = Omit<
  Rule,
  'provider_id' | 'livemode' | 'version' | 'created_at' | 'created_by'
>

/** 1 point = 1 cent AUD, no fee, no caps, claims live 7 days with no reminder. */
export const DEFAULT_RULE: RuleFields = {
  currency: 'AUD',
  rate_points: 1n,
  rate_cash_minor: 1n,
  min_points: 1n,
  max_points: null,
  step_points: 1n,
  fee_fixed_minor: 0n,
  fee_bps: 0,
  fee_payer: 'provider',
  cap_daily_minor: null,
  cap_30d_minor: null,
  claim_lifetime_seconds: 7 * 24 * 3600,
  expiry_reminder_seconds: null,
}

/** Adds the next version of a provider's rule in one mode; earlier versions stay as they were. */
export async function insertRuleVersion(
  tx: Tx,
  scope: Scope,
  fields: RuleFields,
  now: Date,
  createdBy: string | null = null,
): Promise<Rule> {
  const { providerId, livemode } = scope
  await sql`select pg_advisory_xact_lock(hashtextextended(${`rules:${providerId}:${livemode}`}, 0))`.execute(
    tx,
  )
  const latest = await tx
    .selectFrom('rules')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('provider_id', '=', providerId)
    .where('livemode', '=', livemode)
    .executeTakeFirst()
  return tx
    .insertInto('rules')
    .values({
      provider_id: providerId,
      livemode,
      version: (latest?.version ?? 0) + 1,
      ...fields,
      created_by: createdBy,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function currentRule(db: Db | Tx, scope: Scope): Promise<Rule> {
  return db
    .selectFrom('rules')
    .selectAll()
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
}

export async function ruleVersion(db: Db, scope: Scope, version: number): Promise<Rule> {
  const rule = await db
    .selectFrom('rules')
    .selectAll()
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .where('version', '=', version)
    .executeTakeFirst()
  if (!rule) throw new DomainError('not_found', { message: `There is no rule version ${version}.` })
  return rule
}

export async function listRuleVersions(db: Db, scope: Scope): Promise<Rule[]> {
  return db
    .selectFrom('rules')
    .selectAll()
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .orderBy('version', 'desc')
    .execute()
}
