import { describe, expect, it } from "vitest";
import { writeLedger } from "./write-ledger.ts";

const figures = (count: number, failed: number) => ({
  count,
  failed,
  errorRate: count === 0 ? 0 : failed / count,
  latencyMs: { avg: 0, min: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 },
});

describe("the write ledger", () => {
  it("balances when every successful create is stored", () => {
    const ledger = writeLedger(
      { byName: { createComment: figures(40, 2), createArticle: figures(10, 0) } },
      { createComment: 38, createArticle: 10 },
    );
    expect(ledger.map(({ lost, storedUnconfirmed }) => ({ lost, storedUnconfirmed }))).toEqual([
      { lost: 0, storedUnconfirmed: 0 },
      { lost: 0, storedUnconfirmed: 0 },
    ]);
  });

  it("counts a create answered as written but missing from the table as lost", () => {
    const [comments] = writeLedger(
      { byName: { createComment: figures(40, 0), createArticle: figures(0, 0) } },
      { createComment: 37, createArticle: 0 },
    );
    expect(comments).toEqual({ request: "createComment", answeredOk: 40, stored: 37, lost: 3, storedUnconfirmed: 0 });
  });

  it("allows rows whose answer failed: committed, then the worker died before answering", () => {
    const [, articles] = writeLedger(
      { byName: { createComment: figures(0, 0), createArticle: figures(12, 2) } },
      { createComment: 0, createArticle: 11 },
    );
    expect(articles).toEqual({ request: "createArticle", answeredOk: 10, stored: 11, lost: 0, storedUnconfirmed: 1 });
  });

  it("treats a request the run never sent as zero answers", () => {
    expect(writeLedger({ byName: {} }, { createComment: 0, createArticle: 0 }).map((line) => line.answeredOk)).toEqual([
      0, 0,
    ]);
  });
});
