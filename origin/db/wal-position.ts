/**
 * WAL positions (`pg_lsn`, printed as `16/B374D848`) and what they tell about a replica's
 * view. A byte distance says nothing about time, so the lag monitor samples the primary's
 * position with the time it asked: a replica that has replayed up to a sampled position holds
 * every transaction committed before that sample was taken.
 */
export type WalPosition = bigint;

export interface PrimarySample {
  /** Monotonic ms just before the primary was asked, so a commit it reports is older. */
  at: number;
  position: WalPosition;
}

export const parseWalPosition = (text: string): WalPosition => {
  const match = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(text);
  if (!match) throw new Error(`not a WAL position: ${text}`);
  return (BigInt(`0x${match[1]}`) << 32n) | BigInt(`0x${match[2]}`);
};

/**
 * The time of the newest sample the replica has replayed past: everything committed before
 * it is visible there. `undefined` when it is behind every sample kept (older than all of them).
 * Samples are in the order they were taken, so positions never decrease.
 */
export const replicaViewAsOf = (samples: readonly PrimarySample[], replayed: WalPosition): number | undefined => {
  for (let index = samples.length - 1; index >= 0; index--) {
    const sample = samples[index];
    if (sample && sample.position <= replayed) return sample.at;
  }
  return undefined;
};
