import { Input } from './components.tsx'
import { type Chrome, ConsoleLayout } from './layout.tsx'

/** One audit entry, already in words. */
export interface ActivityItem {
  when: string
  /** ISO time, for the `<time>` element. */
  at: string
  who: string
  /** "Float credited". */
  what: string
  /** The dotted action, e.g. `float.credited`, for searching logs. */
  code: string
  provider?: { name: string; href: string }
  target?: string
  before?: string
  after?: string
}

/** Entries as a list, not a table: each one stays readable on a phone. */
export function ActivityList({ items, empty }: { items: ActivityItem[]; empty: string }) {
  if (items.length === 0) return <p class="muted">{empty}</p>
  return (
    <ol class="op-activity">
      {items.map((e) => (
        <li>
          <p class="op-what">
            <strong>{e.what}</strong>
            {e.target ? <span class="mono"> {e.target}</span> : null}
          </p>
          <p class="muted">
            <time datetime={e.at}>{e.when}</time> · by {e.who}
            {e.provider ? (
              <>
                {' · '}
                <a href={e.provider.href}>{e.provider.name}</a>
              </>
            ) : null}{' '}
            · <span class="mono">{e.code}</span>
          </p>
          {e.before || e.after ? (
            <dl class="op-change">
              {e.before ? (
                <>
                  <dt>Before</dt>
                  <dd class="mono">{e.before}</dd>
                </>
              ) : null}
              {e.after ? (
                <>
                  <dt>After</dt>
                  <dd class="mono">{e.after}</dd>
                </>
              ) : null}
            </dl>
          ) : null}
        </li>
      ))}
    </ol>
  )
}

export interface ActivityModel {
  provider: string
  /** Set when the filter named no provider. */
  providerError?: string
  items: ActivityItem[]
  newerHref?: string
  olderHref?: string
}

/** The whole audit log, every provider, newest first. */
export function ActivityPage({ chrome, model }: { chrome: Chrome; model: ActivityModel }) {
  return (
    <ConsoleLayout title="Activity" chrome={chrome}>
      <p>Every change made from the console, the API or by the operator, newest first.</p>
      <form method="get" action="/console/operator/activity" class="op-search">
        <Input
          name="provider"
          label="Provider"
          hint="A provider’s exact name; leave empty for all"
          value={model.provider}
          error={model.providerError}
        />
        <button type="submit" class="button secondary">
          Show
        </button>
      </form>
      <ActivityList items={model.items} empty="No activity yet." />
      {model.newerHref || model.olderHref ? (
        <nav class="pager" aria-label="Pages">
          {model.newerHref ? <a href={model.newerHref}>Newest</a> : null}
          {model.olderHref ? <a href={model.olderHref}>Older</a> : null}
        </nav>
      ) : null}
    </ConsoleLayout>
  )
}
