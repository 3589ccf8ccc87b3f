import type { Context } from 'hono'
import type { AppEnv } from '../http/env.ts'
import { accentStylesheet, accentStylesheetPath, readAppearance } from '../providers/appearance.ts'

const STYLESHEET = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.css$/

/** One provider's claim-page colours, linked from its claim pages (the CSP forbids inline styles). */
export async function providerStylesheet(c: Context<AppEnv>) {
  const id = STYLESHEET.exec(c.req.param('file') ?? '')?.[1]
  const appearance = id ? await readAppearance(c.var.deps.db, id) : undefined
  if (!id || !appearance?.accent_colour) return c.notFound()
  const path = accentStylesheetPath(id, appearance.accent_colour)
  const current = new URL(path, 'http://x').searchParams.get('v')
  c.header('Content-Type', 'text/css; charset=utf-8')
  c.header('X-Content-Type-Options', 'nosniff')
  // A link names the colour it was made for; an old link may still be asked for briefly.
  c.header(
    'Cache-Control',
    c.req.query('v') === current ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
  )
  return c.body(accentStylesheet(appearance.accent_colour))
}
