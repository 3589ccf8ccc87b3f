import type { Context } from 'hono'
import { hcError, hcFieldErrors, type Json } from './http.ts'

/** The payout methods v2 lists (GET /v2/payouts/payout_methods and its params). */
const METHODS: Record<string, Json> = {
  au_bank_npp_aud: {
    currency: 'AUD',
    symbol: '$',
    logo: '',
    payout_method_name: 'au_bank_npp_aud',
    description: 'Bank transfer (NPP)',
    payment_type: 'pay_out',
    payout_method_params: {
      bsb: 'string:Mandatory BSB',
      account_number: 'string:Mandatory Bank Account Number',
      account_name: 'string:Optional Account Holder Name',
    },
    banks: [],
    is_refundable: false,
    is_cancellable: false,
    require_contact: false,
    require_kyc: false,
    min_amount: 0.01,
    max_amount: 100000,
  },
  au_payid_npp_aud: {
    currency: 'AUD',
    symbol: '$',
    logo: '',
    payout_method_name: 'au_payid_npp_aud',
    description: 'PayID (NPP)',
    payment_type: 'pay_out',
    payout_method_params: {
      payid: 'string:Mandatory PayID',
      payid_type: 'string:Mandatory PayID Type (email, mobile, abn, org_id)',
    },
    banks: [],
    is_refundable: false,
    is_cancellable: false,
    require_contact: false,
    require_kyc: false,
    min_amount: 0.01,
    max_amount: 100000,
  },
}

export function payoutMethodsHandler() {
  return (c: Context) => {
    const currency = c.req.query('currency')
    const records = Object.values(METHODS).filter((m) => !currency || m.currency === currency)
    return c.json({ records }, 200)
  }
}

export function payoutMethodParamsHandler() {
  return (c: Context) => {
    const name = c.req.query('payout_method_name')
    if (!name) return hcFieldErrors(c, 422, { payout_method_name: "can't be blank" })
    const record = Object.hasOwn(METHODS, name) ? METHODS[name] : undefined
    if (!record) return hcError(c, 404, 'NOT_FOUND', 'Payout method not found')
    return c.json({ record }, 200)
  }
}
