import { type Chrome, ConsoleLayout } from './layout.tsx'

/** One field of a change: what it was and what it became (either may be missing). */
export interface ChangeLine {
  field: string
  before?: string
  after?: string
}

export interface ActivityRow {
  when: string
  /** ISO time, for the `<time>` element. */
  at: string
  who: string
  /** "Changed the rule". */
  what: string
  /** The dotted action, e.g. `rule.updated`, as the API and logs name it. */
  action: string
  target?: string
  changes: ChangeLine[]
  /** "Live" or "Test"; undefined for changes that belong to no mode. */
  mode?: string
}

export interface ActivityModel {
  rows: ActivityRow[]
  filter: string
  filters: { value: string; label: string }[]
  /** Link to the next (older) page, when there is one. */
  older?: string
  /** Link back to the first page, when this is not it. */
  newest?: string
}

function Changes({ changes }: { changes: ChangeLine[] }) {
  if (changes.length === 0) return <span class="muted">—</span>
  return (
    <ul class="audit-change">
      {changes.map((ch) => (
        <li>
          <span class="audit-field">{ch.field}:</span>{' '}
          {ch.before !== undefined && ch.after !== undefined ? (
            <>
              <del>{ch.before}</del> <span aria-hidden="true">→</span>
              <span class="visually-hidden"> changed to </span> <ins>{ch.after}</ins>
            </>
          ) : ch.after !== undefined ? (
            ch.after
          ) : (
            <>
              <del>{ch.before}</del> <span class="muted">(removed)</span>
            </>
          )}
        </li>
      ))}
    </ul>
  )
}

export function ActivityPage({ chrome, model }: { chrome: Chrome; model: ActivityModel }) {
  return (
    <ConsoleLayout title="Activity" chrome={chrome}>
      <p>
        Every change to your account, made here, with an API key, by the operator or by Cashout
        itself, newest first. Machines read the same log at <code>GET /cashout/audit</code>.
      </p>
      <form method="get" action="/console/activity" class="audit-filter">
        <div class="field">
          <label for="f-show">Show</label>
          <select id="f-show" name="show">
            {model.filters.map((f) => (
              <option value={f.value} selected={f.value === model.filter}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button secondary">
          Show entries
        </button>
      </form>
      {model.rows.length === 0 ? (
        <p class="muted">
          {model.filter ? 'No entries of this kind yet.' : 'Nothing has been changed yet.'}
        </p>
      ) : (
        <div class="table-wrap">
          <table class="rows-on-phone audit">
            <caption class="visually-hidden">Changes, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {model.rows.map((r) => (
                <tr>
                  <td data-label="When">
                    <time datetime={r.at}>{r.when}</time>
                    {r.mode ? (
                      <span class={r.mode === 'Live' ? 'badge live' : 'badge test'}>{r.mode}</span>
                    ) : null}
                  </td>
                  <td data-label="Who" class="mono">
                    {r.who}
                  </td>
                  <td data-label="What">
                    <strong>{r.what}</strong>
                    {r.target ? <span class="audit-target mono">{r.target}</span> : null}
                    {r.what !== r.action ? (
                      <span class="audit-code mono muted">{r.action}</span>
                    ) : null}
                  </td>
                  <td data-label="Change">
                    <Changes changes={r.changes} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {model.older || model.newest ? (
        <nav class="pager" aria-label="Pages">
          {model.newest ? <a href={model.newest}>Newest entries</a> : null}
          {model.older ? <a href={model.older}>Older entries</a> : null}
        </nav>
      ) : null}
    </ConsoleLayout>
  )
}
