import { Field } from '../field.tsx'

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
    <Field id={id} label={label} hint={hint} error={error}>
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
