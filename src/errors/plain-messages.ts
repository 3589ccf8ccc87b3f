import type { z } from 'zod'

/**
 * zod's own messages are written for developers ("Invalid input: expected number, received
 * string", "Too small: expected string to have >=3 characters", "Invalid ISO datetime"). A field
 * whose schema gives no message of its own gets one of these instead, said as a person would,
 * with what to send. Messages a schema wrote itself are left as they are.
 */
const LIBRARY_DEFAULT =
  /^(Invalid (input|option|discriminator|ISO|UUID|GUID|email|URL|string|number|key|element|union|value|date|time|duration|base64|hex|hostname|JWT|IPv|CIDR|E\.164|cuid|ulid|nanoid|xid|ksuid|emoji)|Too (small|big)|Unrecognized key)/

type Issue = z.core.$ZodIssue

const TYPE_WORDS: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  bigint: 'a whole number',
  string: 'text, in quotes',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  null: 'null',
  date: 'a date',
}

const FORMAT_WORDS: Record<string, string> = {
  datetime: 'a date and time with its time zone, like 2026-03-01T09:30:00Z',
  date: 'a date, like 2026-03-01',
  time: 'a time, like 09:30:00',
  email: 'an email address, like help@acme.example',
  url: 'a web address, like https://acme.example/hook',
  uuid: 'a UUID, like 3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  guid: 'a UUID, like 3f2504e0-4f89-41d3-9a0c-0305e82c3301',
}

const quoteAll = (values: readonly unknown[]) => values.map(String).join(', ')

function limit(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const small = issue.code === 'too_small'
  const bound = Number(small ? issue.minimum : issue.maximum)
  const inclusive = issue.inclusive !== false
  switch (issue.origin) {
    case 'string':
      if (small && bound === 1) return 'Must not be empty.'
      return `Must be ${small ? 'at least' : 'at most'} ${bound} characters.`
    case 'array':
    case 'set':
      if (small && bound === 1) return 'Must list at least one.'
      return `Must list ${small ? 'at least' : 'at most'} ${bound}.`
    default:
      if (small) return inclusive ? `Must be at least ${bound}.` : `Must be more than ${bound}.`
      return inclusive ? `Must be at most ${bound}.` : `Must be less than ${bound}.`
  }
}

/** A person's message for an issue whose message is zod's own; undefined when it is not. */
export function plainMessage(issue: Issue): string | undefined {
  if (!LIBRARY_DEFAULT.test(issue.message)) return undefined
  switch (issue.code) {
    case 'invalid_type':
      return `Must be ${TYPE_WORDS[issue.expected] ?? issue.expected}.`
    case 'invalid_format':
      return `Must be ${FORMAT_WORDS[issue.format] ?? 'in the form this field takes (see the API reference)'}.`
    case 'too_small':
    case 'too_big':
      return limit(issue)
    case 'invalid_value':
      return issue.values.length === 1
        ? `Must be ${quoteAll(issue.values)}.`
        : `Must be one of: ${quoteAll(issue.values)}.`
    case 'not_multiple_of':
      return `Must be a multiple of ${String(issue.divisor)}.`
    case 'invalid_union': {
      const options = (issue as { options?: readonly unknown[] }).options
      return options?.length
        ? `Must be one of: ${quoteAll(options)}.`
        : 'Is not in any of the forms this field takes (see the API reference).'
    }
    default:
      return 'Is not valid here (see the API reference).'
  }
}
