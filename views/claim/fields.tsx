import { Field } from '../field.tsx'

export function TextInput({
  id,
  name,
  label,
  value,
  hint,
  error,
  errorLabel,
  inputMode,
  autocomplete,
  spellcheck = false,
  ltr = false,
}: {
  id: string
  name: string
  label: string
  value?: string
  hint?: string
  error?: string
  /** "Error:" in the page's language, read before the message. */
  errorLabel?: string
  inputMode?: 'text' | 'email' | 'numeric' | 'tel'
  autocomplete?: string
  spellcheck?: boolean
  /** Digits, addresses and Latin-only names: typed left to right even on a right-to-left page. */
  ltr?: boolean
}) {
  return (
    <Field id={id} label={label} hint={hint} error={error} errorLabel={errorLabel}>
      {(described, invalid) => (
        <input
          id={id}
          name={name}
          type="text"
          value={value ?? ''}
          dir={ltr ? 'ltr' : undefined}
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
