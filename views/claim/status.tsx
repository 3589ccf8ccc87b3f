import type { Child } from 'hono/jsx'
import type { DestinationModel, OfferModel, StatusModel, Translator } from './model.ts'
import { Ltr, Rich } from './text.tsx'

/** The destination as a sentence names it: "the account ••••5678", kept left to right. */
function Destination({ t, destination }: { t: Translator; destination: DestinationModel }) {
  if (!destination) return <>{t.t('destination.unknown')}</>
  const key = destination.kind === 'account' ? 'destination.account' : 'destination.payid'
  // Kept on one line: a masked value split at its hyphen reads in pieces.
  const masked = (
    <span class="masked">
      <Ltr>{destination.masked}</Ltr>
    </span>
  )
  return <Rich parts={t.parts(key)} values={{ account: masked, payid: masked }} />
}

/** After confirming: progress, then the result. Scripts reload it on change; a refresh also works. */
export function Status({
  t,
  status,
  offer,
}: {
  t: Translator
  status: StatusModel
  offer: OfferModel
}) {
  const cash = <span class="nowrap">{offer.cash}</span>
  const destination = <Destination t={t} destination={status.destination} />
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
        {t.t(`status.${status.state}`)}
      </h2>
      {status.state === 'processing' ? (
        <>
          <p>
            <Rich parts={t.parts('status.on_its_way')} values={{ cash, destination }} />
          </p>
          {status.delay ? (
            <p class="delay">{status.delay}</p>
          ) : (
            <p class="muted">{t.t('status.usually')}</p>
          )}
          <p class="muted">{t.t('status.updates')}</p>
          <p class="muted">
            <a href={status.pageUrl}>{t.t('status.refresh')}</a>
          </p>
        </>
      ) : null}
      {status.state === 'paid' ? (
        <p>
          <Rich parts={t.parts('receipt.sent')} values={{ cash, destination }} />
        </p>
      ) : null}
      {status.reason ? <p>{status.reason}</p> : null}
      {status.receipt ? <Receipt t={t} status={status} offer={offer} /> : null}
    </section>
  )
}

/**
 * The receipt of a paid claim: what was paid, for what, to where, when and under which
 * reference. It prints on one page (the print stylesheet keeps only this and the offer).
 */
function Receipt({ t, status, offer }: { t: Translator; status: StatusModel; offer: OfferModel }) {
  const receipt = status.receipt
  if (!receipt) return null
  const rows: [string, Child][] = [
    [t.t('receipt.amount'), offer.cash],
    [t.t('receipt.points'), offer.points],
  ]
  if (offer.fee) rows.push([t.t('receipt.fee'), offer.fee])
  const masked = status.destination ? <Ltr>{status.destination.masked}</Ltr> : null
  rows.push([
    t.t('receipt.paid_to'),
    receipt.accountName ? (
      <>
        <Ltr>{receipt.accountName}</Ltr>
        <br />
        {masked}
      </>
    ) : (
      masked
    ),
  ])
  rows.push([t.t('receipt.paid_on'), receipt.at])
  rows.push([t.t('receipt.from'), <bdi>{offer.provider}</bdi>])
  rows.push([t.t('receipt.reference'), <Ltr>{receipt.reference}</Ltr>])
  return (
    <div class="receipt">
      <h3>{t.t('receipt.title')}</h3>
      <dl class="summary">
        {rows.map(([label, value]) => (
          <div class="row">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p class="muted">{t.t('receipt.keep')}</p>
      <button type="button" class="button secondary" data-print hidden>
        {t.t('receipt.print')}
      </button>
    </div>
  )
}
