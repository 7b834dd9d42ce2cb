import { describe, expect, it } from "vitest";
import { RestartPolicy } from "./restart-policy.ts";

describe("RestartPolicy", () => {
  it("doubles the delay for crashes close together", () => {
    const policy = new RestartPolicy({ baseDelayMs: 100, maxDelayMs: 10_000, windowMs: 60_000, maxCrashes: 10 });
    const delays = [0, 1, 2, 3].map((second) => policy.onExit(second * 1_000));
    expect(delays).toEqual([
      { action: "restart", delayMs: 100 },
      { action: "restart", delayMs: 200 },
      { action: "restart", delayMs: 400 },
      { action: "restart", delayMs: 800 },
    ]);
  });

  it("caps the delay", () => {
    const policy = new RestartPolicy({ baseDelayMs: 1_000, maxDelayMs: 3_000, windowMs: 60_000, maxCrashes: 10 });
    const last = [0, 1, 2, 3, 4].map((second) => policy.onExit(second)).at(-1);
    expect(last).toEqual({ action: "restart", delayMs: 3_000 });
  });

  it("forgets crashes older than the window", () => {
    const policy = new RestartPolicy({ baseDelayMs: 100, maxDelayMs: 10_000, windowMs: 1_000, maxCrashes: 2 });
    policy.onExit(0);
    policy.onExit(500);
    expect(policy.onExit(5_000)).toEqual({ action: "restart", delayMs: 100 });
  });

  it("gives up on a crash loop", () => {
    const policy = new RestartPolicy({ baseDelayMs: 1, maxDelayMs: 10, windowMs: 60_000, maxCrashes: 3 });
    for (const second of [0, 1, 2]) expect(policy.onExit(second).action).toBe("restart");
    expect(policy.onExit(3)).toEqual({ action: "give-up", crashes: 4 });
  });
});
