import { constantTimeEqual, randomToken, sha256Hex } from '../crypto/bytes.ts'
import type { Db } from '../db/schema.ts'

/**
 * The status cookie: a random secret of this browser's, for one claim. It grants nothing until
 * this browser's own submit wins the claim; then only the secret's hash is stored, so neither a
 * replayed form, a copied anti-forgery cookie nor the claim's id can make a cookie that passes.
 */
export const newViewerSecret = () => randomToken(32)

export const isViewerSecret = (value: string | undefined): value is string =>
  value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value)

/**
 * Written once the submit has won (it cannot share the submit's transaction), so a double-click's
 * second request may find the claim submitted a moment before this row: that fails closed, and
 * the page shows the status on the next look. A reopened claim cashed out again is re-recorded.
 */
export async function rememberViewer(db: Db, claimId: string, secret: string, now: Date) {
  const secret_sha256 = await sha256Hex(secret)
  await db
    .insertInto('claim_viewers')
    .values({ claim_id: claimId, secret_sha256, created_at: now })
    .onConflict((oc) => oc.column('claim_id').doUpdateSet({ secret_sha256, created_at: now }))
    .execute()
}

/** Whether this secret is that of the browser whose submit won the claim. */
export async function isViewer(db: Db, claimId: string, secret: string | undefined) {
  if (!isViewerSecret(secret)) return false
  const row = await db
    .selectFrom('claim_viewers')
    .select('secret_sha256')
    .where('claim_id', '=', claimId)
    .executeTakeFirst()
  return row !== undefined && constantTimeEqual(row.secret_sha256, await sha256Hex(secret))
}
