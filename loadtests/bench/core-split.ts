/**
 * Which cores the system under test gets and which the load generator gets (design.md:
 * pin the sides apart). On two cores, one each, as the design's own measurements were made;
 * on more, the generator gets a quarter (at least one) from the top. One core cannot be
 * split: both sides share it, and the reports say so.
 */
export interface CoreSplit {
  sutCores: number[];
  generatorCores: number[];
  shared: boolean;
}

export const splitCores = (cores: readonly number[]): CoreSplit => {
  const sorted = [...cores].sort((a, b) => a - b);
  if (sorted.length < 2) return { sutCores: sorted, generatorCores: sorted, shared: true };
  const generatorCount = Math.max(1, Math.floor(sorted.length / 4));
  return {
    sutCores: sorted.slice(0, sorted.length - generatorCount),
    generatorCores: sorted.slice(sorted.length - generatorCount),
    shared: false,
  };
};

/** A CPU budget above the pinned cores needs more of them: the system under test then spreads over all. */
export const budgetPlacement = (split: CoreSplit, allCores: readonly number[], budgetCores: number): CoreSplit =>
  budgetCores <= split.sutCores.length
    ? split
    : { sutCores: [...allCores], generatorCores: split.generatorCores, shared: true };
