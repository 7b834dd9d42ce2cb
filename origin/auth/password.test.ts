import { describe, expect, it } from "vitest";
import { AppError } from "../../shared/errors/app-error.ts";
import { createPasswordHasher } from "./password.ts";

/** Real Argon2 hashes; what is checked is how many run or wait, and what is refused. */
const outcomesOf = (checks: Promise<boolean>[]) =>
  Promise.all(
    checks.map((check) =>
      check.then(
        (matched) => (matched ? "matched" : "wrong"),
        (error: unknown) => (error instanceof AppError ? error.code : String(error)),
      ),
    ),
  );

/** Calls `verify` as a storm would: all before any hash has finished. */
const storm = (hasher: ReturnType<typeof createPasswordHasher>, stored: string, size: number) =>
  Array.from({ length: size }, () => hasher.verify(stored, "correct horse"));

describe("password hasher limits", () => {
  it("runs `concurrency` hashes, queues `maxQueued` more, and refuses the rest at once", async () => {
    const hasher = createPasswordHasher({ concurrency: 1, maxQueued: 2 });
    const stored = await hasher.hash("correct horse");
    const outcomes = await outcomesOf(storm(hasher, stored, 6));
    expect(outcomes).toEqual([
      "matched",
      "matched",
      "matched",
      "passwordCheckBusy",
      "passwordCheckBusy",
      "passwordCheckBusy",
    ]);
  });

  it("with no queue, still runs `concurrency` hashes at once", async () => {
    const hasher = createPasswordHasher({ concurrency: 2, maxQueued: 0 });
    const stored = await hasher.hash("correct horse");
    const outcomes = await outcomesOf(storm(hasher, stored, 3));
    expect(outcomes).toEqual(["matched", "matched", "passwordCheckBusy"]);
  });

  it("takes new work again once the storm has passed", async () => {
    const hasher = createPasswordHasher({ concurrency: 1, maxQueued: 0 });
    const stored = await hasher.hash("correct horse");
    await outcomesOf(storm(hasher, stored, 3));
    expect(await hasher.verify(stored, "correct horse")).toBe(true);
    expect(await hasher.verify(stored, "wrong horse")).toBe(false);
  });
});
