import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Errors } from '../../../views/console/components.tsx'
import { type CreditValues, ProviderPage, ProvidersPage } from '../../../views/console/operator.tsx'
import { ActivityPage } from '../../../views/console/operator-activity.tsx'
import { type PayoutItem, PayoutsPage } from '../../../views/console/operator-payouts.tsx'
import { REVIEW_TEXT } from '../../../views/console/operator-review.tsx'
import { DomainError, isDomainError } from '../../errors/domain-error.ts'
import { decodeCursor } from '../../http/cursor.ts'
import { createRouter } from '../../http/router.ts'
import { text } from '../../http/text.ts'
import { creditFloat } from '../../ledger/credit.ts'
import { circuitView, payoutsNeedingAttention } from '../../operator/payouts.ts'
import { resolvePayout } from '../../operator/resolve.ts'
import { displayMoney } from '../../page/format.ts'
import { findPayout } from '../../payouts/repository.ts'
import { findProviderByName, providersSharingCard } from '../../providers/repository.ts'
import { decideReview, REVIEWED_FIELDS, type ReviewedField } from '../../providers/review.ts'
import { resumeProvider, suspendProvider } from '../../providers/suspend.ts'
import {
  liveAvailable,
  type OperatorConsoleEnv,
  operatorChrome,
  readForm,
  render,
  requireOperatorSession,
} from '../http.ts'
import {
  activityItem,
  FLOAT_CURRENCY,
  firstIssue,
  loadActivity,
  loadProviders,
  providerCard,
  providerHref,
  readCreditForm,
  suspensionOf,
  textReviewOf,
} from '../operator-model.ts'
import { payoutItem, railNotice, readResolveForm, resolvedNotice } from '../operator-payouts.ts'

type Ctx = Context<OperatorConsoleEnv>

const PAGE = 50
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const reasonText = text(500, 5)

/** One provider's page, after a GET or any of its forms. */
async function providerPage(
  c: Ctx,
  name: string,
  extra: {
    credit?: CreditValues
    errors?: Errors
    notice?: { kind: 'success' | 'warning'; text: string }
  } = {},
  status: ContentfulStatusCode = 200,
) {
  const { deps } = c.var
  const tz = deps.config.displayTimeZone
  const { providers } = await loadProviders(deps, { name, limit: 1 })
  const row = providers[0]
  if (!row) throw notFound(name)
  const activity = await loadActivity(deps, { providerId: row.id, limit: 10 })
  const shared = await providersSharingCard(deps.db, row.id)
  const model = {
    card: providerCard(row, tz, liveAvailable(c)),
    reviews: REVIEWED_FIELDS.flatMap((field) => textReviewOf(row, field, tz) ?? []),
    sameCard: shared.names.map((n) => ({ name: n, href: providerHref(n) })),
    sameCardMore: shared.count - shared.names.length,
    suspension: suspensionOf(row, tz),
    liveAvailable: liveAvailable(c),
    csrf: c.var.csrf,
    recent: activity.entries.map((e) => activityItem(e, tz)),
    activityHref: `/console/operator/activity?provider=${encodeURIComponent(row.name)}`,
  }
  return render(
    c,
    ProviderPage({ chrome: operatorChrome(c, 'providers'), model, ...extra }),
    status,
  )
}

/** The operator's decision on a display name or support contact, from the provider's page. */
async function reviewForm(c: Ctx, field: ReviewedField) {
  const form = await readForm(c)
  const name = c.req.param('name') ?? ''
  const approve = form.decision === 'approve'
  const wanted = form.text ?? ''
  const reasonField = REVIEW_TEXT[field].reasonField
  const reason = (form[reasonField] ?? '').trim()
  if (!approve) {
    const checked = reasonText.safeParse(reason)
    if (!checked.success) {
      const message =
        reason === '' ? 'Required when rejecting: the provider reads it.' : firstIssue(checked)
      return providerPage(c, name, { errors: { [reasonField]: message } }, 422)
    }
  }
  try {
    const done = await decideReview({
      deps: c.var.deps,
      actor: c.var.actor,
      name,
      field,
      decision: { approve, text: wanted, reason: approve ? undefined : reason },
    })
    c.var.logger.info(`${field.replace('_', ' ')} reviewed by the operator`, {
      provider: name,
      status: done.status,
      changed: done.changed,
    })
    const shows = done.shown === null ? 'no contact' : `“${done.shown}”`
    const decided = approve
      ? `“${wanted}” is approved: ${name}’s claim pages show it.`
      : `“${wanted}” is refused: ${name}’s claim pages show ${shows}.`
    return providerPage(c, name, {
      notice: done.changed
        ? { kind: 'success', text: decided }
        : { kind: 'warning', text: `That was already decided; nothing changed. ${decided}` },
    })
  } catch (error) {
    if (!isDomainError(error, 'validation_failed')) throw error
    const text = error.details?.[0]?.message ?? error.message
    return providerPage(c, name, { notice: { kind: 'warning', text } }, 422)
  }
}

