import { sql } from 'kysely'
import { sha256Hex } from '../crypto/bytes.ts'
import { grouped } from '../db/group.ts'
import type { Claim, ClaimLocale, Db, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError, isDomainError } from '../errors/domain-error.ts'
import { checkFloatAlert } from '../ledger/float-alert.ts'
import type { Scope } from '../modes.ts'
import { type ClaimContext, loadClaimContext } from '../providers/cache.ts'
import { assertWithinCaps, hasCaps, priceClaim } from '../rules/quote.ts'
import { effectsCtes, effectsOf, insufficientFloat } from './effects.ts'
import { CREATE } from './lifecycle.ts'
import { customerUsage, findClaimByRef, lockKey } from './repository.ts'

export interface GenerateInput {
  /** Points to cash out. */
  amount: number
  /** The provider's own reference; a repeat with the same body returns the same claim. */
  id: string
  customer_id?: string
  expires_in?: number
  /** The claim page's language, whatever the customer's browser prefers. */
  locale?: ClaimLocale
}

export interface GenerateResult {
  claim: Claim
  replayed: boolean
}

type Deps = Pick<AppDeps, 'db' | 'clock' | 'wakeWebhooks' | 'cache' | 'groups'>

/**
 * Creates a claim: prices the points under the provider's current rule, reserves the amount from
 * the float and records `claim.created`. The usual case is one statement: what it needs to know
 * comes from the provider cache, and the statement itself checks that what it knew still holds
 * (the key, the rule version, the suspension, the threshold), starting again from a fresh read
 * if not. Idempotency is the unique reference: a repeat, however concurrent, inserts nothing and
 * gets the first claim. Rules with per-customer caps, and floats with a low-float threshold, take
 * a transaction: caps are counted under a per-customer lock, and `float.low` is queued with the
 * reservation that crossed the threshold.
 */
export async function generateClaim({
  deps,
  scope,
  input,
  keyId,
}: {
  deps: Deps
  /** The provider, and the mode of its key: a test key makes test claims from the test float. */
  scope: Scope
  input: GenerateInput
  /** The key that asked, checked again in the write so a revocation anywhere stops it at once. */
  keyId?: string
}): Promise<GenerateResult> {
  const requestSha256 = await sha256Hex(
    JSON.stringify([
      input.amount,
      input.id,
      input.customer_id ?? null,
      input.expires_in ?? null,
      // Only when given, so a request without it hashes as it did before there was a locale.
      ...(input.locale ? [input.locale] : []),
    ]),
  )
  const replayOf = async (db: Db | Tx): Promise<GenerateResult | undefined> => {
    const claim = await findClaimByRef(db, scope, input.id)
    if (!claim) return undefined
    if (claim.request_sha256 !== requestSha256) {
      throw new DomainError('idempotency_conflict', {
        message: `Claim id ${input.id} was already used with a different request; send the same body to get that claim, or use a new id.`,
      })
    }
    return { claim, replayed: true }
  }
  const load = () => loadClaimContext(deps.db, scope)

  for (let attempt = 0; ; attempt++) {
    const context = await deps.cache.context(scope, load)
    const now = deps.clock.now()
    let draft: ReturnType<typeof draftClaim>
    try {
      if (context.suspended) throw new DomainError('provider_suspended')
      draft = draftClaim({ scope, input, context, requestSha256, now })
    } catch (error) {
      // A repeat of an earlier claim still answers: it makes nothing new.
      if (isDomainError(error)) {
        const earlier = await replayOf(deps.db)
        if (earlier) return earlier
      }
      throw error
    }
    const draftOf = ({ claim }: { claim: Claim }): ClaimDraft => ({
      claim,
      provider: context.name,
      floatAlert: context.floatAlert,
      keyId,
    })
    const slow = hasCaps(context.rule) || context.floatAlert
    const written = slow
      ? await withTx(deps.db, async (tx): Promise<Written | GenerateResult> => {
          const earlier = await replayOf(tx)
          if (earlier) return earlier
          if (hasCaps(context.rule)) await checkCaps(tx, scope, context, draft)
          const [result] = await writeClaims(tx, [draftOf(draft)])
          if (!result) throw new Error('the claim write returned nothing')
          if (result.kind !== 'written' || !result.availableId) return result
          const alerted = await checkFloatAlert(tx, {
            scope,
            accountId: result.availableId,
            move: 'down',
            now,
          })
          return { ...result, alerted }
        })
      : deps.groups
        ? await deps.groups.claims(draftOf(draft))
        : ((await writeClaims(deps.db, [draftOf(draft)]))[0] as Written)
    if ('replayed' in written) return written
    switch (written.kind) {
      case 'written':
        if (written.alerted) deps.wakeWebhooks?.()
        return { claim: draft.claim, replayed: false }
      case 'taken': {
        const earlier = await replayOf(deps.db)
        if (earlier) return earlier
        throw new Error(`claim reference ${input.id} is taken but cannot be read`)
      }
      case 'revoked':
        deps.cache.forgetProvider(scope.providerId)
        throw new DomainError('unauthorized', { message: 'The API key has been revoked.' })
      case 'stale':
        // What the cache knew has changed: read it again and start over.
        deps.cache.forgetProvider(scope.providerId)
        if (attempt >= 2) throw new Error('the provider changed three times during one generate')
    }
  }
}

