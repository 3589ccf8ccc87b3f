import type { ClaimDetailModel } from '../../src/console/claims-model.ts'
import { Notice, Summary } from './components.tsx'
import { type Chrome, ConsoleLayout } from './layout.tsx'

/** The cancel button, asking first when script runs (`data-confirm`); it posts either way. */
function CancelForm({
  cancel,
  csrf,
}: {
  cancel: NonNullable<ClaimDetailModel['cancel']>
  csrf: string
}) {
  return (
    <form method="post" action={cancel.action} class="cancel-claim" data-confirm={cancel.question}>
      <input type="hidden" name="csrf" value={csrf} />
      <p>
        Cancelling stops the customer’s link and returns {cancel.releases} to your float. It cannot
        be undone.
      </p>
      <button type="submit" class="button danger">
        Cancel claim
      </button>
    </form>
  )
}

function Timeline({ events }: { events: ClaimDetailModel['events'] }) {
  return (
    <div class="table-wrap">
      <table class="claim-events">
        <caption class="visually-hidden">Events of this claim, oldest first</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              #
            </th>
            <th scope="col">Event</th>
            <th scope="col">Time</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr>
              <td class="num">{e.sequence}</td>
              <td>
                {e.words} <code class="mono muted event-type">{e.type}</code>
              </td>
              <td>{e.at}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Payouts({ payouts }: { payouts: ClaimDetailModel['payouts'] }) {
  if (payouts.length === 0) {
    return <p class="muted">No payout yet: the customer has not chosen where to be paid.</p>
  }
  return (
    <div class="table-wrap">
      <table class="claims-stack">
        <caption class="visually-hidden">Payout attempts, first to last</caption>
        <thead>
          <tr>
            <th scope="col" class="num">
              Attempt
            </th>
            <th scope="col">Status</th>
            <th scope="col">Paid to (masked)</th>
            <th scope="col">Failure</th>
            <th scope="col">Started</th>
            <th scope="col">Last change</th>
          </tr>
        </thead>
        <tbody>
          {payouts.map((p) => (
            <tr>
              <td data-label="Attempt" class="num">
                {p.attempt}
              </td>
              <td data-label="Status">{p.status}</td>
              <td data-label="Paid to">
                <span class="mono claim-text">{p.destination}</span>
              </td>
              <td data-label="Failure">{p.failure}</td>
              <td data-label="Started">{p.created}</td>
              <td data-label="Last change">{p.updated}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function Deliveries({ deliveries }: { deliveries: ClaimDetailModel['deliveries'] }) {
  return (
    <>
      {deliveries.length === 0 ? (
        <p class="muted">No webhooks about this claim yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="claims-stack">
            <caption class="visually-hidden">Webhook deliveries about this claim</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col" class="num">
                  Attempts
                </th>
                <th scope="col">Last answer</th>
                <th scope="col">Delivered</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((d) => (
                <tr>
                  <td data-label="Event">
                    <code class="mono">{d.eventType}</code>
                  </td>
                  <td data-label="Status">{d.status}</td>
                  <td data-label="Attempts" class="num">
                    {d.attempts}
                  </td>
                  <td data-label="Last answer">{d.last}</td>
                  <td data-label="Delivered">{d.delivered}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <a href="/console/webhooks">See every delivery and replay them in Webhooks</a>
      </p>
    </>
  )
}

export function ClaimDetailPage({ chrome, model }: { chrome: Chrome; model: ClaimDetailModel }) {
  const s = model.summary
  return (
    <ConsoleLayout title={model.title} chrome={chrome}>
      <p>
        <a href="/console/claims">← All claims</a>
      </p>
      {model.notice ? <Notice kind={model.notice.kind}>{model.notice.text}</Notice> : null}
      <div class="claim-summary">
        <Summary
          rows={[
            ['Reference', <span class="mono">{s.reference}</span>],
            ['Uuid', <span class="mono">{s.uuid}</span>],
            [
              'Status',
              <>
                <span class={`claim-status ${s.statusClass}`}>{s.status}</span>
                {s.reason ? <span class="reason">{s.reason}</span> : null}
              </>,
            ],
            ['Points', s.points],
            ['Cash at the rule’s rate (gross)', s.gross],
            ['Fee', s.fee],
            ['Customer receives (net)', s.net],
            ['Fee paid by', s.feePayer],
            ['Rule', s.ruleVersion],
            ['Customer', <span class="mono">{s.customer}</span>],
            ['Page language', s.language],
            ['Created', s.created],
            ['Expires', s.expires],
          ]}
        />
      </div>
      {model.cancel ? <CancelForm cancel={model.cancel} csrf={chrome.csrf} /> : null}
      <h2>Timeline</h2>
      <Timeline events={model.events} />
      <h2>Payout attempts</h2>
      <Payouts payouts={model.payouts} />
      <h2>Webhook deliveries</h2>
      <Deliveries deliveries={model.deliveries} />
    </ConsoleLayout>
  )
}
