/**
 * autocannon enforces a rate per one-second window that starts when its connections are
 * created, so one instance sends each second's requests in a burst at the start of the
 * second. Splitting a step into several instances started a fraction of a second apart
 * spreads those bursts across the second, closer to k6's evenly spaced arrivals.
 */
export interface InstanceShare {
  rate: number;
  connections: number;
  /** Delay before this instance starts, within the first second. */
  offsetMs: number;
}

/** At most ten bursts a second: finer slicing leaves too few connections per instance. */
const maxPhases = 10;

/** Splits `total` into `parts` integers that differ by at most one, larger first. */
const split = (total: number, parts: number): number[] =>
  Array.from({ length: parts }, (_, index) => Math.floor(total / parts) + (index < total % parts ? 1 : 0));

export const staggeredShares = (rate: number, connections: number): InstanceShare[] => {
  const wholeRate = Math.max(1, Math.round(rate));
  const phases = Math.max(1, Math.min(maxPhases, connections, wholeRate));
  const rates = split(wholeRate, phases);
  const connectionCounts = split(connections, phases);
  return rates.map((share, index) => ({
    rate: share,
    // autocannon never opens more connections than its rate per second.
    connections: Math.min(connectionCounts[index] ?? 1, share),
    offsetMs: Math.round((index * 1000) / phases),
  }));
};
