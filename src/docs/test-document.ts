import type { OpenApiDocument, SchemaObject } from './reference.ts'

/**
 * A small OpenAPI 3.1 document with each shape the reference page has to show: a discriminated
 * `oneOf`, an `anyOf` of required fields, `const`, type arrays with `null`, response headers,
 * optional and absent security, path-level parameters and a `webhooks` section. Used by the
 * reference's unit tests (only tests import it).
 */
const json = (schema: SchemaObject) => ({ 'application/json': { schema } })
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const header = (description: string, schema: SchemaObject = { type: 'string' }) => ({
  description,
  schema,
})
/** Every operation's responses carry it, as Cashout's do. */
const requestId = { 'X-Request-Id': header('This request’s id, also in logs.') }
const webhookHeader = (name: string, description: string) => ({
  name,
  in: 'header',
  required: true,
  description,
  schema: { type: 'string' },
})

export const testDocument: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Cashout',
    version: '1.2.3',
    description:
      'Turns points into money. Errors look like `{"message", "code"}`; see **the guide** and ' +
      '[the spec](https://spec.openapis.org/oas/v3.1.0).\n\n<script>alert(1)</script> stays text.',
  },
  servers: [{ url: 'https://api.test' }],
  tags: [
    { name: 'Claims', description: 'Offers to your customers, one *link* each.' },
    { name: 'Providers' },
  ],
  security: [{ providerKey: [] }],
  components: {
    securitySchemes: {
      providerKey: { type: 'http', scheme: 'bearer', description: 'Your API key, `ck_…`.' },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['message', 'code'],
        description: 'Every error has this shape.',
        properties: {
          message: { type: 'string', example: 'Some fields are invalid.' },
          code: { type: 'string', enum: ['bad_request', 'rate_limited'] },
        },
      },
      PayId: {
        type: 'object',
        required: ['type', 'payid'],
        properties: {
          type: { const: 'payid' },
          payid: { type: 'string', maxLength: 320, example: 'jane@example.com' },
        },
      },
      Bank: {
        type: 'object',
        required: ['type', 'bsb', 'account_number'],
        properties: {
          type: { type: 'string', const: 'bank' },
          bsb: { type: 'string', description: '`062-000` or `062000`.' },
          account_number: { type: 'string', minLength: 4, maxLength: 9 },
        },
      },
      Destination: {
        description: 'A PayID or an Australian bank account.',
        oneOf: [ref('PayId'), ref('Bank')],
        discriminator: {
          propertyName: 'type',
          mapping: { payid: '#/components/schemas/PayId', bank: '#/components/schemas/Bank' },
        },
      },
      ProfileUpdate: {
        type: 'object',
        additionalProperties: false,
        properties: {
          endpoint: { type: 'string', format: 'uri' },
          display_name: {
            type: ['string', 'null'],
            maxLength: 60,
            description: '`null` clears it.',
          },
        },
        // As main's document writes it: each option restates its fields for generated clients.
        anyOf: [
          { required: ['endpoint'] },
          {
            type: 'object',
            required: ['display_name'],
            properties: { display_name: { type: ['string', 'null'], maxLength: 60 } },
          },
        ],
      },
      ClaimEvent: {
        type: 'object',
        required: ['event', 'uuid'],
        properties: {
          event: { type: 'string', enum: ['claim.settled', 'claim.failed'] },
          uuid: { type: 'string', format: 'uuid' },
        },
      },
      Claim: {
        type: 'object',
        required: ['uuid', 'status', 'status_reason'],
        properties: {
          uuid: { type: 'string', format: 'uuid' },
          status: { type: 'string', enum: ['open', 'settled'] },
          status_reason: { type: ['string', 'null'] },
          points: { type: 'integer', exclusiveMinimum: 0, maximum: 9007199254740991 },
          destination: { anyOf: [ref('Destination'), { type: 'null' }] },
          events: {
            type: 'array',
            items: { type: 'object', properties: { at: { type: 'string', format: 'date-time' } } },
          },
        },
      },
    },
  },
  paths: {
    '/claims/{uuid}': {
      parameters: [
        { name: 'uuid', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      ],
      get: {
        operationId: 'getClaim',
        tags: ['Claims'],
        summary: 'Read a claim',
        description: 'Anyone with the link may read it; your key shows **more**.',
        security: [{}, { providerKey: [] }],
        responses: {
          '200': {
            description: 'The claim.',
            headers: requestId,
            content: json(ref('Claim')),
          },
          '429': {
            description: 'Too many requests.',
            headers: {
              ...requestId,
              'Retry-After': header('Seconds to wait.', { type: 'integer' }),
            },
            content: json(ref('Error')),
          },
        },
      },
    },
    '/claims/{uuid}/submit': {
      post: {
        operationId: 'submitClaim',
        tags: ['Claims'],
        summary: 'Cash out a claim',
        parameters: [
          {
            name: 'uuid',
            in: 'path',
            required: true,
            description: 'The claim’s `uuid`.',
            schema: { type: 'string', format: 'uuid' },
          },
        ],
        requestBody: { required: true, content: json(ref('Destination')) },
        responses: {
          '200': {
            description: 'Submitted.',
            headers: { ...requestId, 'Idempotent-Replayed': header('`true` on a replay.') },
            content: {
              'application/json': {
                schema: ref('Claim'),
                examples: { submitted: { value: { uuid: 'u-1', status: 'submitted' } } },
              },
            },
          },
          '401': {
            description: 'No valid key.',
            headers: { ...requestId, 'WWW-Authenticate': header('`Bearer`') },
            content: json(ref('Error')),
          },
        },
      },
    },
    '/profile': {
      patch: {
        operationId: 'updateProfile',
        tags: ['Providers'],
        summary: 'Change your profile',
        requestBody: { content: json(ref('ProfileUpdate')) },
        responses: { '204': { description: 'Changed.', headers: requestId } },
      },
    },
    '/healthz': {
      get: {
        operationId: 'health',
        summary: 'Liveness',
        security: [],
        responses: {
          '200': { description: 'Alive.', headers: requestId, content: { 'text/plain': {} } },
        },
      },
    },
  },
  webhooks: {
    'claim.settled': {
      post: {
        operationId: 'claimSettled',
        summary: 'A claim was paid',
        description: 'Sent once the money has _landed_.',
        parameters: [
          webhookHeader('webhook-id', 'Stable across retries.'),
          webhookHeader('webhook-timestamp', 'Unix seconds.'),
          webhookHeader('webhook-signature', '`v1,<base64 HMAC-SHA256>`.'),
        ],
        requestBody: { required: true, content: json(ref('ClaimEvent')) },
        responses: { '200': { description: 'Any 2xx acknowledges it.' } },
      },
    },
    'claim.failed': {
      post: {
        operationId: 'claimFailed',
        summary: 'A payout failed',
        requestBody: { required: true, content: json(ref('ClaimEvent')) },
        responses: { '200': { description: 'Any 2xx acknowledges it.' } },
      },
    },
  },
}
