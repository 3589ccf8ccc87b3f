import type { Child } from 'hono/jsx'

export interface FieldProps {
  id: string
  name: string
  label: string
  hint?: string
  error?: string
  children: (described: string | undefined, invalid: boolean) => Child
}

/** A label, its hint and its error, tied to the control for screen readers. */
export function Field({ id, label, hint, error, children }: FieldProps) {
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
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {children(described || undefined, Boolean(error))}
    </div>
  )
}

export function TextInput({
  id,
  name,
  label,
  value,
  hint,
  error,
  inputMode,
  autocomplete,
  spellcheck = false,
}: {
  id: string
  name: string
  label: string
  value?: string
  hint?: string
  error?: string
  inputMode?: 'text' | 'email' | 'numeric' | 'tel'
  autocomplete?: string
  spellcheck?: boolean
}) {
  return (
    <Field id={id} name={name} label={label} hint={hint} error={error}>
      {(described, invalid) => (
        <input
          id={id}
          name={name}
          type="text"
          value={value ?? ''}
          inputmode={inputMode}
          autocomplete={autocomplete ?? 'off'}
          spellcheck={spellcheck}
          aria-describedby={described}
          aria-invalid={invalid ? 'true' : undefined}
        />
      )}
    </Field>
  )
}
