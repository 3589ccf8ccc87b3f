import { mkdirSync, writeFileSync } from 'node:fs'
import { BenchSetupError } from '../bench/postgres.ts'
import { formatReport } from '../bench/report.ts'
import { runBench } from '../bench/run.ts'

/** `npm run bench`: Cashout beside its baselines on real Postgres; see README "Performance". */
async function main() {
  const env = process.env
  const number = (name: string, fallback: number) => Number(env[name] ?? fallback)
  try {
    const results = await runBench({
      adminUrl:
        env.BENCH_DATABASE_URL ??
        env.TEST_DATABASE_URL ??
        'postgres://postgres@127.0.0.1:5432/postgres',
      connections: number('BENCH_CONNECTIONS', 50),
      seconds: number('BENCH_SECONDS', 10),
      warmupSeconds: number('BENCH_WARMUP_SECONDS', 3),
      claims: number('BENCH_CLAIMS', 3000),
      nodeFlags: env.BENCH_NODE_FLAGS?.split(/\s+/).filter(Boolean),
      env,
      progress: (line) => process.stderr.write(`… ${line}\n`),
    })
    mkdirSync('test-output/bench', { recursive: true })
    const file = `test-output/bench/bench-${results.when.replace(/[:.]/g, '-')}.json`
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
    writeFileSync('test-output/bench/latest.json', `${JSON.stringify(results, null, 2)}\n`)
    process.stdout.write(`\n${formatReport(results)}\n\nResults: ${file}\n`)
  } catch (error) {
    if (error instanceof BenchSetupError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(1)
    }
    throw error
  }
}

void main()
