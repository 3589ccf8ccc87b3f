import { createRoute, z } from '@hono/zod-openapi'
import { OPERATOR } from '../audit/record.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { text } from '../http/text.ts'
import { decideReview, type ReviewedField, waitingReviews } from '../providers/review.ts'
import { asOperator } from './auth.ts'

/** How each reviewed field reads in the document and in the logs. */
const FIELD = {
  display_name: {
    path: 'display-name',
    noun: 'display name',
    schema: 'DisplayName',
    example: 'Acme Rewards Club',
    shown:
      'What its claim pages show now: the approved display name, or the provider’s name as a title.',
    shownExample: 'Acme Rewards',
    keeps: 'the name approved before, or the provider’s own name',
  },
  support_contact: {
    path: 'support-contact',
    noun: 'support contact',
    schema: 'SupportContact',
    example: 'help@acme.example',
    shown:
      'What its claim pages show now under “Need help?”: the approved contact, or nothing (null).',
    shownExample: 'help@acme.example',
    keeps: 'the contact approved before, or none',
  },
} as const satisfies Record<ReviewedField, unknown>

/** A provider's review of one field, as the operator reads it. */
export function reviewViewSchema(field: ReviewedField) {
  const f = FIELD[field]
  const shown = z.string().openapi({ description: f.shown, example: f.shownExample })
  return z
    .object({
      name: z.string().openapi({ example: 'acme-rewards' }),
      status: z.enum(['none', 'pending', 'approved', 'rejected']).openapi({
        description: `\`pending\`: waiting for you; \`approved\`: shown; \`rejected\`: refused until the provider asks for another; \`none\`: no ${f.noun}.`,
      }),
      requested: z
        .string()
        .nullable()
        .openapi({
          description: `The ${f.noun} the provider asked for.`,
          example: f.example,
        }),
      approved: z
        .string()
        .nullable()
        .openapi({ description: `The ${f.noun} you approved.` }),
      shown: field === 'display_name' ? shown : shown.nullable(),
      requested_at: z.string().datetime().nullable(),
      rejected_reason: z.string().nullable(),
    })
    .openapi(`${f.schema}Review`)
}

export const DisplayNameReviewView = reviewViewSchema('display_name')
export const SupportContactReviewView = reviewViewSchema('support_contact')
const VIEWS = { display_name: DisplayNameReviewView, support_contact: SupportContactReviewView }

/** The decision names the text reviewed by its field, as the provider's profile does. */
function decisionSchema<F extends ReviewedField>(field: F) {
  const f = FIELD[field]
  const reviewed = text(200).openapi({
    description: `The ${f.noun} you reviewed, exactly as listed. If the provider has asked for another since, nothing is decided (422).`,
    example: f.example,
  })
  const shape = {
    approve: z.boolean().openapi({ description: 'Required: `true` approves, `false` rejects.' }),
    [field]: reviewed,
    reason: text(500, 5).optional().openapi({
      description: 'Why: required to reject (the provider reads it); kept in the audit log.',
    }),
  } as {
    approve: z.ZodBoolean
    reason: z.ZodOptional<ReturnType<typeof text>>
  } & Record<F, ReturnType<typeof text>>
  return z
    .strictObject(shape)
    .superRefine((body, ctx) => {
      const { approve, reason } = body as { approve: boolean; reason?: string }
      if (!approve && reason === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['reason'],
          message: 'Required when rejecting: the provider reads it.',
        })
      }
    })
    .openapi(`${f.schema}Decision`)
}

/** The queue of one field's requests and the operator's decision on one provider's. */
export function reviewRoutes(field: ReviewedField) {
  const f = FIELD[field]
  const queue = createRoute({
    ...asOperator,
    method: 'get',
    path: `/operator/${f.path}s`,
    operationId: `list${f.schema}Reviews`,
    tags: ['Operator'],
    summary: `${f.noun[0]?.toUpperCase()}${f.noun.slice(1)}s waiting for review`,
    description: `${f.noun[0]?.toUpperCase()}${f.noun.slice(1)}s providers asked for that no claim page shows until you approve them, oldest first (at most 100). Decide each with \`POST /operator/providers/{name}/${f.path}\`.`,
    responses: {
      200: json(z.object({ data: z.array(VIEWS[field]) }), 'The waiting requests.'),
      ...errorResponses(401),
    },
  })
  const decide = createRoute({
    ...asOperator,
    method: 'post',
    path: `/operator/providers/{name}/${f.path}`,
    operationId: `decide${f.schema}`,
    tags: ['Operator'],
    summary: `Approve or reject a ${f.noun}`,
    description: `Approving lets the provider’s claim pages show the ${f.noun} it asked for; rejecting (with a reason) keeps ${f.keeps}, and withdraws the ${f.noun} if it was approved. Deciding again what is already decided changes nothing (\`changed: false\`). Audited.`,
    request: {
      params: z.object({ name: text(40) }),
      body: { required: true, content: { 'application/json': { schema: decisionSchema(field) } } },
    },
    responses: {
      200: json(
        VIEWS[field].extend({
          changed: z.boolean().openapi({
            description: `False when the ${f.noun} already stood so: nothing was written.`,
          }),
        }),
        `The ${f.noun} as it now stands.`,
      ),
      ...errorResponses(400, 401, 404, 415, 422),
    },
  })
  return createRouter()
    .openapi(queue, async (c) => c.json({ data: await waitingReviews(c.var.deps.db, field) }, 200))
    .openapi(decide, async (c) => {
      const { name } = c.req.valid('param')
      const body = c.req.valid('json')
      const decided = await decideReview({
        deps: c.var.deps,
        actor: OPERATOR,
        name,
        field,
        decision: { approve: body.approve, text: body[field], reason: body.reason },
      })
      c.get('logger').info(`${f.noun} reviewed by the operator`, {
        provider: name,
        status: decided.status,
        changed: decided.changed,
      })
      return c.json(decided, 200)
    })
}
