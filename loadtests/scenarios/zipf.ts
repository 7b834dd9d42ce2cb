import type { Random } from "./request-spec.ts";

/**
 * Zipf-distributed ranks: rank k (0-based) is drawn with probability proportional to
 * 1 / (k + 1)^exponent, so a few items take most of the traffic, as on real sites.
 * Exponent 0 is uniform; around 1 is typical of web content popularity.
 */
export interface ZipfSampler {
  readonly size: number;
  sample: (random: Random) => number;
}

export const zipfSampler = (size: number, exponent = 1): ZipfSampler => {
  if (!Number.isInteger(size) || size < 1) throw new Error(`zipf: size must be a positive integer, got ${size}`);
  if (!(exponent >= 0)) throw new Error(`zipf: exponent must be >= 0, got ${exponent}`);
  const cumulative = new Float64Array(size);
  let total = 0;
  for (let rank = 0; rank < size; rank++) {
    total += 1 / (rank + 1) ** exponent;
    cumulative[rank] = total;
  }
  return {
    size,
    sample: (random) => {
      const target = random() * total;
      let low = 0;
      let high = size - 1;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if ((cumulative[middle] ?? total) > target) high = middle;
        else low = middle + 1;
      }
      return low;
    },
  };
};

/** Picks from a list ordered most popular first. */
export const zipfPicker = <T>(items: readonly T[], exponent = 1): ((random: Random) => T) => {
  const sampler = zipfSampler(items.length, exponent);
  return (random) => items[sampler.sample(random)] as T;
};
