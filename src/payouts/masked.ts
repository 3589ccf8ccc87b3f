import { z } from '@hono/zod-openapi'

/**
 * What is shown and sent of a destination (`maskDestination` makes it): never the full PayID or
 * account number. Shapes for the document and the types, apart from the parser's module.
 */
const MaskedPayId = z
  .object({
    type: z.literal('payid'),
    payid_type: z.enum(['email', 'mobile', 'abn', 'org_id']),
    payid: z.string().openapi({ example: 'j•••@example.com' }),
  })
  .openapi('MaskedPayIdDestination')

const MaskedBank = z
  .object({
    type: z.literal('bank'),
    account_name: z.string().openapi({ example: 'Jane Citizen' }),
    bsb: z.string().openapi({ example: '062-000' }),
    account_number: z.string().openapi({ example: '••••5678' }),
  })
  .openapi('MaskedBankDestination')

export const MaskedDestination = z
  .discriminatedUnion('type', [MaskedPayId, MaskedBank])
  .openapi('MaskedDestination', {
    description: 'Where the payout went, masked: never the full PayID or account number.',
    discriminator: {
      propertyName: 'type',
      mapping: {
        payid: '#/components/schemas/MaskedPayIdDestination',
        bank: '#/components/schemas/MaskedBankDestination',
      },
    },
  })

export type MaskedDestination = z.infer<typeof MaskedDestination>
