import { sql } from 'kysely'
import { type Actor, recordAudit } from '../audit/record.ts'
import type { Db, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import type { Scope } from '../modes.ts'
import { jsonInt, MAX_JSON_INT } from '../money.ts'
import { enqueueFloatLow } from '../webhooks/float-low.ts'

export interface FloatAlert {
  /** Null when the provider has no alert in this mode. */
  threshold_minor: bigint | null
  /** Whether the float is under the threshold now (and `float.low` went out for it). */
  below: boolean
}

export async function readFloatAlert(db: Db | Tx, scope: Scope): Promise<FloatAlert> {
  const row = await db
    .selectFrom('float_alerts')
    .select(['threshold_minor', 'below'])
    .where('provider_id', '=', scope.providerId)
    .where('livemode', '=', scope.livemode)
    .executeTakeFirst()
  return row ?? { threshold_minor: null, below: false }
}

/**
 * Run in the transaction that just moved the available float, after the move. One statement,
 * by primary key, changes the alert row only when the float crossed its threshold: under it
 * after a fall (`down`: queue `float.low` once), at or over it after a rise (`up`: re-arm, so
 * the next fall alerts again). Without a row, or without a crossing, it writes nothing. The
 * float's row is locked by the move, so the balance read here is the one just written.
 */
export async function checkFloatAlert(
  tx: Tx,
  input: { scope: Scope; accountId: string; move: 'down' | 'up'; now: Date },
): Promise<boolean> {
  const { scope, now } = input
  const { rows } = await sql<{
    threshold_minor: bigint
    balance: bigint
    currency: string
    below: boolean
  }>`
    update float_alerts as fa
    set below = (a.balance < fa.threshold_minor), updated_at = ${now}::timestamptz
    from ledger_accounts as a
    where fa.provider_id = ${scope.providerId}::uuid and fa.livemode = ${scope.livemode}::boolean
      and a.id = ${input.accountId}::uuid
      and fa.below <> (a.balance < fa.threshold_minor)
      and (${input.move === 'down'}::boolean or fa.below)
    returning fa.threshold_minor, a.balance, a.currency, fa.below`.execute(tx)
  const changed = rows[0]
  if (!changed?.below) return false
  await enqueueFloatLow(tx, {
    providerId: scope.providerId,
    livemode: scope.livemode,
    availableMinor: changed.balance,
    thresholdMinor: changed.threshold_minor,
    currency: changed.currency,
    at: now,
  })
  return true
}

export interface ThresholdResult extends FloatAlert {
  available_minor: bigint
  currency: string
  /** Whether this change queued `float.low` (a threshold set above the float is a crossing). */
  alerted: boolean
}

/**
 * Sets (or, with null, removes) the low-float threshold of one mode. A threshold above the
 * float alerts at once, unless the float was already under the previous one and alerted then.
 */
export async function setFloatThreshold({
  deps,
  scope,
  thresholdMinor,
  actor,
}: {
  deps: Pick<AppDeps, 'db' | 'clock' | 'wakeWebhooks' | 'cache'>
  scope: Scope
  thresholdMinor: bigint | null
  actor: Actor
}): Promise<ThresholdResult> {
  if (thresholdMinor !== null && (thresholdMinor < 0n || thresholdMinor > MAX_JSON_INT)) {
    throw new DomainError('validation_failed', {
      details: [{ field: 'threshold_minor', message: `Must be between 0 and ${MAX_JSON_INT}.` }],
    })
  }
  const now = deps.clock.now()
  const result = await withTx(deps.db, async (tx) => {
    // Locked as a money move locks it, so no move slips between this read and the decision.
    const account = await tx
      .selectFrom('ledger_accounts')
      .select(['balance', 'currency'])
      .where('provider_id', '=', scope.providerId)
      .where('livemode', '=', scope.livemode)
      .where('kind', '=', 'available')
      .forUpdate()
      .executeTakeFirstOrThrow()
    const previous = await readFloatAlert(tx, scope)
    const unchanged = { ...previous, available_minor: account.balance, currency: account.currency }
    if (previous.threshold_minor === thresholdMinor) return { ...unchanged, alerted: false }

    let below = false
    if (thresholdMinor === null) {
      await tx
        .deleteFrom('float_alerts')
        .where('provider_id', '=', scope.providerId)
        .where('livemode', '=', scope.livemode)
        .execute()
    } else {
      below = account.balance < thresholdMinor
      await tx
        .insertInto('float_alerts')
        .values({
          provider_id: scope.providerId,
          livemode: scope.livemode,
          threshold_minor: thresholdMinor,
          below,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc
            .columns(['provider_id', 'livemode'])
            .doUpdateSet({ threshold_minor: thresholdMinor, below, updated_at: now }),
        )
        .execute()
    }
    const alerted = below && !previous.below
    if (alerted && thresholdMinor !== null) {
      await enqueueFloatLow(tx, {
        providerId: scope.providerId,
        livemode: scope.livemode,
        availableMinor: account.balance,
        thresholdMinor,
        currency: account.currency,
        at: now,
      })
    }
    const shown = (v: bigint | null) => (v === null ? null : jsonInt(v))
    await recordAudit(tx, {
      actor,
      providerId: scope.providerId,
      livemode: scope.livemode,
      action: 'float.threshold_changed',
      target: scope.livemode ? 'live float' : 'test float',
      before: { threshold_minor: shown(previous.threshold_minor) },
      after: { threshold_minor: shown(thresholdMinor) },
      at: now,
    })
    return { ...unchanged, threshold_minor: thresholdMinor, below, alerted }
  })
  deps.cache.forgetProvider(scope.providerId)
  if (result.alerted) deps.wakeWebhooks?.()
  return result
}
