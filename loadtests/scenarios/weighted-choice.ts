import type { Random } from "./request-spec.ts";

/** Relative weights of a request mix, e.g. `{ getArticle: 30, listTags: 3 }`. */
export type Weights<K extends string> = Readonly<Record<K, number>>;

export const totalWeight = (weights: Weights<string>): number =>
  Object.values<number>(weights).reduce((sum, weight) => sum + weight, 0);

/** Returns a chooser that draws keys in proportion to their weights. */
export const weightedChooser = <K extends string>(weights: Weights<K>): ((random: Random) => K) => {
  const entries = Object.entries<number>(weights) as [K, number][];
  if (entries.some(([, weight]) => !(weight >= 0))) throw new Error("weights must be non-negative numbers");
  const total = totalWeight(weights);
  if (!(total > 0)) throw new Error("weights must not all be zero");
  const positive = entries.filter(([, weight]) => weight > 0);
  // Rounding can leave a sliver past the last boundary; it belongs to the last real entry.
  const last = (positive[positive.length - 1] as [K, number])[0];
  return (random) => {
    let remaining = random() * total;
    for (const [key, weight] of positive) {
      remaining -= weight;
      if (remaining < 0) return key;
    }
    return last;
  };
};
