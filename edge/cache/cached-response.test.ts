import { describe, expect, it } from "vitest";
import { type CachedResponse, createCachedAnswer } from "./cached-response.ts";

const body = new TextEncoder().encode(JSON.stringify({ tags: ["a", "b"] }));
const entry = (): CachedResponse => ({
  headers: [
    ["content-type", "application/json; charset=utf-8"],
    ["cache-tag", "tags"],
  ],
  body: body.slice(),
  tags: ["tags"],
  storedAt: 10_000,
  fetchedAt: 10_000,
});

describe.each([
  { runtime: "Deno", outlive: true },
  { runtime: "Workers", outlive: false },
])("answers from a stored entry, built as on $runtime", ({ outlive }) => {
  const cachedAnswer = createCachedAnswer({ responsesOutliveRequests: outlive });

  it("carry the stored headers, how they were served and their age", async () => {
    const answer = cachedAnswer(entry(), "HIT", 12_500);
    expect([...answer.headers]).toEqual([
      ["age", "2"],
      ["cache-tag", "tags"],
      ["content-type", "application/json; charset=utf-8"],
      ["x-cache", "HIT"],
    ]);
    expect(answer.status).toBe(200);
  });

  it("each have the whole body, however many there are and whatever clients do with them", async () => {
    const stored = entry();
    const first = cachedAnswer(stored, "HIT", 10_000);
    const firstBody = new Uint8Array(await first.arrayBuffer());
    firstBody.fill(0);
    const rest = await Promise.all(
      Array.from({ length: 3 }, () => cachedAnswer(stored, "STALE", 10_000).arrayBuffer()),
    );
    for (const other of rest) expect(new Uint8Array(other)).toEqual(body);
    expect(stored.body).toEqual(body);
  });

  it("change nothing the next answer carries", () => {
    const stored = entry();
    cachedAnswer(stored, "HIT", 10_000).headers.set("x-request-id", "one");
    expect(cachedAnswer(stored, "STALE", 10_000).headers.get("x-request-id")).toBeNull();
  });

  it("never claim a negative age (a skewed test clock can go back)", () => {
    expect(cachedAnswer(entry(), "HIT", 0).headers.get("age")).toBe("0");
  });
});
