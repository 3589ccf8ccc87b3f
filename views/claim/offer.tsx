import type { OfferModel } from './model.ts'

export function Offer({ offer }: { offer: OfferModel }) {
  return (
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
  )
}
