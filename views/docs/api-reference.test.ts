import { describe, expect, it } from 'vitest'
import { buildReference } from '../../src/docs/reference.ts'
import { testDocument } from '../../src/docs/test-document.ts'
import { ApiReference } from './api-reference.tsx'

const render = async (doc = testDocument) =>
  String(await ApiReference({ model: buildReference(doc), stylesheet: '/assets/docs.css' }))

describe('the API reference page', () => {
  it('renders Markdown as elements and escapes HTML', async () => {
    const html = await render()
    expect(html).toContain('<code>{&quot;message&quot;, &quot;code&quot;}</code>')
    expect(html).toContain('<strong>the guide</strong>')
    expect(html).toContain('<a href="https://spec.openapis.org/oas/v3.1.0">the spec</a>')
    expect(html).toContain('<em>link</em>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; stays text.')
    expect(html).not.toMatch(/<script|`/)
  })

  it('escapes a hostile document everywhere it is shown', async () => {
    const evil = '<img src=x onerror=alert(1)>'
    const html = await render({
      ...testDocument,
      info: { title: evil, version: evil, description: `[x](javascript:alert(1)) ${evil}` },
      tags: [{ name: evil, description: evil }],
      paths: {
        '/x': {
          get: {
            operationId: 'x"><b>',
            tags: [evil],
            summary: evil,
            parameters: [{ name: evil, in: 'query', schema: { type: 'string', pattern: evil } }],
            responses: { '200': { description: evil } },
          },
        },
      },
    })
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<b>')
    expect(html).not.toContain('javascript:')
  })

  it('has contents grouped by tag, then webhook events and schemas, anchored by operationId', async () => {
    const html = await render()
    const nav = html.slice(html.indexOf('<nav'), html.indexOf('</nav>'))
    const groups = [...nav.matchAll(/class="toc-group" href="#([^"]+)"/g)].map((m) => m[1])
    expect(groups).toEqual(['tag-Claims', 'tag-Providers', 'tag-Other', 'webhooks', 'schemas'])
    for (const id of [
      'getClaim',
      'submitClaim',
      'updateProfile',
      'health',
      'claimSettled',
      'claimFailed',
    ]) {
      expect(nav).toContain(`href="#${id}"`)
      expect(html).toContain(`id="${id}"`)
    }
    expect(html).toContain('>Webhook events</h2>')
    expect(html).toContain('<code>claim.settled</code>')
  })

  it('says how each operation authenticates', async () => {
    const html = await render()
    const article = (id: string) => {
      const start = html.indexOf(`<article class="operation" id="${id}"`)
      return html.slice(start, html.indexOf('</article>', start))
    }
    expect(article('getClaim')).toContain('Authentication optional: ')
    expect(article('submitClaim')).toContain(
      'Authentication: <a href="#auth-providerKey"><code>providerKey</code></a>',
    )
    expect(article('health')).toContain('No authentication.')
    expect(article('claimSettled')).not.toContain('uthentication')
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      expect(article('claimSettled')).toContain(`<code class="field-name">${name}</code>`)
    }
    expect(article('getClaim')).toContain('<code class="field-name">Retry-After</code>')
    expect(article('getClaim')).not.toContain('X-Request-Id')
    const intro = html.slice(html.indexOf('<header class="intro">'), html.indexOf('</header>'))
    expect(intro).toContain('<code class="field-name">X-Request-Id</code>')
    expect(article('getClaim')).toContain('<a href="#schema-Error">Error</a>')
  })
})
