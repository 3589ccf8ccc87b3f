import type { AppDeps } from '../deps.ts'
import { type SettleGroup, settlementGroup } from '../payouts/settle-group.ts'
import { submitGroup } from '../payouts/submit.ts'
import { type ClaimWriteGroup, claimWriteGroup } from './generate.ts'

/**
 * The lifecycle's writes that arrive many at a time, each grouped per process (see
 * db/group.ts): generates, submits, and the rail's `settled` callbacks. Without them (a tool
 * that writes one claim at a time), each is written alone.
 */
export interface WriteGroups {
  claims: ClaimWriteGroup
  submits: ReturnType<typeof submitGroup>
  settlements: SettleGroup
}

export function writeGroups(deps: Pick<AppDeps, 'db' | 'clock' | 'logger'>): WriteGroups {
  return {
    claims: claimWriteGroup(deps.db),
    submits: submitGroup(deps),
    settlements: settlementGroup(deps),
  }
}