export type Written =
  | { kind: 'written'; availableId?: string; alerted?: boolean }
  | { kind: 'taken' | 'stale' | 'revoked' }

/** The claim this request would create, priced in TypeScript under the cached rule. */
function draftClaim(input: {
  scope: Scope
  input: GenerateInput
  context: ClaimContext
  requestSha256: string
  now: Date
}) {
  const { scope, context, now } = input
  const rule = context.rule
  const quote = priceClaim(rule, BigInt(input.input.amount))
  const customerId = input.input.customer_id ?? null
  if (hasCaps(rule) && customerId === null) {
    throw new DomainError('validation_failed', {
      details: [{ field: 'customer_id', message: 'Required: your rule sets per-customer caps.' }],
    })
  }
  const lifetimeSeconds = input.input.expires_in ?? rule.claim_lifetime_seconds
  const expiresAt = new Date(now.getTime() + lifetimeSeconds * 1000)
  const claim: Claim = {
    id: crypto.randomUUID(),
    provider_id: scope.providerId,
    livemode: scope.livemode,
    provider_ref: input.input.id,
    request_sha256: input.requestSha256,
    customer_id: customerId,
    points: quote.points,
    rule_version: quote.rule_version,
    currency: quote.currency,
    gross_minor: quote.gross_minor,
    fee_minor: quote.fee_minor,
    fee_payer: quote.fee_payer,
    net_minor: quote.net_minor,
    reserved_minor: quote.reserved_minor,
    status: 'open',
    status_reason: null,
    locale: input.input.locale ?? null,
    event_sequence: 1,
    expires_at: expiresAt,
    remind_at: remindAt(expiresAt, rule.expiry_reminder_seconds, now),
    reminded_at: null,
    created_at: now,
    updated_at: now,
  }
  return { claim, quote, now }
}

/**
 * When `claim.expiring` is due: the rule's reminder before expiry, or none if the rule sets none
 * or the claim's own life (a shorter `expires_in`) is not longer than the reminder, since a
 * reminder due the moment a claim is made would only repeat the generate response.
 */
export function remindAt(expiresAt: Date, reminderSeconds: number | null, now: Date): Date | null {
  if (reminderSeconds === null) return null
  const at = new Date(expiresAt.getTime() - reminderSeconds * 1000)
  return at > now ? at : null
}

async function checkCaps(
  tx: Tx,
  scope: Scope,
  context: ClaimContext,
  draft: ReturnType<typeof draftClaim>,
) {
  const customerId = draft.claim.customer_id as string
  await lockKey(tx, `customer:${scope.providerId}:${scope.livemode}:${customerId}`)
  const usage = await customerUsage(tx, scope, customerId, draft.now)
  assertWithinCaps(context.rule, usage, draft.quote)
}

/** A claim ready to be written, with what its write must find still true. */
export interface ClaimDraft {
  claim: Claim
  /** The provider's name, for the event. */
  provider: string
  /** Whether the cache knew of a low-float threshold (the write checks it still agrees). */
  floatAlert: boolean
  keyId?: string
}

/**
 * The write: each claim, its `claim.created` event and its reservation, for any number of
 * claims in one statement, each only if its key is still active and its provider still as the
 * cache knew it. `taken` means the reference already names a claim (committed, or committed
 * while this waited on it). A float that cannot cover the claims fails the whole statement.
 */
