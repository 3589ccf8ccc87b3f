import { sql } from 'kysely'
import { type Actor, recordAudit, SYSTEM } from '../audit/record.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'
import { jsonInt, MAX_JSON_INT } from '../money.ts'
import { findProviderById, findProviderByName } from '../providers/repository.ts'
import { providerAccounts } from './accounts.ts'
import { checkFloatAlert } from './float-alert.ts'
import { transfer } from './transfer.ts'

export interface CreditInput {
  /** The provider, by name (the operator) or by id (a test key funding its own test float). */
  provider: { name: string } | { id: string }
  livemode: boolean
  amountMinor: bigint
  reference: string
}

export interface CreditResult {
  providerId: string
  transferId: string
  amountMinor: bigint
  reference: string
  createdAt: Date
  replayed: boolean
}

const CURRENCY = 'AUD'

/**
 * Funds a provider's float in one mode from the platform's funding account of that mode.
 * Idempotent on `reference` (per mode): the same reference and amount answer with the original
 * credit; another amount is a conflict. A new credit is written to the audit log as `actor`'s
 * (a replay writes nothing); `actor` defaults to Cashout itself for callers not yet naming one.
 */
export async function creditFloat({
  deps,
  input,
  actor = SYSTEM,
}: {
  deps: Pick<AppDeps, 'db' | 'clock'>
  input: CreditInput
  actor?: Actor
}): Promise<CreditResult> {
  return withTx(deps.db, async (tx) => {
    const wanted = input.provider
    const provider =
      'name' in wanted
        ? await findProviderByName(tx, wanted.name)
        : await findProviderById(tx, wanted.id)
    if (!provider) {
      throw new DomainError('not_found', {
        message: 'name' in wanted ? `No provider is named ${wanted.name}.` : 'No such provider.',
      })
    }
    const scope = { providerId: provider.id, livemode: input.livemode }
    await sql`select pg_advisory_xact_lock(hashtextextended(${`credit:${provider.id}:${input.livemode}:${input.reference}`}, 0))`.execute(
      tx,
    )
    const previous = await tx
      .selectFrom('ledger_transfers')
      .select(['id', 'amount_minor', 'created_at'])
      .where('provider_id', '=', provider.id)
      .where('livemode', '=', input.livemode)
      .where('kind', '=', 'credit')
      .where('reference', '=', input.reference)
      .executeTakeFirst()
    if (previous) {
      if (previous.amount_minor !== input.amountMinor) {
        throw new DomainError('idempotency_conflict', {
          message: `Reference ${input.reference} already credited ${previous.amount_minor} minor units; use a new reference for a different amount.`,
        })
      }
      return result(provider.id, previous.id, previous.amount_minor, previous.created_at, true)
    }
    const now = deps.clock.now()
    const { available, platform } = await providerAccounts(tx, scope, CURRENCY)
    const credited = await tx
      .selectFrom('ledger_transfers')
      .select((eb) => eb.fn.sum<string>('amount_minor').as('total'))
      .where('provider_id', '=', provider.id)
      .where('livemode', '=', input.livemode)
      .where('kind', '=', 'credit')
      .executeTakeFirst()
    const creditedTotal = BigInt(credited?.total ?? 0)
    if (
      available.balance + input.amountMinor > MAX_JSON_INT ||
      creditedTotal + input.amountMinor > MAX_JSON_INT
    ) {
      throw new DomainError('amount_too_large', {
        message: `This credit would take the float past ${MAX_JSON_INT} minor units, the most Cashout holds for one provider.`,
      })
    }
    const moved = await transfer(tx, {
      providerId: provider.id,
      livemode: input.livemode,
      from: platform.funding,
      to: available.id,
      amount: input.amountMinor,
      kind: 'credit',
      reference: input.reference,
      now,
    })
    await recordAudit(tx, {
      actor,
      providerId: provider.id,
      livemode: input.livemode,
      action: 'float.credited',
      target: input.reference,
      after: {
        amount_minor: jsonInt(input.amountMinor),
        reference: input.reference,
        livemode: input.livemode,
      },
      at: now,
    })
    await checkFloatAlert(tx, { scope, accountId: available.id, move: 'up', now })
    return result(provider.id, moved.id, input.amountMinor, now, false)
  })

  function result(
    providerId: string,
    transferId: string,
    amountMinor: bigint,
    createdAt: Date,
    replayed: boolean,
  ): CreditResult {
    return {
      providerId,
      transferId,
      amountMinor,
      reference: input.reference,
      createdAt,
      replayed,
    }
  }
}
