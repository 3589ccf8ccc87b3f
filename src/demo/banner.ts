import { displayMoney } from '../page/format.ts'
import type { DemoProvider } from './provider.ts'

/** What `npm start` prints once it is ready: where it is, and a provider to try it with. */
export function readyBanner(
  publicUrl: string,
  demo: DemoProvider | undefined,
  operatorTokenFile?: string,
): string {
  const lines = ['', `  Cashout is ready at ${publicUrl}`, `  API reference     ${publicUrl}/docs`]
  if (operatorTokenFile) {
    lines.push(`  Operator console  ${publicUrl}/console/operator (token in ${operatorTokenFile})`)
  }
  if (demo) {
    lines.push(
      '',
      `  Demo provider     ${demo.name} (float ${displayMoney(demo.availableMinor, 'AUD')} available)`,
      `  API key           ${demo.api_key}`,
      demo.consoleSetup
        ? `  Console           ${demo.consoleUrl}  (one-time link: create the owner's account)`
        : `  Console           ${demo.consoleUrl}`,
      '',
      '  Create a cashout link:',
      `    curl -s ${publicUrl}/cashout/generate/${demo.name} \\`,
      `      -H 'Authorization: Bearer ${demo.api_key}' \\`,
      `      -H 'Content-Type: application/json' -d '{"amount":2500,"id":"order-1"}'`,
      '',
      '  Or walk through a whole cashout, webhooks included:  npm run demo -- --auto',
    )
  }
  return `${lines.join('\n')}\n\n`
}
