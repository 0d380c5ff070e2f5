/**
 * Where the master starts streaming to a slave, from the slave's first report, and when it refuses to (the
 * divergence policy of the README: never silently mix two histories).
 */
import { HADivergenceError } from '../errors.js';
import type { HAStore } from '../ha-store.js';
import { RECORD_HEADER_BYTES, stepRecord } from '../record-walk.js';

/**
 * The transfer start for a slave whose first report is `reported`. Report 0 (an empty slave) starts at the
 * master's oldest stored offset, so the slave gets the whole retained history (Java starts at the last segment).
 * Throws HADivergenceError when the slave is ahead of the master, asks for history the master no longer has, or
 * ends at an offset that is not a record boundary on the master (its records differ from the master's).
 */
export async function resolveStartOffset(store: HAStore, reported: number): Promise<number> {
  const maxPhyOffset = store.getMaxPhyOffset();
  const minPhyOffset = store.getMinPhyOffset();
  if (reported > maxPhyOffset) {
    throw new HADivergenceError({
      reason: 'slave-ahead',
      masterPhyOffset: maxPhyOffset,
      slavePhyOffset: reported,
    });
  }
  if (reported === 0) return minPhyOffset;
  if (reported < minPhyOffset) {
    throw new HADivergenceError({
      reason: 'history-gone',
      masterPhyOffset: minPhyOffset,
      slavePhyOffset: reported,
    });
  }
  if (reported === maxPhyOffset) return reported;
  if (reported % store.config.mappedFileSizeCommitLog === 0) return reported;
  if (await isRecordBoundary(store, reported)) return reported;
  throw new HADivergenceError({
    reason: 'not-a-boundary',
    masterPhyOffset: maxPhyOffset,
    slavePhyOffset: reported,
  });
}

/** True when a record (its own PHYSICALOFFSET equal to `phyOffset`) or an end-of-segment filler starts there. */
async function isRecordBoundary(store: HAStore, phyOffset: number): Promise<boolean> {
  const bytes = await store.readRaw(phyOffset, RECORD_HEADER_BYTES);
  if (!bytes) return false;
  const step = stepRecord({ bytes, phyOffset }, phyOffset, store.config.mappedFileSizeCommitLog);
  return (step.kind === 'record' || step.kind === 'blank') && step.verified;
}
