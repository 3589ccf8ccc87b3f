import { z } from '@hono/zod-openapi'
import {
  checkAccentColour,
  checkDisplayName,
  checkSupportContact,
  DISPLAY_NAME_MAX,
  MIN_CONTRAST,
} from './appearance.ts'
import { normalisePan, panProblem } from './card.ts'
import { nameProblem, SLUG } from './names.ts'

export { SLUG }

const pan = z
  .string()
  .max(40)
  .transform(normalisePan)
  .superRefine((value, ctx) => {
    const problem = panProblem(value)
    if (problem) ctx.addIssue({ code: 'custom', message: problem })
  })
  .openapi({
    description:
      'Card number, 16 or 19 digits (spaces and dashes are ignored), not one digit repeated. Where this deployment issues live keys that pay real money, the published test cards (4111 1111 1111 1111, 4242 4242 4242 4242, …) are refused. Stored encrypted; only the last four digits are ever shown.',
    example: '4111111111111111',
  })

const expDate = z
  .string()
  .regex(/^\d{4}$/, 'Must be YYmm, for example 2812 for December 2028.')
  .openapi({
    description: 'Card expiry as YYmm; must not be in the past, nor more than 20 years ahead.',
    example: '2812',
  })

const ipin = z
  .string()
  .regex(/^\d{4}$/, 'Must be 4 digits.')
  .openapi({
    description: 'The card’s IPIN. Checked, then discarded: it is never stored or logged.',
    example: '0000',
  })

const endpoint = z.string().max(2048).openapi({
  description:
    'Where Cashout posts webhooks: an https URL (plain-http loopback only where the operator allows it).',
  example: 'https://rewards.example.com/cashout/webhook',
})

const consent = z.literal(true, {
  error: 'Must be true: you accept the terms and allow Cashout to use the card on your behalf.',
})

export const RegisterBody = z
  .strictObject({
    name: z
      .string()
      .regex(
        SLUG,
        'Must be 3 to 40 lowercase letters, digits or hyphens, starting and ending with a letter or digit.',
      )
      .superRefine((value, ctx) => {
        const problem = nameProblem(value)
        if (problem) ctx.addIssue({ code: 'custom', message: problem })
      })
      .openapi({
        description:
          'Your unique provider name, used in URLs and shown as your name on the claim page (`acme-rewards` reads "Acme Rewards") until the operator approves a display name. Refused: 12 or more digits in a row (a card number has no place in a name), names Cashout reserves (`operator`, `console`, `admin`, `api`, `docs`, `support`, …), and names that look like a bank or payment brand (`commbank`, `westpac`, `hello-clever`, `paypal`, `payid`, …).',
        example: 'acme-rewards',
      }),
    pan,
    expDate,
    ipin,
    consent: consent.openapi({ description: 'Must be `true`.', example: true }),
    endpoint,
  })
  .openapi('RegisterRequest')

export const RegisterResponse = z
  .object({
    result: z.literal('ok'),
    name: z.string(),
    endpoint: z.string(),
    card_last4: z.string().openapi({ example: '1111' }),
    api_key: z.string().openapi({
      description:
        'Your first test key (`ck_test_…`): its claims pay through the sandbox and no money moves. Shown this once; keep it secret.',
      example: 'ck_test_abcdefghijkl_…',
    }),
    api_key_id: z.string().uuid(),
    live_api_key: z.string().nullable().openapi({
      description:
        'A live key (`ck_live_…`), whose claims pay real money through Hello Clever; null where this deployment has no live rail. Shown this once.',
    }),
    live_api_key_id: z.string().uuid().nullable(),
    webhook_secret: z.string().openapi({
      description: 'Signs every webhook (Standard Webhooks). Shown this once.',
      example: 'whsec_…',
    }),
    console_setup_url: z.string().url().openapi({
      description:
        'Opens the console to create its first owner (email and password). Works once, for 7 days; `POST /cashout/console/setup-link` makes a new one.',
    }),
    console_setup_expires_at: z.string().datetime(),
    created_at: z.string().datetime(),
  })
  .openapi('RegisterResponse')

/** A claim-page field: text checked by `check`, or null to clear it. */
function appearanceField(
  check: (raw: string) => { ok: true; value: string } | { ok: false; message: string },
) {
  return z
    .string()
    .max(400, 'Is too long.')
    .transform((raw, ctx) => {
      const result = check(raw)
      if (result.ok) return result.value
      ctx.addIssue({ code: 'custom', message: result.message })
      return z.NEVER
    })
    .nullable()
    .optional()
}

