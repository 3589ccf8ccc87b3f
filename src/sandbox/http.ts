import type { Context, MiddlewareHandler } from 'hono'
import { constantTimeEqual } from '../crypto/bytes.ts'

/** Hello Clever's error envelopes: `{"errors":{"code","message"}}` or a per-field map. */
export function hcError(
  c: Context,
  status: 400 | 401 | 404 | 422 | 503,
  code: string,
  message: string,
) {
  return c.json({ errors: { code, message } }, status)
}

export function hcFieldErrors(c: Context, status: 400 | 422, errors: Record<string, string>) {
  return c.json({ errors }, status)
}

export function hcAuth(credentials: { appId: string; secretKey: string }): MiddlewareHandler {
  return async (c, next) => {
    const appId = c.req.header('app-id') ?? ''
    const secret = c.req.header('secret-key') ?? ''
    const ok =
      constantTimeEqual(appId, credentials.appId) &&
      constantTimeEqual(secret, credentials.secretKey)
    if (!ok) return hcError(c, 401, 'REQUIRE_LOGIN', 'Not Authorised')
    await next()
  }
}

export async function readJson(c: Context): Promise<{ ok: true; body: unknown } | { ok: false }> {
  try {
    return { ok: true, body: await c.req.json() }
  } catch {
    return { ok: false }
  }
}

export type Json = Record<string, unknown>

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Collects field errors the way Hello Clever reports them: `{"field": "can't be blank"}`. */
export class FieldCheck {
  readonly errors: Record<string, string> = {}

  constructor(private readonly body: Json) {}

  get ok() {
    return Object.keys(this.errors).length === 0
  }

  /** Records the first problem with a field; returns undefined so checks can `return` it. */
  fail(field: string, message: string): undefined {
    this.errors[field] ??= message
    return undefined
  }

  string(
    field: string,
    options: { required?: boolean; min?: number; max?: number; pattern?: RegExp } = {},
  ) {
    const value = this.body[field]
    if (value === undefined || value === null || value === '') {
      if (options.required) this.fail(field, "can't be blank")
      return undefined
    }
    if (typeof value !== 'string') return this.fail(field, 'must be a string')
    if (options.min !== undefined && value.length < options.min) {
      return this.fail(field, `is too short (minimum is ${options.min} characters)`)
    }
    if (options.max !== undefined && value.length > options.max) {
      return this.fail(field, `is too long (maximum is ${options.max} characters)`)
    }
    if (options.pattern && !options.pattern.test(value)) return this.fail(field, 'is invalid')
    return value
  }

  object(field: string): Json | undefined {
    const value = this.body[field]
    if (value === undefined || value === null) return this.fail(field, "can't be blank")
    if (!isObject(value)) return this.fail(field, 'must be an object')
    return value
  }
}

const MAJOR = /^(0|[1-9]\d{0,12})(\.\d{1,2})?$/

/** A major-unit amount (number or decimal string) as exact minor units, or undefined if malformed. */
export function majorToMinor(value: unknown): number | undefined {
  const text =
    typeof value === 'number'
      ? Number.isFinite(value)
        ? String(value)
        : ''
      : typeof value === 'string'
        ? value
        : ''
  const match = MAJOR.exec(text)
  if (!match) return undefined
  const cents = (match[2] ?? '').slice(1).padEnd(2, '0')
  return Number(match[1]) * 100 + Number(cents || '0')
}

/** Minor units as Hello Clever answers them: a number in major units (`10`, `12.5`). */
export function minorToMajorNumber(minor: number): number {
  return minor / 100
}

/** Minor units as a decimal string in major units (`"500.00"`). */
export function minorToMajorString(minor: number): string {
  return (minor / 100).toFixed(2)
}