function notFound(name: string) {
  return new DomainError('not_found', { message: `No provider is named ${name}.` })
}

/** The payouts page, with one payout's form sent back when it needs fixing. */
async function payoutsPage(
  c: Ctx,
  extra: { notice?: string; failed?: Pick<PayoutItem, 'id' | 'values' | 'errors'> } = {},
  status: ContentfulStatusCode = 200,
) {
  const { deps } = c.var
  const tz = deps.config.displayTimeZone
  const rows = await payoutsNeedingAttention(deps)
  const items = rows.map((r) => {
    const item = payoutItem(r, tz, deps.clock.now())
    return extra.failed?.id === item.id ? { ...item, ...extra.failed } : item
  })
  const channels = [deps.rails.test, ...(deps.rails.live ? [deps.rails.live] : [])]
  const rails = channels.flatMap((ch) => railNotice(ch === deps.rails.test, circuitView(ch), tz))
  return render(
    c,
    PayoutsPage({
      chrome: operatorChrome(c, 'payouts'),
      model: { items, rails, notice: extra.notice },
    }),
    status,
  )
}

export function consoleOperatorRoutes() {
  return createRouter<OperatorConsoleEnv>()
    .get('/console/operator', requireOperatorSession, async (c) => {
      const { deps } = c.var
      const search = (c.req.query('q') ?? '').trim().slice(0, 40)
      const after = c.req.query('after')?.slice(0, 40)
      const page = await loadProviders(deps, { search, after, limit: PAGE })
      const tz = deps.config.displayTimeZone
      const shown = page.providers.length
      const count = search
        ? `${shown}${page.more ? '+' : ''} found for “${search}”.`
        : `${shown}${page.more ? '+' : ''} provider${shown === 1 ? '' : 's'}${after ? ` after ${after}` : ''}, by name.`
      const last = page.providers.at(-1)
      return render(
        c,
        ProvidersPage({
          chrome: operatorChrome(c, 'providers'),
          model: {
            count,
            search,
            providers: page.providers.map((p) => providerCard(p, tz, liveAvailable(c))),
            nextHref:
              page.more && last
                ? `/console/operator?${new URLSearchParams({ ...(search ? { q: search } : {}), after: last.name })}`
                : undefined,
          },
        }),
      )
    })
    .get('/console/operator/providers/:name', requireOperatorSession, (c) =>
      providerPage(c, c.req.param('name')),
    )
    .post('/console/operator/providers/:name/credit', requireOperatorSession, async (c) => {
      const form = await readForm(c)
      const name = c.req.param('name')
      const credit = { amount: form.amount, reference: form.reference, mode: form.mode }
      const read = readCreditForm(form, liveAvailable(c))
      if ('errors' in read) return providerPage(c, name, { credit, errors: read.errors }, 422)
      const { livemode, amountMinor, reference } = read
      const { deps } = c.var
      try {
        const result = await creditFloat({
          deps,
          input: { provider: { name }, livemode, amountMinor, reference },
          actor: c.var.actor,
        })
        const money = displayMoney(result.amountMinor, FLOAT_CURRENCY)
        const float = livemode ? 'live' : 'test'
        c.var.logger.info('float credited by the operator', {
          provider: name,
          livemode,
          amount_minor: String(result.amountMinor),
          replayed: result.replayed,
        })
        const notice = result.replayed
          ? {
              kind: 'warning' as const,
              text: `Reference ${reference} was already credited (${money} to the ${float} float): nothing moved.`,
            }
          : {
              kind: 'success' as const,
              text: `Credited ${money} to the ${float} float of ${name} (reference ${reference}).`,
            }
        return providerPage(c, name, { notice })
      } catch (error) {
        if (isDomainError(error, 'idempotency_conflict')) {
          const errors: Errors = {}
          errors.reference =
            'This reference was already used for a different amount, and nothing moved. Use a new reference for a different amount.'
          return providerPage(c, name, { credit, errors }, 409)
        }
        if (isDomainError(error, 'amount_too_large')) {
          return providerPage(c, name, { credit, errors: { amount: error.message } }, 422)
        }
        throw error
      }
    })
    .post('/console/operator/providers/:name/suspend', requireOperatorSession, async (c) => {
      const form = await readForm(c)
      const name = c.req.param('name')
      const reason = (form.reason ?? '').trim()
      const checked = reasonText.safeParse(reason)
      if (!checked.success) {
        return providerPage(c, name, { errors: { reason: `Reason: ${firstIssue(checked)}` } }, 422)
      }
      const done = await suspendProvider({ deps: c.var.deps, actor: c.var.actor, name, reason })
      c.var.logger.warn('provider suspended by the operator', {
        provider: name,
        changed: done.changed,
      })
      return providerPage(c, name, {
        notice: done.changed
          ? { kind: 'success', text: `${name} is suspended: it cannot generate claims.` }
          : { kind: 'warning', text: `${name} was already suspended; nothing changed.` },
      })
    })
    .post('/console/operator/providers/:name/resume', requireOperatorSession, async (c) => {
      const form = await readForm(c)
      const name = c.req.param('name')
      const reason = (form.reason ?? '').trim()
      const checked = text(500).safeParse(reason)
      if (reason !== '' && !checked.success) {
        const message = `Reason: ${firstIssue(checked)}`
        return providerPage(c, name, { errors: { resume_reason: message } }, 422)
      }
      const done = await resumeProvider({
        deps: c.var.deps,
        actor: c.var.actor,
        name,
        reason: reason || null,
      })
      c.var.logger.warn('provider resumed by the operator', {
        provider: name,
        changed: done.changed,
      })
      return providerPage(c, name, {
        notice: done.changed
          ? { kind: 'success', text: `${name} is active again: it can generate claims.` }
          : { kind: 'warning', text: `${name} was not suspended; nothing changed.` },
      })
    })
    .post('/console/operator/providers/:name/display-name', requireOperatorSession, (c) =>
      reviewForm(c, 'display_name'),
    )
    .post('/console/operator/providers/:name/support-contact', requireOperatorSession, (c) =>
      reviewForm(c, 'support_contact'),
    )
    .get('/console/operator/payouts', requireOperatorSession, async (c) => {
      const resolved = c.req.query('resolved')
      const payout =
        resolved && UUID.test(resolved) ? await findPayout(c.var.deps.db, resolved) : undefined
      return payoutsPage(c, { notice: payout ? resolvedNotice(payout) : undefined })
    })
    .post('/console/operator/payouts/:id/resolve', requireOperatorSession, async (c) => {
      const form = await readForm(c)
      const id = c.req.param('id')
      if (!UUID.test(id))
        throw new DomainError('not_found', { message: 'There is no payout with that id.' })
      const read = readResolveForm(form)
      if ('errors' in read) {
        const values = { outcome: form.outcome, reason: form.reason }
        return payoutsPage(c, { failed: { id, values, errors: read.errors } }, 422)
      }
      const { resolution } = read
      try {
        const changed = await resolvePayout({
          deps: c.var.deps,
          actor: c.var.actor,
          payoutId: id,
          resolution,
        })
        c.var.logger.warn('payout resolved by the operator', {
          payout_id: id,
          status: resolution.status,
          final: resolution.final,
          reason: resolution.reason,
        })
        return c.redirect(`/console/operator/payouts?resolved=${changed.id}`, 303)
      } catch (error) {
        if (!isDomainError(error, 'payout_final') && !isDomainError(error, 'payout_not_sent')) {
          throw error
        }
        return payoutsPage(c, { notice: error.message }, 409)
      }
    })
    .get('/console/operator/activity', requireOperatorSession, async (c) => {
      const { deps } = c.var
      const tz = deps.config.displayTimeZone
      const name = (c.req.query('provider') ?? '').trim().slice(0, 40)
      const cursor = c.req.query('cursor')
      const provider = name ? await findProviderByName(deps.db, name) : undefined
      if (name && !provider) {
        const model = { provider: name, providerError: `No provider is named ${name}.`, items: [] }
        return render(c, ActivityPage({ chrome: operatorChrome(c, 'activity'), model }), 422)
      }
      const page = await loadActivity(deps, {
        providerId: provider?.id,
        after: cursor ? decodeCursor(cursor, UUID) : undefined,
        limit: PAGE,
      })
      const query = (extra: Record<string, string>) =>
        `/console/operator/activity?${new URLSearchParams({ ...(name ? { provider: name } : {}), ...extra })}`
      const model = {
        provider: name,
        items: page.entries.map((e) => activityItem(e, tz)),
        newerHref: cursor ? query({}) : undefined,
        olderHref: page.next ? query({ cursor: page.next }) : undefined,
      }
      return render(c, ActivityPage({ chrome: operatorChrome(c, 'activity'), model }))
    })
}