const CARD_FIELDS = ['pan', 'expDate', 'ipin', 'consent'] as const

export const ProfileBody = z
  .strictObject({
    endpoint: endpoint.optional(),
    pan: pan.optional(),
    expDate: expDate.optional(),
    ipin: ipin.optional(),
    consent: consent.optional(),
    display_name: appearanceField(checkDisplayName).openapi({
      description: `The name customers see on the claim page instead of your provider name, once the operator approves it: 1 to ${DISPLAY_NAME_MAX} characters. Until then the page shows the name approved before, or your provider name. \`null\` clears it.`,
      example: 'Acme Rewards',
    }),
    accent_colour: appearanceField(checkAccentColour).openapi({
      description: `The claim page's button colour, \`#rrggbb\`. White text on it must reach a contrast ratio of ${MIN_CONTRAST}:1 (WCAG AA). \`null\` clears it.`,
      example: '#5b1a8f',
    }),
    support_contact: appearanceField(checkSupportContact).openapi({
      description:
        'Shown as "Need help?" on the claim page once the operator approves it: an email address, an https:// address, or an Australian phone number. Until then the page shows the contact approved before, or none. `null` clears it.',
      example: 'help@acme.example',
    }),
  })
  .superRefine((body, ctx) => {
    const given = CARD_FIELDS.filter((f) => body[f] !== undefined)
    if (given.length > 0) {
      for (const field of CARD_FIELDS) {
        if (body[field] === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message:
              'Required when changing the card (pan, expDate, ipin and consent go together).',
          })
        }
      }
    } else if (
      body.endpoint === undefined &&
      body.display_name === undefined &&
      body.accent_colour === undefined &&
      body.support_contact === undefined
    ) {
      ctx.addIssue({
        code: 'custom',
        message:
          'Send at least one field: an endpoint, a card, a display name, an accent colour or a support contact.',
      })
    }
  })
  .openapi('ProfileUpdate', {
    // What the refinement above checks, said so a generated client or validator knows it too.
    anyOf: [
      { required: ['endpoint'] },
      { required: [...CARD_FIELDS] },
      { required: ['display_name'] },
      { required: ['accent_colour'] },
      { required: ['support_contact'] },
    ],
    // JSON Schema 2020-12 (OpenAPI 3.1); the generator's types predate it, hence the cast.
    ...({
      dependentRequired: Object.fromEntries(
        CARD_FIELDS.map((field) => [field, CARD_FIELDS.filter((other) => other !== field)]),
      ),
    } as object),
  })

/**
 * The profile, with the reviews of the display name and support contact beside what was asked
 * for (`profileView`).
 */
export const Profile = z
  .object({
    name: z.string(),
    endpoint: z.string(),
    card_last4: z.string(),
    display_name: z.string().nullable().openapi({
      description:
        'The display name you asked for. The claim page shows it once the operator approves it (at once if it only spells your name, as `Acme Rewards` for `acme-rewards`).',
    }),
    accent_colour: z.string().nullable().openapi({ example: '#5b1a8f' }),
    support_contact: z.string().nullable().openapi({
      description:
        'The support contact you asked for. The claim page shows it once the operator approves it.',
    }),
    display_name_status: z.enum(['none', 'pending', 'approved', 'rejected']).openapi({
      description:
        '`pending`: waiting for the operator; `approved`: shown; `rejected`: refused (see `display_name_rejected_reason`) until you ask for another; `none`: no display name.',
    }),
    display_name_approved: z.string().nullable().openapi({
      description:
        'The display name the claim page shows now; null shows your name (`acme-rewards` reads "Acme Rewards").',
    }),
    display_name_rejected_reason: z.string().nullable().openapi({
      description: 'Why the operator refused the display name you asked for, while it stands.',
    }),
    support_contact_status: z.enum(['none', 'pending', 'approved', 'rejected']).openapi({
      description:
        '`pending`: waiting for the operator; `approved`: shown; `rejected`: refused (see `support_contact_rejected_reason`) until you ask for another; `none`: no support contact.',
    }),
    support_contact_approved: z.string().nullable().openapi({
      description: 'The support contact the claim page shows now; null shows none.',
    }),
    support_contact_rejected_reason: z.string().nullable().openapi({
      description: 'Why the operator refused the support contact you asked for, while it stands.',
    }),
    created_at: z.string().datetime(),
    updated_at: z.string().datetime(),
  })
  .openapi('Profile')
