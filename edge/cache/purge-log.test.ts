import { describe, expect, it } from "vitest";
import { createPurgeLog } from "./purge-log.ts";

describe("purge log", () => {
  const log = () => createPurgeLog({ knownSince: 1_000, maxTags: 3 });

  it("voids an entry whose tag was purged after its origin request started", () => {
    const purges = log();
    purges.record(["article:a"], 2_000);
    expect(purges.allows(["article:a", "profile:x"], 1_500)).toBe(false);
    expect(purges.allows(["article:b"], 1_500)).toBe(true);
  });

  it("keeps an entry fetched after the purge: it already has the new data", () => {
    const purges = log();
    purges.record(["article:a"], 2_000);
    expect(purges.allows(["article:a"], 2_001)).toBe(true);
  });

  it("counts a purge in the same millisecond as the fetch as after it", () => {
    const purges = log();
    purges.record(["article:a"], 2_000);
    expect(purges.allows(["article:a"], 2_000)).toBe(false);
  });

  it("never trusts an entry fetched before it could hear of purges", () => {
    expect(log().allows(["anything"], 1_000)).toBe(false);
    expect(log().allows(["anything"], 999)).toBe(false);
  });

  it("forgets the oldest tag past its bound by distrusting everything fetched before that purge", () => {
    const purges = log();
    purges.record(["a"], 2_000);
    purges.record(["b"], 3_000);
    purges.record(["c"], 4_000);
    purges.record(["d"], 5_000);
    expect(purges.allows(["unrelated"], 1_999)).toBe(false);
    expect(purges.allows(["unrelated"], 2_001)).toBe(true);
    expect(purges.allows(["b"], 2_500)).toBe(false);
  });

  it("a tag purged again moves to the newest position and keeps its latest time", () => {
    const purges = log();
    purges.record(["a"], 2_000);
    purges.record(["b"], 3_000);
    purges.record(["a"], 4_000);
    purges.record(["c"], 5_000);
    purges.record(["d"], 6_000);
    // "b" was the oldest, so it went; "a" stayed with its 4_000.
    expect(purges.allows(["a"], 3_500)).toBe(false);
    expect(purges.allows(["a"], 4_001)).toBe(true);
  });

  it("changes its generation with every purge", () => {
    const purges = log();
    const before = purges.generation;
    purges.record(["a"], 2_000);
    expect(purges.generation).not.toBe(before);
  });
});
