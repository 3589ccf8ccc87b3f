import type { OfferModel } from './model.ts'

export function Offer({ offer }: { offer: OfferModel }) {
  return (
    <>
      {offer.testMode ? <TestModeBanner /> : null}
      <header class="offer">
        <p class="provider">{offer.provider}</p>
        <h1>
          <span class="amount">{offer.cash}</span>
          <span class="visually-hidden"> </span>
          <span class="for">for {offer.points}</span>
        </h1>
        {offer.fee ? <p class="fee">Includes a {offer.fee} fee, already taken off.</p> : null}
        {offer.expires ? <p class="expires">Link expires {offer.expires}</p> : null}
      </header>
    </>
  )
}

/** On every page of a test claim, so nobody mistakes a rehearsal for a payment. */
function TestModeBanner() {
  return (
    <p class="test-mode" role="note">
      <strong>Test mode — no money will move.</strong> This link was made to try Cashout out; the
      payment is simulated.
    </p>
  )
}

/** The provider's contact, at the foot of every page of its claim. */
export function Support({ offer }: { offer: OfferModel }) {
  if (!offer.support) return null
  return (
    <footer class="support">
      <p>
        Need help? <a href={offer.support.href}>{offer.support.text}</a>
      </p>
    </footer>
  )
}
