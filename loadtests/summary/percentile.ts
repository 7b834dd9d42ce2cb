/**
 * Trend statistics computed the way k6 computes them (lib/metrics TrendSink.P): the
 * percentile sits at fraction * (n - 1) in the sorted samples, interpolated linearly.
 */
export const percentile = (sorted: ArrayLike<number>, fraction: number): number => {
  const count = sorted.length;
  if (count === 0) return 0;
  if (count === 1) return sorted[0] as number;
  const position = fraction * (count - 1);
  const below = sorted[Math.floor(position)] as number;
  const above = sorted[Math.ceil(position)] as number;
  return below + (above - below) * (position - Math.floor(position));
};

/** The middle value; for an even count, the mean of the two middle ones (0 when empty). */
export const median = (values: readonly number[]): number => percentile(Float64Array.from(values).sort(), 0.5);

const percentileStat = /^p\((\d+(?:\.\d+)?)\)$/;

/** Values for k6 trend statistic names: count, avg, min, med, max, p(N). */
export const trendValues = (samples: ArrayLike<number>, stats: readonly string[]): Record<string, number> => {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const count = sorted.length;
  const values: Record<string, number> = {};
  for (const stat of stats) {
    const match = percentileStat.exec(stat);
    if (match) values[stat] = percentile(sorted, Number(match[1]) / 100);
    else if (stat === "count") values[stat] = count;
    else if (stat === "avg") values[stat] = count === 0 ? 0 : sum / count;
    else if (stat === "min") values[stat] = count === 0 ? 0 : (sorted[0] as number);
    else if (stat === "max") values[stat] = count === 0 ? 0 : (sorted[count - 1] as number);
    else if (stat === "med") values[stat] = percentile(sorted, 0.5);
    else throw new Error(`unknown trend statistic "${stat}"`);
  }
  return values;
};
