import { grouped } from '../db/group.ts'
import type { AppDeps } from '../deps.ts'
import { type PageRow, readClaimPages } from '../page/claim-page.ts'
import { type SettleGroup, settlementGroup } from '../payouts/settle-group.ts'
import { submitGroup } from '../payouts/submit.ts'
import { type ClaimWriteGroup, claimWriteGroup } from './generate.ts'

/**
 * The statements that arrive many at a time, each grouped per process (see db/group.ts): the
 * lifecycle's writes (generates, submits, the rail's `settled` callbacks) and claim page reads.
 * Without them (a tool that handles one claim at a time), each runs alone.
 */
export interface StatementGroups {
  claims: ClaimWriteGroup
  submits: ReturnType<typeof submitGroup>
  settlements: SettleGroup
  pages: (claimId: string) => Promise<PageRow | undefined>
}

export function statementGroups(deps: Pick<AppDeps, 'db' | 'clock' | 'logger'>): StatementGroups {
  return {
    claims: claimWriteGroup(deps.db),
    submits: submitGroup(deps),
    settlements: settlementGroup(deps),
    pages: grouped((claimIds: string[]) => readClaimPages(deps.db, claimIds)),
  }
}
