import { Notice } from './components.tsx'
import { type Chrome, ConsoleLayout } from './layout.tsx'

export interface OverviewModel {
  available: string
  reserved: string
  threshold?: string
  floatLow: boolean
  /** Rows: status label, then counts for 1, 7 and 30 days. */
  claimRows: { status: string; counts: [number, number, number] }[]
  chart: { day: string; label: string; amount: string; minor: number }[]
  paidTotal: string
  webhooks: { delivered: number; pending: number; exhausted: number; disabled?: string }
  attention: { text: string; href: string }[]
}

/** Cash paid per day as bars, with the figures in text for anyone who cannot see the bars. */
function PaidChart({ chart, total }: { chart: OverviewModel['chart']; total: string }) {
  // A narrow drawing, so on a phone its labels stay as large as the text around it.
  const width = 360
  const height = 150
  const top = 10
  const bottom = 26
  const max = Math.max(1, ...chart.map((d) => d.minor))
  const slot = width / chart.length
  const plot = height - top - bottom
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="paid-title"
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id="paid-title">{`Cash paid out per day for the last 30 days: ${total} in all.`}</title>
        <line x1="0" y1={height - bottom} x2={width} y2={height - bottom} stroke="#1b1b1f" />
        {chart.map((d, i) => {
          const h = d.minor === 0 ? 0 : Math.max(2, Math.round((d.minor / max) * plot))
          return (
            <rect
              x={(i * slot + 1).toFixed(1)}
              y={height - bottom - h}
              width={(slot - 2).toFixed(1)}
              height={h}
              fill="#0a5c36"
            >
              <title>{`${d.label}: ${d.amount}`}</title>
            </rect>
          )
        })}
        {chart.map((d, i) =>
          // Four labels a week apart, and the last day flush right, so none collide or clip.
          i % 7 === 2 || i === chart.length - 1 ? (
            <text
              x={(i === chart.length - 1 ? width : i * slot + slot / 2).toFixed(1)}
              y={height - 8}
              font-size="13"
              text-anchor={i === chart.length - 1 ? 'end' : 'middle'}
              fill="#1b1b1f"
            >
              {d.label}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption>
        {total} paid out in the last 30 days.{' '}
        <details>
          <summary>Show each day</summary>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col" class="num">
                    Paid out
                  </th>
                </tr>
              </thead>
              <tbody>
                {chart.map((d) => (
                  <tr>
                    <td>{d.label}</td>
                    <td class="num">{d.amount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </figcaption>
    </figure>
  )
}

function PaidOut({ model }: { model: OverviewModel }) {
  if (model.chart.every((d) => d.minor === 0)) {
    return <p class="muted">No cash paid out in the last 30 days.</p>
  }
  return <PaidChart chart={model.chart} total={model.paidTotal} />
}

export function OverviewPage({ chrome, model }: { chrome: Chrome; model: OverviewModel }) {
  return (
    <ConsoleLayout title="Overview" chrome={chrome}>
      {model.attention.length > 0 ? (
        <Notice kind="warning">
          <h2>Needs attention</h2>
          <ul>
            {model.attention.map((a) => (
              <li>
                <a href={a.href}>{a.text}</a>
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <div class="cards">
        <div class="card">
          <div class="label">Float available</div>
          <div class="value">{model.available}</div>
          {model.threshold ? (
            <div class="muted">
              {model.floatLow ? 'Below' : 'Alert below'} {model.threshold}
            </div>
          ) : null}
        </div>
        <div class="card">
          <div class="label">Reserved for open claims</div>
          <div class="value">{model.reserved}</div>
        </div>
        <div class="card">
          <div class="label">Webhooks, last 7 days</div>
          <div class="value">{model.webhooks.delivered} delivered</div>
          <div class="muted">
            {model.webhooks.pending} waiting · {model.webhooks.exhausted} gave up
          </div>
        </div>
      </div>
      <h2>Claims</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Today
              </th>
              <th scope="col" class="num">
                7 days
              </th>
              <th scope="col" class="num">
                30 days
              </th>
            </tr>
          </thead>
          <tbody>
            {model.claimRows.map((r) => (
              <tr>
                <th scope="row">{r.status}</th>
                {r.counts.map((n) => (
                  <td class="num">{n}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Cash paid out</h2>
      <PaidOut model={model} />
    </ConsoleLayout>
  )
}
