import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { plainMessage } from './plain-messages.ts'

/** The message a person reads for the first issue `schema` finds in `value`. */
function said(schema: z.ZodType, value: unknown) {
  const result = schema.safeParse(value)
  if (result.success) throw new Error('expected a problem')
  const issue = result.error.issues[0]
  if (!issue) throw new Error('expected an issue')
  return plainMessage(issue)
}

describe('plain messages for zod’s own', () => {
  it.each([
    ['a string for a number', z.number(), '5', 'Must be a number.'],
    ['a fraction for an integer', z.number().int(), 7.5, 'Must be a whole number.'],
    ['a number for text', z.string(), 5, 'Must be text, in quotes.'],
    ['a string for a boolean', z.boolean(), 'true', 'Must be true or false.'],
    ['a string for an object', z.object({}), 'x', 'Must be an object.'],
    ['a string for a bigint', z.bigint(), 'x', 'Must be a whole number.'],
    ['a number for null', z.null(), 5, 'Must be null.'],
    ['a string for a date', z.date(), 'x', 'Must be a date.'],
    ['a time', z.iso.time(), 'nope', 'Must be a time, like 09:30:00.'],
    ['a web address', z.url(), 'nope', 'Must be a web address, like https://acme.example/hook.'],
    ['a guid', z.guid(), 'nope', 'Must be a UUID, like 3f2504e0-4f89-41d3-9a0c-0305e82c3301.'],
    ['a number not the literal', z.literal(5), 6, 'Must be 5.'],
    ['a short set', z.set(z.string()).min(2), new Set(['a']), 'Must list at least 2.'],
    ['an object for a list', z.array(z.string()), {}, 'Must be a list.'],
    [
      'a date without a time',
      z.iso.datetime({ offset: true }),
      '2026-01-01',
      'Must be a date and time with its time zone, like 2026-03-01T09:30:00Z.',
    ],
    ['a bad date', z.iso.date(), '2026-13-01', 'Must be a date, like 2026-03-01.'],
    ['not a uuid', z.uuid(), 'nope', 'Must be a UUID, like 3f2504e0-4f89-41d3-9a0c-0305e82c3301.'],
    ['not an email', z.email(), 'nope', 'Must be an email address, like help@acme.example.'],
    [
      'an unknown format',
      z.ipv4(),
      'nope',
      'Must be in the form this field takes (see the API reference).',
    ],
    ['an empty string', z.string().min(1), '', 'Must not be empty.'],
    ['a short string', z.string().min(3), 'ab', 'Must be at least 3 characters.'],
    ['a long string', z.string().max(3), 'abcd', 'Must be at most 3 characters.'],
    ['too small', z.number().min(10), 9, 'Must be at least 10.'],
    ['not positive', z.number().positive(), 0, 'Must be more than 0.'],
    ['too big', z.number().max(5), 6, 'Must be at most 5.'],
    ['not below', z.number().lt(5), 5, 'Must be less than 5.'],
    ['an empty list', z.array(z.string()).min(1), [], 'Must list at least one.'],
    ['a short list', z.array(z.string()).min(2), ['a'], 'Must list at least 2.'],
    ['a long list', z.array(z.string()).max(1), ['a', 'b'], 'Must list at most 1.'],
    ['not an option', z.enum(['payid', 'bank']), 'cash', 'Must be one of: payid, bank.'],
    ['not the literal', z.literal(true), false, 'Must be true.'],
    ['not a multiple', z.number().multipleOf(5), 7, 'Must be a multiple of 5.'],
    [
      'no such kind',
      z.discriminatedUnion('type', [
        z.object({ type: z.literal('payid') }),
        z.object({ type: z.literal('bank') }),
      ]),
      { type: 'cash' },
      'Must be one of: payid, bank.',
    ],
    [
      'no form fits',
      z.union([z.number(), z.boolean()]),
      'x',
      'Is not in any of the forms this field takes (see the API reference).',
    ],
    [
      'a refinement without a message',
      z.string().refine((s) => s === 'ok'),
      'no',
      'Is not valid here (see the API reference).',
    ],
  ] as const)('%s', (_, schema, value, message) => {
    expect(said(schema, value)).toBe(message)
  })

  it('leaves a message the schema wrote itself', () => {
    expect(said(z.string().min(3, 'Use at least 3 characters.'), 'ab')).toBeUndefined()
    expect(said(z.number({ error: 'Send the amount in cents.' }), '5')).toBeUndefined()
    // Words zod also uses, inside a message of the schema's own, are the schema's.
    expect(said(z.string().min(3, 'A name Too small to read.'), 'ab')).toBeUndefined()
    expect(
      said(
        z.string().refine((s) => s === 'ok', 'Must say ok.'),
        'no',
      ),
    ).toBeUndefined()
  })
})
