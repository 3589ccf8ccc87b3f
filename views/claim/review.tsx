import type { ReviewModel } from './model.ts'

/** Step two: the normalised details, one last look before money moves. */
export function Review({ review, confirmAction }: { review: ReviewModel; confirmAction: string }) {
  return (
    <form method="post" action={review.action} class="review">
      <h2>Check your details</h2>
      <dl class="summary">
        {review.lines.map((line) => (
          <div class="row">
            <dt>{line.label}</dt>
            <dd>{line.value}</dd>
          </div>
        ))}
      </dl>
      <input type="hidden" name="csrf" value={review.csrf} />
      {Object.entries(review.values).map(([name, value]) => (
        <input type="hidden" name={name} value={value ?? ''} />
      ))}
      <button type="submit" formaction={confirmAction} class="button primary">
        Cash out
      </button>
      <button type="submit" name="action" value="change" class="button secondary">
        Change details
      </button>
    </form>
  )
}
