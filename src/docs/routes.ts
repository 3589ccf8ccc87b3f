import { ApiReference } from '../../views/docs/api-reference.tsx'
import { assetPath } from '../assets/routes.ts'
import { createRouter } from '../http/router.ts'
import { buildReference, type OpenApiDocument } from './reference.ts'

/** `/openapi.json` and the human-readable reference, both from the same generated document. */
export function docsRoutes(getDocument: () => OpenApiDocument) {
  // The document is fixed for the app's life, so its page is rendered once, on first request.
  let page: Promise<string> | undefined
  const render = async () => {
    const model = buildReference(getDocument())
    return `<!doctype html>${await ApiReference({ model, stylesheet: assetPath('docs.css') })}`
  }
  return createRouter()
    .get('/openapi.json', (c) => c.json(getDocument()))
    .get('/docs', async (c) => {
      page ??= render().catch((error) => {
        page = undefined
        throw error
      })
      return c.html(await page)
    })
    .get('/', (c) => c.redirect('/docs'))
}
