import { ApiReference } from '../../views/docs/api-reference.tsx'
import { assetPath } from '../assets/routes.ts'
import { renderPage } from '../http/html.ts'
import { createRouter } from '../http/router.ts'
import { buildReference, type OpenApiDocument } from './reference.ts'

/** `/openapi.json` and the human-readable reference, both from the same generated document. */
export function docsRoutes(getDocument: () => OpenApiDocument) {
  return createRouter()
    .get('/openapi.json', (c) => c.json(getDocument()))
    .get('/docs', (c) =>
      renderPage(
        c,
        ApiReference({ model: buildReference(getDocument()), stylesheet: assetPath('docs.css') }),
      ),
    )
    .get('/', (c) => c.redirect('/docs'))
}
