import { z } from '@hono/zod-openapi'
import { type ErrorCode, errorCodes } from '../errors/codes.ts'

export const ErrorSchemaName = 'Error'

export const ErrorSchema = z
  .object({
    message: z.string().openapi({ example: 'Some fields are invalid.' }),
    code: z.enum(Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]]),
    request_id: z.string().openapi({ example: 'req_3f0c9d0b8f6a4c1e9a2b7d4e5f6a7b8c' }),
    details: z
      .array(
        z.object({
          field: z.string().openapi({ example: 'amount' }),
          message: z.string().openapi({ example: 'Must be a positive whole number.' }),
        }),
      )
      .optional()
      .openapi({ description: 'Field errors, present when validation failed.' }),
  })
  .openapi(ErrorSchemaName, { description: 'Every error has this shape.' })

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } }
}

export const errorDescriptions: Partial<Record<number, string>> = {
  400: 'The body is not valid JSON.',
  401: 'Missing or invalid credentials.',
  403: 'The credential may not act on this resource.',
  404: 'Not found.',
  409: 'Conflicts with the current state.',
  413: 'The body is larger than 64 KiB.',
  415: 'The body is not JSON.',
  422: 'Validation failed; `details` names each field.',
  429: 'Over a limit or budget; `Retry-After` says how many seconds to wait.',
  500: 'Something went wrong on our side; `request_id` names the request for support.',
  503: 'Not ready.',
}

/** Error responses for a route definition, all in the one error shape. */
export function errorResponses<S extends number>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, json(ErrorSchema, errorDescriptions[status] ?? 'Error.')]),
  ) as Record<S, ReturnType<typeof json<typeof ErrorSchema>>>
}
