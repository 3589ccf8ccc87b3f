import { DestinationForm } from './form.tsx'
import { ClaimLayout } from './layout.tsx'
import type {
  FormModel,
  LanguagesModel,
  OfferModel,
  ReviewModel,
  StatusModel,
  Translator,
} from './model.ts'
import { Offer, Support } from './offer.tsx'
import { Review } from './review.tsx'
import { Status } from './status.tsx'

export interface Assets {
  stylesheet: string
  script: string
}

/** What every page of a claim shares: its language, the switcher, the assets. */
export interface PageFrame {
  t: Translator
  /** The language switcher; notices have none. */
  languages?: LanguagesModel
  assets: Assets
}

const title = (t: Translator, offer: OfferModel, step: string) =>
  t.t('meta.title', { step, provider: offer.provider })

export function FormPage({
  frame,
  offer,
  form,
}: {
  frame: PageFrame
  offer: OfferModel
  form: FormModel
}) {
  const { t } = frame
  const errored = Object.keys(form.errors).length > 0
  const plain = title(t, offer, t.t('step.form'))
  return (
    <ClaimLayout
      t={t}
      title={errored ? t.t('meta.error', { title: plain }) : plain}
      languages={frame.languages}
      {...frame.assets}
      theme={offer.theme}
    >
      <Offer t={t} offer={offer} />
      <DestinationForm t={t} form={form} />
      <Support t={t} offer={offer} />
    </ClaimLayout>
  )
}

export function ReviewPage({
  frame,
  offer,
  review,
  confirmAction,
}: {
  frame: PageFrame
  offer: OfferModel
  review: ReviewModel
  confirmAction: string
}) {
  const { t } = frame
  return (
    <ClaimLayout
      t={t}
      title={title(t, offer, t.t('step.review'))}
      languages={frame.languages}
      {...frame.assets}
      theme={offer.theme}
    >
      <Offer t={t} offer={offer} />
      <Review t={t} review={review} confirmAction={confirmAction} />
      <Support t={t} offer={offer} />
    </ClaimLayout>
  )
}

export function StatusPage({
  frame,
  offer,
  status,
}: {
  frame: PageFrame
  offer: OfferModel
  status: StatusModel
}) {
  const { t } = frame
  return (
    <ClaimLayout
      t={t}
      title={title(t, offer, t.t(status.state === 'paid' ? 'step.paid' : 'step.status'))}
      refreshSeconds={status.state === 'processing' ? 5 : undefined}
      languages={frame.languages}
      {...frame.assets}
      theme={offer.theme}
    >
      <Offer t={t} offer={offer} />
      <Status t={t} status={status} offer={offer} />
      <Support t={t} offer={offer} />
    </ClaimLayout>
  )
}

/** One page for every link that cannot be used, so a guessed link learns nothing. */
export function UnavailablePage({ frame }: { frame: PageFrame }) {
  const { t } = frame
  return (
    <ClaimLayout
      t={t}
      title={t.t('unavailable.title')}
      stylesheet={frame.assets.stylesheet}
      languages={frame.languages}
    >
      <h1>{t.t('unavailable.heading')}</h1>
      <p>{t.t('unavailable.body')}</p>
      <p>{t.t('unavailable.contact')}</p>
    </ClaimLayout>
  )
}

export function NoticePage({
  frame,
  heading,
  message,
  link,
}: {
  frame: PageFrame
  heading: string
  message: string
  link?: string
}) {
  const { t } = frame
  return (
    <ClaimLayout
      t={t}
      title={t.t('notice.title', { heading })}
      stylesheet={frame.assets.stylesheet}
      languages={frame.languages}
    >
      <h1>{heading}</h1>
      <p>{message}</p>
      {link ? (
        <p>
          <a href={link}>{t.t('notice.back')}</a>
        </p>
      ) : null}
    </ClaimLayout>
  )
}
