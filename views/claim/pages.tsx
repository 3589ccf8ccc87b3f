import { DestinationForm } from './form.tsx'
import { ClaimLayout } from './layout.tsx'
import type { FormModel, OfferModel, ReviewModel, StatusModel } from './model.ts'
import { Offer, Support } from './offer.tsx'
import { Review } from './review.tsx'
import { Status } from './status.tsx'

export interface Assets {
  stylesheet: string
  script: string
}

const title = (offer: OfferModel, step: string) => `${step} – ${offer.provider} cashout`

export function FormPage({
  offer,
  form,
  assets,
}: {
  offer: OfferModel
  form: FormModel
  assets: Assets
}) {
  const errored = Object.keys(form.errors).length > 0
  return (
    <ClaimLayout
      title={`${errored ? 'Error: ' : ''}${title(offer, 'Cash out your points')}`}
      {...assets}
      theme={offer.theme}
    >
      <Offer offer={offer} />
      <DestinationForm form={form} />
      <Support offer={offer} />
    </ClaimLayout>
  )
}

export function ReviewPage({
  offer,
  review,
  confirmAction,
  assets,
}: {
  offer: OfferModel
  review: ReviewModel
  confirmAction: string
  assets: Assets
}) {
  return (
    <ClaimLayout title={title(offer, 'Check your details')} {...assets} theme={offer.theme}>
      <Offer offer={offer} />
      <Review review={review} confirmAction={confirmAction} />
      <Support offer={offer} />
    </ClaimLayout>
  )
}

export function StatusPage({
  offer,
  status,
  assets,
}: {
  offer: OfferModel
  status: StatusModel
  assets: Assets
}) {
  return (
    <ClaimLayout
      title={title(offer, status.state === 'paid' ? 'Paid' : 'Your cashout')}
      refreshSeconds={status.state === 'processing' ? 5 : undefined}
      {...assets}
      theme={offer.theme}
    >
      <Offer offer={offer} />
      <Status status={status} cash={offer.cash} />
      <Support offer={offer} />
    </ClaimLayout>
  )
}

/** One page for every link that cannot be used, so a guessed link learns nothing. */
export function UnavailablePage({ assets }: { assets: Assets }) {
  return (
    <ClaimLayout title="Link not available – Cashout" stylesheet={assets.stylesheet}>
      <h1>This cashout link isn’t available</h1>
      <p>It may have expired, been used already, or been cancelled.</p>
      <p>If you were expecting money, contact the program that sent you the link.</p>
    </ClaimLayout>
  )
}

export function NoticePage({
  heading,
  message,
  link,
  assets,
}: {
  heading: string
  message: string
  link?: string
  assets: Assets
}) {
  return (
    <ClaimLayout title={`${heading} – Cashout`} stylesheet={assets.stylesheet}>
      <h1>{heading}</h1>
      <p>{message}</p>
      {link ? (
        <p>
          <a href={link}>Back to your cashout</a>
        </p>
      ) : null}
    </ClaimLayout>
  )
}
