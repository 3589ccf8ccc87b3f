/**
 * Every message the destination parser gives, by key. The API sends the English; the claim page
 * finds the key again (`destinationMessageKey`) and shows its own catalogue's words for it, so a
 * customer reads each validation message in the page's language.
 */
export const DESTINATION_MESSAGES = {
  type: 'Choose PayID or bank account.',
  payid_type: 'Choose email, mobile, ABN or organisation ID.',
  payid_missing: 'Enter your PayID.',
  invisible: 'Contains invisible characters; please type it again.',
  full_width: 'Contains full-width characters; please type it with a standard keyboard layout.',
  email: 'Enter an email address like name@example.com.',
  mobile: 'Enter an Australian mobile number, like 0412 345 678.',
  abn_length: 'An ABN has 11 digits.',
  abn_checksum: 'This is not a valid ABN; check the digits.',
  // The final full stop is the API's own (every message there ends as a sentence does).
  org_id: "Enter the organisation ID as registered: letters, digits, spaces and . & ' -.",
  account_name_missing: 'Enter the name on the account.',
  account_name_long: 'Use at most 140 characters.',
  account_name_characters:
    'Use letters, digits, spaces and apostrophes only; the bank transfer does not accept other characters.',
  account_name_card: 'Enter the name on the account, not a card number.',
  bsb: 'A BSB has 6 digits, like 062-000.',
  account_number: 'An account number has 4 to 9 digits.',
  not_text: 'Must be text.',
  too_long: 'Must be at most {max} characters.',
} as const

export type DestinationMessageKey = keyof typeof DESTINATION_MESSAGES

/** `too_long` with its bound filled in, as the parser says it. */
export const tooLong = (max: number) => DESTINATION_MESSAGES.too_long.replace('{max}', String(max))

const BY_TEXT = new Map<string, DestinationMessageKey>(
  Object.entries(DESTINATION_MESSAGES).map(([key, text]) => [text, key as DestinationMessageKey]),
)
const TOO_LONG = /^Must be at most (\d+) characters\.$/

/** The key of a message the parser gave, with its values; undefined for any other text. */
export function destinationMessageKey(
  message: string,
): { key: DestinationMessageKey; values?: Record<string, string> } | undefined {
  const key = BY_TEXT.get(message)
  if (key) return { key }
  const long = TOO_LONG.exec(message)
  return long ? { key: 'too_long', values: { max: long[1] as string } } : undefined
}
