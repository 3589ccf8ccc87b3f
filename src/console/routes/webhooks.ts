import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import {
  type DeliveryModel,
  type WebhooksModel,
  WebhooksPage,
} from '../../../views/console/webhooks.tsx'
import type { Delivery } from '../../db/schema.ts'
import { isDomainError } from '../../errors/domain-error.ts'
import { decodeCursor, encodeCursor, type Position } from '../../http/cursor.ts'
import { createRouter } from '../../http/router.ts'
import { modeName } from '../../modes.ts'
import { displayTime } from '../../page/format.ts'
import { updateProfile } from '../../providers/profile.ts'
import { spendSendBudget } from '../../webhooks/budget.ts'
import { replayDelivery, rotateSecret, sendTestEvent } from '../../webhooks/manage.ts'
import {
  type Attempt,
  attemptsOf,
  listDeliveries,
  webhookState,
} from '../../webhooks/repository.ts'
import {
  assertCan,
  type ConsoleEnv,
  can,
  fieldErrors,
  memberChrome,
  readForm,
  render,
  requireMember,
} from '../http.ts'

type Ctx = Context<ConsoleEnv>

const PAGE_SIZE = 20
const MESSAGE_ID = /^msg_[0-9a-f]{32}$/
/** How long the old secret keeps signing after a rotation from the console: one day. */
const OVERLAP_SECONDS = 86_400

/** What a redirect after a successful action says; only these fixed sentences are shown. */
const NOTICES: Record<string, string> = {
  replayed: 'The delivery is queued again from the start of its schedule, with the same id.',
  test: 'A test event is queued. It appears below with its attempt once it is sent.',
  endpoint: 'The endpoint is saved and deliveries are on.',
}

const STATUS_WORDS: Record<Delivery['status'], string> = {
  delivered: 'Delivered',
  pending: 'Waiting',
  exhausted: 'Gave up',
}

function deliveryModel(d: Delivery, attempts: Attempt[], tz: string): DeliveryModel {
  return {
    id: d.id,
    event: d.event_type,
    status: STATUS_WORDS[d.status],
    statusKind: d.status,
    created: displayTime(d.created_at, tz),
    claim: d.claim_id ? { uuid: d.claim_id, href: `/console/claims/${d.claim_id}` } : undefined,
    next: d.status === 'pending' && d.attempts > 0 ? displayTime(d.next_attempt_at, tz) : undefined,
    attempts: attempts.map((a) => ({
      n: a.attempt,
      at: displayTime(a.attempted_at, tz),
      outcome: a.status_code === null ? 'No answer' : `HTTP ${a.status_code}`,
      latency: `${a.latency_ms} ms`,
      error: a.error ?? undefined,
    })),
  }
}

function cursorOf(raw: string | undefined): Position | undefined {
  if (!raw) return undefined
  try {
    return decodeCursor(raw.slice(0, 500), MESSAGE_ID)
  } catch {
    // A cursor from an old bookmark or a typo: show the newest page instead of an error.
    return undefined
  }
}

