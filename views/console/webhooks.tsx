import type { Child } from 'hono/jsx'
import {
  ErrorSummary,
  Input,
  Notice,
  PostButton,
  PostForm,
  ShownOnce,
  Summary,
} from './components.tsx'
import { type Chrome, ConsoleLayout } from './layout.tsx'

export interface AttemptModel {
  n: number
  at: string
  /** "HTTP 200", or "No answer" when the request failed before a status came back. */
  outcome: string
  latency: string
  error?: string
}

export interface DeliveryModel {
  id: string
  event: string
  /** Words, not colours: "Delivered", "Waiting", "Gave up". */
  status: string
  statusKind: 'delivered' | 'pending' | 'exhausted'
  created: string
  claim?: { uuid: string; href: string }
  next?: string
  attempts: AttemptModel[]
}

export interface WebhooksModel {
  mode: 'test' | 'live'
  endpoint: string
  enabled: boolean
  /** Why and when deliveries were turned off. */
  disabledText?: string
  /** Set while the endpoint is paused after failing attempt after attempt. */
  pausedText?: string
  previousSecretUntil?: string
  pending: number
  exhausted: number
  deliveries: DeliveryModel[]
  olderHref?: string
  newestHref?: string
  notice?: string
  /** Why an action was refused, in words. */
  refused?: string
  /** A secret just made, shown this once. */
  secret?: string
  endpointInput: string
  endpointError?: string
  can: { replay: boolean; test: boolean; manage: boolean }
}

function State({ model }: { model: WebhooksModel }) {
  const rows: [string, Child][] = [
    ['Endpoint', <span class="mono">{model.endpoint}</span>],
    [
      'State',
      model.enabled ? (
        model.pausedText ? (
          <strong>{model.pausedText}</strong>
        ) : (
          'On: events are sent as they happen.'
        )
      ) : (
        <strong>{model.disabledText ?? 'Off.'}</strong>
      ),
    ],
    [`Waiting (${model.mode} data)`, String(model.pending)],
    [`Gave up (${model.mode} data)`, String(model.exhausted)],
  ]
  if (model.previousSecretUntil) {
    rows.push(['Old secrets still sign until', model.previousSecretUntil])
  }
  return <Summary rows={rows} />
}

function Attempts({ attempts }: { attempts: AttemptModel[] }) {
  if (attempts.length === 0) return <p class="muted">Not tried yet.</p>
  return (
    <ol class="attempts">
      {attempts.map((a) => (
        <li>
          <span class="when">{a.at}</span> · <strong>{a.outcome}</strong> · {a.latency}
          {a.error ? <span class="attempt-error">{a.error}</span> : null}
        </li>
      ))}
    </ol>
  )
}

function Delivery({ d, csrf, canReplay }: { d: DeliveryModel; csrf: string; canReplay: boolean }) {
  return (
    <li class="delivery">
      <div class="delivery-head">
        <h3 class="mono">{d.event}</h3>
        <span class={`pill ${d.statusKind}`}>{d.status}</span>
      </div>
      <p class="muted delivery-meta">
        <span class="mono">{d.id}</span> · made {d.created}
        {d.claim ? (
          <>
            {' '}
            · claim{' '}
            <a class="mono" href={d.claim.href}>
              {d.claim.uuid}
            </a>
          </>
        ) : null}
        {d.next ? ` · next try ${d.next}` : null}
      </p>
      <Attempts attempts={d.attempts} />
      {canReplay ? (
        <PostForm action={`/console/webhooks/deliveries/${d.id}/replay`} csrf={csrf} inline>
          <button type="submit" class="button secondary">
            Replay<span class="visually-hidden">{` ${d.event} ${d.id}`}</span>
          </button>
        </PostForm>
      ) : null}
    </li>
  )
}

export function WebhooksPage({ chrome, model }: { chrome: Chrome; model: WebhooksModel }) {
  const errors = { endpoint: model.endpointError }
  return (
    <ConsoleLayout title="Webhooks" chrome={chrome}>
      {model.notice ? <Notice kind="success">{model.notice}</Notice> : null}
      {model.refused ? <Notice kind="warning">{model.refused}</Notice> : null}
      {model.secret ? <ShownOnce label="Your new signing secret" value={model.secret} /> : null}
      <ErrorSummary errors={errors} />
      <h2>Endpoint</h2>
      <State model={model} />
      <p class="muted">
        The endpoint and signing secret serve test and live data alike. Each message is signed
        (Standard Webhooks); a message that fails is tried ten times over about three days.
      </p>
      <div class="actions">
        {model.can.test ? (
          <PostButton action="/console/webhooks/test" csrf={chrome.csrf} label="Send test" />
        ) : null}
        {model.can.manage ? (
          <form
            method="post"
            action="/console/webhooks/secret"
            class="inline"
            data-confirm="Make a new signing secret? The old one keeps signing for 24 hours, then stops."
          >
            <input type="hidden" name="csrf" value={chrome.csrf} />
            <button type="submit" class="button secondary">
              Rotate secret
            </button>
          </form>
        ) : null}
      </div>
      {model.can.manage ? (
        <p class="muted">
          After rotating, the old secret keeps signing alongside the new one for 24 hours, so your
          receiver can switch over without missing a message.
        </p>
      ) : null}
      {model.can.manage ? (
        <>
          <h2>Change endpoint</h2>
          <div class="form-block">
            <PostForm action="/console/webhooks/endpoint" csrf={chrome.csrf}>
              <Input
                name="endpoint"
                label="Endpoint URL"
                type="url"
                value={model.endpointInput}
                error={model.endpointError}
                hint="An https address on the public internet. Saving it, even unchanged, turns deliveries back on and ends a pause."
              />
              <button type="submit" class="button primary">
                Change endpoint
              </button>
            </PostForm>
          </div>
        </>
      ) : null}
      <h2>Deliveries</h2>
      <p class="muted">Newest first, {model.mode} data only, with every attempt.</p>
      {model.deliveries.length === 0 ? (
        <p>No deliveries yet{model.newestHref ? ' on this page' : ''}.</p>
      ) : (
        <ul class="deliveries">
          {model.deliveries.map((d) => (
            <Delivery d={d} csrf={chrome.csrf} canReplay={model.can.replay} />
          ))}
        </ul>
      )}
      <nav class="pager" aria-label="Deliveries pages">
        {model.newestHref ? <a href={model.newestHref}>Newest deliveries</a> : null}
        {model.olderHref ? <a href={model.olderHref}>Older deliveries</a> : null}
      </nav>
    </ConsoleLayout>
  )
}
