import { type Actor, recordAudit } from '../audit/record.ts'
import type { Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'

export interface Suspension {
  providerId: string
  name: string
  suspendedAt: Date | null
  reason: string | null
  /** False when the provider was already in the state asked for: nothing was written. */
  changed: boolean
}

type Deps = Pick<AppDeps, 'db' | 'clock' | 'cache'>

/**
 * Stops a provider making claims: generate is refused with `provider_suspended` and its open
 * claim pages say the link is unavailable. Suspending a suspended provider changes nothing and
 * keeps the first reason, so a repeated request is harmless.
 */
export async function suspendProvider({
  deps,
  actor,
  name,
  reason,
}: {
  deps: Deps
  actor: Actor
  name: string
  reason: string
}): Promise<Suspension> {
  return withTx(deps.db, async (tx) => {
    const now = deps.clock.now()
    // One conditional UPDATE decides a race between two suspensions: only one writes and audits.
    const updated = await tx
      .updateTable('providers')
      .set({ suspended_at: now, suspended_reason: reason, updated_at: now })
      .where('name', '=', name)
      .where('suspended_at', 'is', null)
      .returning(['id', 'name', 'suspended_at', 'suspended_reason'])
      .executeTakeFirst()
    if (!updated) return view(await current(tx, name), false)
    await recordAudit(tx, {
      actor,
      providerId: updated.id,
      action: 'provider.suspended',
      target: updated.name,
      before: { suspended: false },
      after: { suspended: true, reason },
      at: now,
    })
    // Forgotten before commit too: a generate elsewhere checks the suspension in its own write.
    deps.cache.forgetProvider(updated.id)
    return view(updated, true)
  })
}

/** Lets a suspended provider make claims again; resuming an active provider changes nothing. */
export async function resumeProvider({
  deps,
  actor,
  name,
  reason,
}: {
  deps: Deps
  actor: Actor
  name: string
  reason?: string | null
}): Promise<Suspension> {
  return withTx(deps.db, async (tx) => {
    const now = deps.clock.now()
    const before = await tx
      .selectFrom('providers')
      .select(['id', 'suspended_reason'])
      .where('name', '=', name)
      .where('suspended_at', 'is not', null)
      .forUpdate()
      .executeTakeFirst()
    if (!before) return view(await current(tx, name), false)
    const updated = await tx
      .updateTable('providers')
      .set({ suspended_at: null, suspended_reason: null, updated_at: now })
      .where('id', '=', before.id)
      .returning(['id', 'name', 'suspended_at', 'suspended_reason'])
      .executeTakeFirstOrThrow()
    await recordAudit(tx, {
      actor,
      providerId: updated.id,
      action: 'provider.resumed',
      target: updated.name,
      before: { suspended: true, reason: before.suspended_reason },
      after: reason ? { suspended: false, reason } : { suspended: false },
      at: now,
    })
    // Forgotten before commit too: a generate elsewhere checks the suspension in its own write.
    deps.cache.forgetProvider(updated.id)
    return view(updated, true)
  })
}

type Row = { id: string; name: string; suspended_at: Date | null; suspended_reason: string | null }

async function current(db: Tx, name: string) {
  const row = await db
    .selectFrom('providers')
    .select(['id', 'name', 'suspended_at', 'suspended_reason'])
    .where('name', '=', name)
    .executeTakeFirst()
  if (!row) throw new DomainError('not_found', { message: `No provider is named ${name}.` })
  return row
}

function view(row: Row, changed: boolean): Suspension {
  return {
    providerId: row.id,
    name: row.name,
    suspendedAt: row.suspended_at,
    reason: row.suspended_reason,
    changed,
  }
}
