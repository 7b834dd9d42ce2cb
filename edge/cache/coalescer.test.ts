import { describe, expect, it } from "vitest";
import { createCoalescer } from "./coalescer.ts";

/** A fill that counts its runs and settles when told. */
const countingFill = () => {
  let settle: (value: string) => void = () => {};
  const counter = {
    runs: 0,
    fill: () => {
      counter.runs++;
      return new Promise<string>((resolve) => {
        settle = resolve;
      });
    },
    settle: (value: string) => settle(value),
  };
  return counter;
};

describe("coalescer", () => {
  it("runs one fill for concurrent callers of one key", async () => {
    const coalescer = createCoalescer<string>();
    const work = countingFill();
    const first = coalescer.run("k", 0, work.fill);
    const second = coalescer.run("k", 0, work.fill);
    work.settle("body");
    expect([await first, await second, work.runs]).toEqual(["body", "body", 1]);
  });

  it("does not let a caller join a fill that started before a purge", () => {
    const coalescer = createCoalescer<string>();
    const work = countingFill();
    void coalescer.run("k", 0, work.fill);
    void coalescer.run("k", 1, work.fill);
    void coalescer.run("k", 1, work.fill);
    expect(work.runs).toBe(2);
  });

  it("starts a new fill once the last one settled, failed or not", async () => {
    const coalescer = createCoalescer<string>();
    await coalescer.run("k", 0, () => Promise.reject(new Error("down"))).catch(() => {});
    const work = countingFill();
    void coalescer.run("k", 0, work.fill);
    expect(work.runs).toBe(1);
  });
});
