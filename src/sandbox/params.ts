import { abnValid, EMAIL } from '../payouts/destination.ts'
import { type FieldCheck, isObject, type Json } from './http.ts'

export const AU_METHODS = ['au_bank_npp_aud', 'au_payid_npp_aud'] as const
export type AuMethod = (typeof AU_METHODS)[number]

const NAME = /^[a-zA-Z0-9 ']*$/

export interface BankParams {
  bsb: string
  account_number: string
  account_name?: string
}

export interface PayIdParams {
  payid: string
  payid_type: string
}

/**
 * Checks payout method params as the seeds describe them: BSB and account number for a bank
 * transfer, PayID and its type for a PayID transfer, never both; lower-case emails, `+61-4…`
 * mobiles. Errors are added to `check` under `prefix`.
 */
export function checkMethodParams(
  check: FieldCheck,
  prefix: string,
  method: string | undefined,
  raw: unknown,
): BankParams | PayIdParams | undefined {
  if (!isObject(raw)) {
    check.fail(prefix, "can't be blank")
    return undefined
  }
  const params = raw as Json
  const has = (key: string) =>
    params[key] !== undefined && params[key] !== null && params[key] !== ''
  if (has('payid') && (has('bsb') || has('account_number'))) {
    check.fail(prefix, 'use either payid or bsb and account_number, not both')
    return undefined
  }
  const str = (key: string) =>
    typeof params[key] === 'string' ? (params[key] as string) : undefined
  if (method === 'au_bank_npp_aud') {
    const bsb = str('bsb')
    const account = str('account_number')
    const name = str('account_name')
    if (!bsb) check.fail(`${prefix}.bsb`, "can't be blank")
    else if (!/^\d{6}$/.test(bsb)) check.fail(`${prefix}.bsb`, 'must be 6 digits')
    if (!account) check.fail(`${prefix}.account_number`, "can't be blank")
    else if (!/^\d{4,9}$/.test(account))
      check.fail(`${prefix}.account_number`, 'must be 4 to 9 digits')
    if (
      has('account_name') &&
      (!name || !NAME.test(name) || name.length > 140 || name.trim() !== name)
    ) {
      check.fail(`${prefix}.account_name`, 'is invalid')
    }
    return bsb && account
      ? { bsb, account_number: account, ...(name ? { account_name: name } : {}) }
      : undefined
  }
  if (method === 'au_payid_npp_aud') {
    const payid = str('payid')
    const type = str('payid_type')?.toLowerCase()
    if (!payid) check.fail(`${prefix}.payid`, "can't be blank")
    if (!type) check.fail(`${prefix}.payid_type`, "can't be blank")
    else if (!['email', 'mobile', 'abn', 'org_id'].includes(type)) {
      check.fail(`${prefix}.payid_type`, 'is not included in the list')
    }
    if (payid && type) {
      const valid =
        type === 'email'
          ? EMAIL.test(payid)
          : type === 'mobile'
            ? /^\+61-4\d{8}$/.test(payid)
            : type === 'abn'
              ? abnValid(payid)
              : payid.length <= 256 && payid.trim() === payid
      if (!valid) {
        check.fail(
          `${prefix}.payid`,
          type === 'email' && payid !== payid.toLowerCase()
            ? 'email PayIDs must be lower case'
            : type === 'mobile'
              ? 'must be +61-4 followed by 8 digits'
              : 'is invalid',
        )
      }
    }
    return payid && type ? { payid, payid_type: type } : undefined
  }
  return undefined
}
