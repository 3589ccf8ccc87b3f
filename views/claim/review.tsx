import type { ReviewModel, Translator } from './model.ts'
import { Ltr } from './text.tsx'

/** Step two: the normalised details, one last look before money moves. */
export function Review({
  t,
  review,
  confirmAction,
}: {
  t: Translator
  review: ReviewModel
  confirmAction: string
}) {
  return (
    <form method="post" action={review.action} class="review" data-keep-language>
      <h2>{t.t('review.heading')}</h2>
      <dl class="summary">
        {review.lines.map((line) => (
          <div class="row">
            <dt>{line.label}</dt>
            <dd>{line.ltr ? <Ltr>{line.value}</Ltr> : line.value}</dd>
          </div>
        ))}
      </dl>
      <input type="hidden" name="csrf" value={review.csrf} />
      <input type="hidden" name="step" value="review" />
      {Object.entries(review.values).map(([name, value]) => (
        <input type="hidden" name={name} value={value ?? ''} />
      ))}
      <button type="submit" formaction={confirmAction} class="button primary">
        {t.t('review.confirm')}
      </button>
      <button type="submit" name="action" value="change" class="button secondary">
        {t.t('review.change')}
      </button>
    </form>
  )
}
