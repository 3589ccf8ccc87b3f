import type { ClaimListModel } from '../../src/console/claims-model.ts'
import { ErrorSummary, Input, Select } from './components.tsx'
import { type Chrome, ConsoleLayout } from './layout.tsx'

/** The filters: a plain GET form, so a filtered list is a link that can be kept or shared. */
function Filters({ model }: { model: ClaimListModel }) {
  const { values, errors } = model
  return (
    <form method="get" action="/console/claims" class="claim-filters" aria-label="Filter claims">
      <div class="filter-grid">
        <Select
          name="status"
          label="Status"
          value={values.status}
          options={model.statusOptions}
          error={errors.status}
        />
        <Input
          name="from"
          label="Created from"
          type="date"
          value={values.from}
          error={errors.from}
        />
        <Input name="to" label="Created to" type="date" value={values.to} error={errors.to} />
        <Input
          name="customer"
          label="Customer id"
          value={values.customer}
          error={errors.customer}
        />
        <Input
          name="q"
          label="Reference or uuid"
          type="search"
          value={values.q}
          error={errors.q}
          hint="Exactly your reference, or the claim’s uuid."
        />
      </div>
      <div class="actions">
        <button type="submit" class="button primary">
          Filter
        </button>
        {model.filtered ? (
          <a href="/console/claims" class="button secondary">
            Clear filters
          </a>
        ) : null}
      </div>
    </form>
  )
}

function ClaimTable({ rows }: { rows: ClaimListModel['rows'] }) {
  return (
    <div class="table-wrap">
      <table class="claims-stack">
        <caption class="visually-hidden">Claims, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Reference</th>
            <th scope="col">Customer</th>
            <th scope="col" class="num">
              Points
            </th>
            <th scope="col" class="num">
              Cash
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td data-label="Created">{r.created}</td>
              <td data-label="Reference" class="ref">
                <a href={r.href}>{r.reference}</a>
              </td>
              <td data-label="Customer">
                <span class="mono claim-text">{r.customer}</span>
              </td>
              <td data-label="Points" class="num">
                {r.points}
              </td>
              <td data-label="Cash" class="num">
                {r.cash}
              </td>
              <td data-label="Status">
                <span class={`claim-status ${r.statusClass}`}>{r.status}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function ClaimsPage({ chrome, model }: { chrome: Chrome; model: ClaimListModel }) {
  const hasErrors = Object.keys(model.errors).length > 0
  return (
    <ConsoleLayout title="Claims" chrome={chrome}>
      <ErrorSummary errors={model.errors} />
      <Filters model={model} />
      <div class="actions claims-bar">
        <p class="muted">
          {hasErrors
            ? 'Fix the filters above to see claims.'
            : model.rows.length === 0
              ? model.filtered
                ? 'No claims match these filters.'
                : 'No claims yet. Claims appear here as soon as your system generates them.'
              : `${model.rows.length} claim${model.rows.length === 1 ? '' : 's'} on this page, newest first.`}
        </p>
        {hasErrors ? null : (
          <a href={model.exportHref} class="button secondary" download>
            Export CSV
          </a>
        )}
      </div>
      {model.rows.length > 0 ? <ClaimTable rows={model.rows} /> : null}
      {model.nextHref || model.firstHref ? (
        <nav class="pager" aria-label="Pages of claims">
          {model.firstHref ? <a href={model.firstHref}>First page</a> : null}
          {model.nextHref ? <a href={model.nextHref}>Next page</a> : null}
        </nav>
      ) : null}
    </ConsoleLayout>
  )
}
