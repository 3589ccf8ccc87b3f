import type { FloatModel, StatementLine } from '../../src/console/float-model.ts'
import { ErrorSummary, Input, Notice, PostForm, Summary } from './components.tsx'
import { type Chrome, ConsoleLayout } from './layout.tsx'

function AlertStatus({ alert }: { alert: FloatModel['alert'] }) {
  if (!alert.current) return <p>No alert is set.</p>
  return alert.below ? (
    <p class="float-alert-state below">
      <strong>The float is below {alert.current}.</strong> A float.low webhook was sent when it
      dropped under; another goes out after it is topped up and drops again.
    </p>
  ) : (
    <p class="float-alert-state">
      Alert when the float drops below <strong>{alert.current}</strong>.
    </p>
  )
}

function AlertForm({ alert, csrf }: { alert: FloatModel['alert']; csrf: string }) {
  return (
    <PostForm action="/console/float/threshold" csrf={csrf}>
      <Input
        name="threshold"
        label="Alert below"
        hint="In dollars, for example 500 or 1250.50."
        value={alert.input}
        error={alert.error}
        inputmode="decimal"
        autocomplete="off"
        short
      />
      <div class="actions">
        <button type="submit" class="button primary" name="action" value="save">
          Save alert
        </button>
        {alert.current ? (
          <button type="submit" class="button secondary" name="action" value="clear">
            Turn off alert
          </button>
        ) : null}
      </div>
    </PostForm>
  )
}

function Reference({ line }: { line: StatementLine }) {
  const ref = line.reference
  if (!ref) return <span class="muted">—</span>
  if (!ref.href) return <span class="mono">{ref.text}</span>
  return (
    <>
      <a href={ref.href} class="mono">
        {ref.text}
      </a>
      {ref.uuid && ref.uuid !== ref.text ? <span class="mono muted uuid">{ref.uuid}</span> : null}
    </>
  )
}

function StatementTable({ lines }: { lines: StatementLine[] }) {
  return (
    <div class="table-wrap">
      <table class="statement">
        <caption class="visually-hidden">Float statement, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">What</th>
            <th scope="col">Reference</th>
            <th scope="col" class="num">
              In
            </th>
            <th scope="col" class="num">
              Out
            </th>
            <th scope="col" class="num">
              Balance after
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr>
              <td data-label="Date">{line.date}</td>
              <td data-label="What">{line.kind}</td>
              <td data-label="Reference" class="ref">
                <Reference line={line} />
              </td>
              <td data-label="In" class={line.moneyIn ? 'num in' : 'num none'}>
                {line.moneyIn ?? ''}
              </td>
              <td data-label="Out" class={line.moneyOut ? 'num out' : 'num none'}>
                {line.moneyOut ?? ''}
              </td>
              <td data-label="Balance after" class="num running">
                {line.balance}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function FloatPage({ chrome, model }: { chrome: Chrome; model: FloatModel }) {
  const errors = { threshold: model.alert.error }
  return (
    <ConsoleLayout title="Float" chrome={chrome}>
      {model.notice ? <Notice kind={model.notice.kind}>{model.notice.text}</Notice> : null}
      <ErrorSummary errors={errors} />
      <h2 class="visually-hidden">Balances</h2>
      <div class="cards">
        {model.balances.map((b) => (
          <div class="card">
            <div class="label">{b.label}</div>
            <div class="value">{b.value}</div>
            <div class="muted">{b.note}</div>
          </div>
        ))}
      </div>
      <div class="float-totals">
        <Summary rows={model.totals.map((t) => [t.label, t.value])} />
      </div>

      <section aria-labelledby="alert-heading" class="float-alert">
        <h2 id="alert-heading">Low-balance alert</h2>
        <AlertStatus alert={model.alert} />
        {model.alert.canManage ? (
          <AlertForm alert={model.alert} csrf={chrome.csrf} />
        ) : (
          <p class="muted">Only an owner can change the alert.</p>
        )}
      </section>

      <section aria-labelledby="statement-heading">
        <h2 id="statement-heading">Statement</h2>
        <div class="actions statement-bar">
          <p class="muted">
            Every credit, reservation and return of the available float, newest first, with the
            balance after each.
          </p>
          <a href={model.exportHref} class="button secondary" download>
            Export CSV
          </a>
        </div>
        {model.lines.length > 0 ? (
          <StatementTable lines={model.lines} />
        ) : (
          <p>Nothing yet. The float’s first credit will appear here, then every claim it backs.</p>
        )}
        {model.nextHref || model.firstHref ? (
          <nav class="pager" aria-label="Pages of the statement">
            {model.firstHref ? <a href={model.firstHref}>Newest entries</a> : null}
            {model.nextHref ? <a href={model.nextHref}>Older entries</a> : null}
          </nav>
        ) : null}
      </section>
    </ConsoleLayout>
  )
}
