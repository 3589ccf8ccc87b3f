import type { Child } from 'hono/jsx'

export interface FieldProps {
  id: string
  label: string
  hint?: string
  error?: string
  /** Read before the error by screen readers; the claim page gives it in its language. */
  errorLabel?: string
  children: (described: string | undefined, invalid: boolean) => Child
}

/**
 * A label, its hint and its error, tied to the control for screen readers; the claim page and the
 * console both label their fields with it.
 */
export function Field({ id, label, hint, error, errorLabel = 'Error:', children }: FieldProps) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ')
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error" id={`${id}-error`}>
          <span class="visually-hidden">{errorLabel} </span>
          {error}
        </p>
      ) : null}
      {children(described || undefined, Boolean(error))}
    </div>
  )
}
