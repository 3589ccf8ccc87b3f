import type { z } from 'zod'
import { scrubCardNumbers } from '../log/redact.ts'
import { DomainError, type FieldError } from './domain-error.ts'
import { plainMessage } from './plain-messages.ts'

type Target = 'json' | 'form' | 'query' | 'param' | 'header' | 'cookie'

const targetName: Record<Target, string> = {
  json: 'body',
  form: 'body',
  query: 'query',
  param: 'path',
  header: 'header',
  cookie: 'cookie',
}

/** Turns zod issues into the public `details` list, one entry per field. */
export function fieldErrors(error: z.ZodError, input: unknown, target: Target): FieldError[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.map(String)
    // A field the request does not have is named on its own, so the sender sees what to remove.
    if (issue.code === 'unrecognized_keys') {
      // The name is the sender's own text: it is kept short and never echoes a card number.
      return issue.keys.map((key) => ({
        field: [...at, scrubCardNumbers(key).slice(0, 100)].join('.'),
        message: 'Not a field of this request; remove it.',
      }))
    }
    const field = at.join('.') || targetName[target]
    const missing = issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined
    const message = missing ? 'Required.' : (plainMessage(issue) ?? sentence(issue.message))
    return { field, message }
  })
}

export function validationError(error: z.ZodError, input: unknown, target: Target): DomainError {
  return new DomainError('validation_failed', { details: fieldErrors(error, input, target) })
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<PropertyKey, unknown>)[key]
  }
  return current
}

function sentence(message: string): string {
  const trimmed = message.trim()
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1)
  return /[.!?]$/.test(capital) ? capital : `${capital}.`
}
