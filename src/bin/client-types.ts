import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CLIENT_SCHEMA_PATH, generateClientTypes } from '../codegen/client-types.ts'

/** `npm run client:generate`: rewrites src/client/schema.ts from the API's own document. */
const target = fileURLToPath(new URL(`../../${CLIENT_SCHEMA_PATH}`, import.meta.url))
writeFileSync(target, await generateClientTypes())
process.stdout.write(`wrote ${CLIENT_SCHEMA_PATH}\n`)
