import { z } from '@hono/zod-openapi'

/**
 * A whole number sent in a query or a path. It arrives as text and is read strictly (digits
 * only: no `1e2`, no spaces), but the document calls it what it is, an integer with its bounds,
 * so a generated client types it as a number.
 */
export function wholeNumberParam(min: number, max: number, message: string) {
  return z
    .string()
    .regex(/^\d{1,10}$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message))
    .openapi({ type: 'integer', minimum: min, maximum: max })
}

/** `limit` on a listing: 1 to 100, 50 when not given. */
export const pageLimit = () =>
  wholeNumberParam(1, 100, 'Must be 1 to 100.')
    .optional()
    .openapi({ description: '1 to 100; 50 when not given.', example: 50 })
