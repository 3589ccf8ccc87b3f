/**
 * Documented inputs that force an outcome, so every path can be rehearsed. The two-digit code
 * is the last two digits of an `000000NN` account number or a `+61-4000000NN` mobile PayID; an
 * email PayID uses the word before the `@`.
 */
export interface Magic {
  failure?: { code: string; message: string; permanent: boolean }
  slow?: true
  duplicateCallback?: true
  lateCallback?: true
  flaky?: true
  earlyCallback?: true
  /** The request is refused with a 422 naming the account field (account number, or PayID). */
  refuseField?: true
  /** The answer and the callback report one cent more than was asked (a rail fault). */
  wrongAmount?: true
}

const BY_CODE: Record<string, Magic> = {
  '14': {
    failure: {
      code: 'ACCOUNT_INVALID',
      message: 'Invalid account: the bank rejected the account details.',
      permanent: false,
    },
  },
  '62': {
    failure: {
      code: 'PAYEE_BLOCKED',
      message: 'The payee cannot receive payments.',
      permanent: true,
    },
  },
  '91': { slow: true },
  '22': { duplicateCallback: true },
  '33': { lateCallback: true },
  '50': { flaky: true },
  '07': { earlyCallback: true },
  '40': { refuseField: true },
  '44': { wrongAmount: true },
  '45': {
    failure: {
      code: 'COMPLIANCE_REVIEW',
      message: 'The payment was stopped for review.',
      permanent: false,
    },
  },
}

const BY_WORD: Record<string, string> = {
  fail: '14',
  blocked: '62',
  slow: '91',
  twice: '22',
  late: '33',
  flaky: '50',
  early: '07',
  refused: '40',
  skewed: '44',
  review: '45',
}

export const MAGIC_TABLE = Object.entries(BY_WORD).map(([word, code]) => ({
  word,
  code,
  account_number: `000000${code}`,
  mobile: `+61-4000000${code}`,
  email: `${word}@sandbox.test`,
}))

export function magicFor(params: { account_number?: string | null; payid?: string | null }): Magic {
  const account = /^000000(\d\d)$/.exec(params.account_number ?? '')
  if (account) return BY_CODE[account[1] ?? ''] ?? {}
  const payid = params.payid ?? ''
  const mobile = /^\+61-4000000(\d\d)$/.exec(payid)
  if (mobile) return BY_CODE[mobile[1] ?? ''] ?? {}
  const word = /^([a-z]+)@/.exec(payid)?.[1]
  const code = word ? BY_WORD[word] : undefined
  return code ? (BY_CODE[code] ?? {}) : {}
}
