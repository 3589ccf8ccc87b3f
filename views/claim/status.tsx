import type { StatusModel } from './model.ts'

const HEADINGS: Record<StatusModel['state'], string> = {
  processing: 'Sending your money',
  paid: 'Paid',
  failed: 'We couldn’t pay this cashout',
  expired: 'This cashout has expired',
  cancelled: 'This cashout was cancelled',
}

/** After confirming: progress, then the result. Scripts reload it on change; a refresh also works. */
export function Status({ status, cash }: { status: StatusModel; cash: string }) {
  return (
    <section
      class={`status ${status.state}`}
      data-state={status.state}
      data-poll={status.pollUrl}
      aria-live="polite"
    >
      <h2>
        {status.state === 'paid' ? (
          <span class="tick" aria-hidden="true">
            ✓{' '}
          </span>
        ) : null}
        {HEADINGS[status.state]}
      </h2>
      {status.state === 'processing' ? (
        <>
          <p>
            {cash} is on its way to <span class="destination">{status.destination}</span>.
          </p>
          {status.delay ? (
            <p class="delay">{status.delay}</p>
          ) : (
            <p class="muted">This usually takes less than a minute.</p>
          )}
          <p class="muted">This page updates by itself.</p>
          <p class="muted">
            <a href={status.pageUrl}>Refresh</a>
          </p>
        </>
      ) : null}
      {status.state === 'paid' ? (
        <p>
          {cash} was sent to <span class="destination">{status.destination}</span>
          {status.at ? ` on ${status.at}` : ''}.
        </p>
      ) : null}
      {status.reason ? <p>{status.reason}</p> : null}
    </section>
  )
}