export async function writeClaims(db: Db | Tx, drafts: ClaimDraft[]): Promise<Written[]> {
  const now = new Date(Math.max(...drafts.map((d) => d.claim.created_at.getTime())))
  const effects = effectsOf(
    CREATE,
    drafts.map((d) => ({ claim: d.claim, provider: d.provider })),
    now,
  )
  const rows = JSON.stringify(
    drafts.map((d) => ({ ...d.claim, key_id: d.keyId ?? null, float_alert: d.floatAlert })),
    (_, value) => (typeof value === 'bigint' ? value.toString() : value),
  )
  const { rows: results } = await insufficientFloat(() =>
    sql<{
      id: string
      key_ok: boolean
      fresh: boolean
      inserted: boolean
      available_id: string | null
      transfers: bigint
    }>`
      with drafts as (
        select * from json_to_recordset(${rows}::json) as d(id uuid, provider_id uuid,
          livemode boolean, provider_ref text, request_sha256 text, customer_id text,
          points bigint, rule_version integer, currency text, gross_minor bigint,
          fee_minor bigint, fee_payer text, net_minor bigint, reserved_minor bigint,
          expires_at timestamptz, remind_at timestamptz, created_at timestamptz, key_id uuid,
          float_alert boolean, locale text)
      ), checks as (
        select d.id,
          coalesce((select k.revoked_at is null from api_keys k where k.id = d.key_id),
            d.key_id is null) as key_ok,
          coalesce((select p.suspended_at is null from providers p where p.id = d.provider_id), false)
            and (select max(r.version) from rules r where r.provider_id = d.provider_id
              and r.livemode = d.livemode) = d.rule_version
            and exists (select 1 from float_alerts f where f.provider_id = d.provider_id
              and f.livemode = d.livemode) = d.float_alert
            as fresh
        from drafts d
      ), inserted as (
        insert into claims (id, provider_id, livemode, provider_ref, request_sha256, customer_id,
          points, rule_version, currency, gross_minor, fee_minor, fee_payer, net_minor,
          reserved_minor, status, event_sequence, expires_at, remind_at, created_at, updated_at,
          locale)
        select d.id, d.provider_id, d.livemode, d.provider_ref, d.request_sha256, d.customer_id,
          d.points, d.rule_version, d.currency, d.gross_minor, d.fee_minor, d.fee_payer,
          d.net_minor, d.reserved_minor, 'open', 1, d.expires_at, d.remind_at, d.created_at,
          d.created_at, d.locale
        from drafts d join checks c on c.id = d.id
        where c.key_ok and c.fresh
        on conflict (provider_id, livemode, provider_ref) do nothing
        returning id
      ), ${effectsCtes(effects, now, sql.raw('inserted'))}
      select c.id, c.key_ok, c.fresh, c.id in (select id from inserted) as inserted,
        (select m.id from moved m join drafts d on d.provider_id = m.provider_id
          and d.livemode = m.livemode where d.id = c.id and m.kind = 'available') as available_id,
        (select count(*) from transfers) as transfers
      from checks c`.execute(db),
  )
  const byId = new Map(results.map((r) => [r.id, r]))
  const inserted = new Set(results.filter((r) => r.inserted).map((r) => r.id))
  const posted = effects.postings.filter((p) => inserted.has(String(p.claim_id))).length
  if (BigInt(results[0]?.transfers ?? 0) !== BigInt(posted)) {
    throw new Error(`${posted} postings made ${results[0]?.transfers} transfers`)
  }
  return drafts.map((d): Written => {
    const row = byId.get(d.claim.id)
    if (!row) throw new Error('the claim write returned nothing for a claim')
    if (!row.key_ok) return { kind: 'revoked' }
    if (!row.fresh) return { kind: 'stale' }
    if (!row.inserted) return { kind: 'taken' }
    return { kind: 'written', availableId: row.available_id ?? undefined }
  })
}

/** A claim write shared with others arriving at the same time (see db/group.ts). */
export type ClaimWriteGroup = (draft: ClaimDraft) => Promise<Written>

/**
 * Concurrent generates of a provider all reserve from its one float, so written one by one
 * they queue on its row lock, each holding it through its commit. Grouped, one statement and
 * one commit write them all. Two drafts with one reference in a group: the first is written,
 * the others read as `taken` and answer from it.
 */
export function claimWriteGroup(db: Db): ClaimWriteGroup {
  return grouped(async (drafts: ClaimDraft[]) => {
    const seen = new Set<string>()
    const first = drafts.map((d) => {
      const ref = `${d.claim.provider_id}:${d.claim.livemode}:${d.claim.provider_ref}`
      const isFirst = !seen.has(ref)
      seen.add(ref)
      return isFirst
    })
    const written = await writeClaims(
      db,
      drafts.filter((_, i) => first[i]),
    )
    let next = 0
    return drafts.map(
      (_, i): Written => (first[i] ? (written[next++] as Written) : { kind: 'taken' }),
    )
  })
}
