import { claimCss } from '../../views/assets/claim-css.ts'
import { claimJs } from '../../views/assets/claim-js.ts'
import { consoleCss } from '../../views/assets/console-css.ts'
import { consoleJs } from '../../views/assets/console-js.ts'
import { docsCss } from '../../views/assets/docs-css.ts'
import { createRouter } from '../http/router.ts'

interface Asset {
  body: string
  type: string
  /** Changes whenever the body does, so links can be cached for a long time. */
  version: string
}

/** FNV-1a: a short, stable fingerprint of an asset's text. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash.toString(36)
}

function asset(body: string, type: string): Asset {
  return { body, type, version: fingerprint(body) }
}

/** Static assets live in code so the same build serves them on Node and on Workers. */
const assets = {
  'docs.css': asset(docsCss, 'text/css; charset=utf-8'),
  'claim.css': asset(claimCss, 'text/css; charset=utf-8'),
  'claim.js': asset(claimJs, 'text/javascript; charset=utf-8'),
  'console.css': asset(consoleCss, 'text/css; charset=utf-8'),
  'console.js': asset(consoleJs, 'text/javascript; charset=utf-8'),
} satisfies Record<string, Asset>

export type AssetName = keyof typeof assets

export function assetPath(name: AssetName): string {
  return `/assets/${name}?v=${assets[name].version}`
}

export function assetRoutes() {
  return createRouter().get('/assets/:name', (c) => {
    const name = c.req.param('name')
    const found = Object.hasOwn(assets, name) ? assets[name as AssetName] : undefined
    if (!found) return c.notFound()
    c.header('Content-Type', found.type)
    c.header(
      'Cache-Control',
      c.req.query('v') === found.version
        ? 'public, max-age=31536000, immutable'
        : 'public, max-age=300',
    )
    c.header('X-Content-Type-Options', 'nosniff')
    return c.body(found.body)
  })
}
