/**
 * One strict decoder for the process: with `fatal`, an invalid byte throws instead of becoming
 * U+FFFD, which would make different inputs equal (`u\xff` and `u\xfe`). It keeps no state
 * between calls that are not streamed, so sharing it is safe.
 */
// Another label throws as the module loads, failing every test file that imports it; the vitest
// runner scores that as survived (stryker-js#6150).
// Stryker disable next-line StringLiteral: caught at import, miscounted by the runner
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/** The text of UTF-8 bytes, or undefined when they are not UTF-8. A leading BOM is dropped. */
export function decodeUtf8(bytes: ArrayBuffer | Uint8Array): string | undefined {
  try {
    // Stryker disable BlockStatement: emptied, the catch below falls through to the same undefined
    return strict.decode(bytes)
  } catch {
    // Stryker restore BlockStatement
    return undefined
  }
}
