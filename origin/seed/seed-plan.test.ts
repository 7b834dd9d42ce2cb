import { describe, expect, it } from "vitest";
import { seedPlan } from "./seed-plan.ts";

describe("seedPlan", () => {
  it("scales comments, favorites and follows with the articles and users", () => {
    expect(seedPlan({ users: 10_000, articles: 100_000 })).toEqual({
      users: 10_000,
      articles: 100_000,
      comments: 500_000,
      favorites: 500_000,
      follows: 50_000,
      seed: 1,
    });
  });

  it("caps distinct pairs at half of those possible, so drawing them terminates quickly", () => {
    const plan = seedPlan({ users: 3, articles: 2, favorites: 100, follows: 100 });
    expect({ favorites: plan.favorites, follows: plan.follows }).toEqual({ favorites: 3, follows: 3 });
  });

  it("makes no articles without users to write them", () => {
    expect(seedPlan({ users: 0, articles: 50 })).toMatchObject({ articles: 0, comments: 0, favorites: 0, follows: 0 });
  });
});