async function showPage(
  c: Ctx,
  extra: Partial<
    Pick<WebhooksModel, 'secret' | 'endpointInput' | 'endpointError' | 'refused'>
  > = {},
  status: ContentfulStatusCode = 200,
) {
  const { deps } = c.var
  const { scope, role } = c.var.console
  const tz = deps.config.displayTimeZone
  const after = cursorOf(c.req.query('cursor'))
  const state = await webhookState(deps.db, scope, deps.clock.now())
  const rows = await listDeliveries(deps.db, { scope, after, limit: PAGE_SIZE + 1 })
  const page = rows.slice(0, PAGE_SIZE)
  const attempts = await attemptsOf(
    deps.db,
    page.map((d) => d.id),
  )
  const last = page.at(-1)
  const model: WebhooksModel = {
    mode: modeName(scope.livemode),
    endpoint: state.endpoint,
    enabled: state.disabled === null,
    disabledText: state.disabled
      ? `Off since ${displayTime(state.disabled.at, tz)}${state.disabled.reason ? `: ${state.disabled.reason}` : '.'} Save the endpoint to turn deliveries back on.`
      : undefined,
    pausedText: state.pausedUntil
      ? `Paused: the endpoint failed its last ${state.failing} attempts. One message is tried again at ${displayTime(state.pausedUntil, tz)}; once one is delivered, the rest follow. Waiting spends none of their attempts.`
      : undefined,
    previousSecretUntil: state.previousSecretValidUntil
      ? displayTime(state.previousSecretValidUntil, tz)
      : undefined,
    pending: state.pending,
    exhausted: state.exhausted,
    deliveries: page.map((d) => deliveryModel(d, attempts.get(d.id) ?? [], tz)),
    olderHref:
      rows.length > PAGE_SIZE && last
        ? `/console/webhooks?cursor=${encodeURIComponent(encodeCursor(last))}`
        : undefined,
    newestHref: after ? '/console/webhooks' : undefined,
    notice: NOTICES[c.req.query('done') ?? ''],
    endpointInput: state.endpoint,
    can: {
      replay: can(role, 'webhooks.replay'),
      test: can(role, 'webhooks.test'),
      manage: can(role, 'webhooks.manage'),
    },
    ...extra,
  }
  return render(c, WebhooksPage({ chrome: memberChrome(c, 'webhooks'), model }), status)
}

/** The endpoint, its state and its deliveries; replay, test, rotate the secret, change the URL. */
export function consoleWebhooksRoutes() {
  return createRouter<ConsoleEnv>()
    .get('/console/webhooks', requireMember, (c) => showPage(c))
    .post('/console/webhooks/deliveries/:id/replay', requireMember, async (c) => {
      await readForm(c)
      assertCan(c, 'webhooks.replay')
      await replayDelivery({
        deps: c.var.deps,
        scope: c.var.console.scope,
        id: c.req.param('id'),
        actor: c.var.console.actor,
      })
      return c.redirect('/console/webhooks?done=replayed', 303)
    })
    .post('/console/webhooks/test', requireMember, async (c) => {
      await readForm(c)
      assertCan(c, 'webhooks.test')
      await sendTestEvent({
        deps: c.var.deps,
        scope: c.var.console.scope,
        actor: c.var.console.actor,
      })
      return c.redirect('/console/webhooks?done=test', 303)
    })
    .post('/console/webhooks/secret', requireMember, async (c) => {
      await readForm(c)
      // Owners hold the account, so the live-key rule of the API does not bind them; the
      // rotation is in the audit log under their name.
      assertCan(c, 'webhooks.manage')
      try {
        const rotated = await rotateSecret({
          deps: c.var.deps,
          providerId: c.var.console.provider.id,
          overlapSeconds: OVERLAP_SECONDS,
          actor: c.var.console.actor,
        })
        // Shown in this response only; the page itself never reads the secret back.
        return showPage(c, { secret: rotated.secret })
      } catch (error) {
        if (!isDomainError(error, 'webhook_secret_overlaps')) throw error
        // The API's message speaks of overlap_seconds, which the page does not offer.
        const refused =
          'Three earlier secrets still sign beside the current one, each for a day after its rotation; another rotation now would cut one short. Rotate again once the oldest stops.'
        return showPage(c, { refused }, 409)
      }
    })
    .post('/console/webhooks/endpoint', requireMember, async (c) => {
      const form = await readForm(c)
      assertCan(c, 'webhooks.manage')
      // The same budget as the API's endpoint changes, test events and replays.
      spendSendBudget(c.var.deps, c.var.console.provider.id)
      const endpoint = (form.endpoint ?? '').trim()
      try {
        await updateProfile({
          deps: c.var.deps,
          providerId: c.var.console.provider.id,
          actor: c.var.console.actor,
          input: { endpoint },
        })
      } catch (error) {
        if (!isDomainError(error, 'validation_failed')) throw error
        const errors = fieldErrors(error.details)
        return showPage(
          c,
          { endpointInput: endpoint, endpointError: errors.endpoint ?? errors.form },
          422,
        )
      }
      return c.redirect('/console/webhooks?done=endpoint', 303)
    })
}
