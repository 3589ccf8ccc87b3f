import type { OfferModel, Translator } from './model.ts'

export function Offer({ t, offer }: { t: Translator; offer: OfferModel }) {
  return (
    <>
      {offer.testMode ? <TestModeBanner t={t} /> : null}
      <header class="offer">
        <p class="provider">
          {/* A programme's name in its own script, kept whole inside a page of another direction. */}
          <bdi>{offer.provider}</bdi>
        </p>
        <h1>
          <span class="amount">{offer.cash}</span>
          <span class="visually-hidden"> </span>
          <span class="for">{t.t('offer.for', { points: offer.points })}</span>
        </h1>
        {offer.fee ? <p class="fee">{t.t('offer.fee', { fee: offer.fee })}</p> : null}
        {offer.expires ? (
          <p class="expires">{t.t('offer.expires', { time: offer.expires })}</p>
        ) : null}
      </header>
    </>
  )
}

/** On every page of a test claim, so nobody mistakes a rehearsal for a payment. */
function TestModeBanner({ t }: { t: Translator }) {
  return (
    <p class="test-mode" role="note">
      <strong>{t.t('test_mode.title')}</strong> {t.t('test_mode.body')}
    </p>
  )
}

/** The provider's contact, at the foot of every page of its claim. */
export function Support({ t, offer }: { t: Translator; offer: OfferModel }) {
  if (!offer.support) return null
  return (
    <footer class="support">
      <p>
        {t.t('support.need_help')}{' '}
        <a href={offer.support.href} dir="auto">
          {offer.support.text}
        </a>
      </p>
    </footer>
  )
}
