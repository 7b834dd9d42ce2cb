import { describe, expect, it } from "vitest";
import { budgetPlacement, splitCores } from "./core-split.ts";

describe("splitCores", () => {
  it("gives one core to each side on two cores", () => {
    expect(splitCores([0, 1])).toEqual({ sutCores: [0], generatorCores: [1], shared: false });
  });

  it("gives the generator a quarter of a bigger machine, from the top", () => {
    expect(splitCores([0, 1, 2, 3, 4, 5, 6, 7])).toEqual({
      sutCores: [0, 1, 2, 3, 4, 5],
      generatorCores: [6, 7],
      shared: false,
    });
  });

  it("says when one core must be shared", () => {
    expect(splitCores([3])).toEqual({ sutCores: [3], generatorCores: [3], shared: true });
  });
});

describe("budgetPlacement", () => {
  it("spreads the system under test over every core for a budget above its own, and says they share", () => {
    const split = splitCores([0, 1]);
    expect(budgetPlacement(split, [0, 1], 1)).toBe(split);
    expect(budgetPlacement(split, [0, 1], 1.5)).toEqual({ sutCores: [0, 1], generatorCores: [1], shared: true });
  });
});
