import { DomainError } from '../errors/domain-error.ts'

/** What `toISOString()` writes for years 1000–9999, all within Postgres's timestamptz range. */
const ISO_INSTANT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

export interface Position {
  createdAt: Date
  id: string
}

/** An opaque page cursor: the last row's creation time and id, base64url. */
export function encodeCursor(row: { created_at: Date; id: string }): string {
  return btoa(JSON.stringify([row.created_at.toISOString(), row.id]))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
}

/** Reads a cursor back, refusing anything this API did not write (ids must match `idPattern`). */
export function decodeCursor(cursor: string, idPattern: RegExp): Position {
  try {
    const [createdAt, id] = JSON.parse(atob(cursor.replace(/-/g, '+').replace(/_/g, '/'))) as [
      unknown,
      unknown,
    ]
    const date = typeof createdAt === 'string' ? new Date(createdAt) : new Date(Number.NaN)
    const wellFormed =
      typeof createdAt === 'string' &&
      ISO_INSTANT.test(createdAt) &&
      !Number.isNaN(date.getTime()) &&
      typeof id === 'string' &&
      idPattern.test(id)
    if (!wellFormed) throw new Error('bad cursor')
    return { createdAt: date, id }
  } catch {
    throw new DomainError('validation_failed', {
      details: [{ field: 'cursor', message: 'Is not a cursor this API returned.' }],
    })
  }
}
