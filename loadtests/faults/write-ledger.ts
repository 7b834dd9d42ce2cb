import type { LoadSummary } from "../summary/load-summary.ts";

/**
 * Whether a fault lost writes: every create the API answered with success must be in
 * Postgres afterwards. Rows counted before and after the run stand against the successful
 * answers of each create request; the mixed mix deletes nothing, so the count only grows.
 * More rows than successes is allowed: a write can commit and its answer be lost with the
 * worker that sent it (the client saw a failure, retried or not); fewer is data lost.
 */
export const ledgerTables = { createComment: "comments", createArticle: "articles" } as const;

export type LedgerRequest = keyof typeof ledgerTables;

export interface WriteLedgerLine {
  request: LedgerRequest;
  /** Answered 2xx or 3xx (k6's rule, the summary's `failed` complement). */
  answeredOk: number;
  /** Rows the run added to the request's table. */
  stored: number;
  /** Answered as written, not in the table. Must be 0. */
  lost: number;
  /** In the table, though its client was not told so. */
  storedUnconfirmed: number;
}

export const writeLedger = (
  summary: Pick<LoadSummary, "byName">,
  rowsAdded: Record<LedgerRequest, number>,
): WriteLedgerLine[] =>
  (Object.keys(ledgerTables) as LedgerRequest[]).map((request) => {
    const figures = summary.byName[request];
    const answeredOk = figures ? figures.count - figures.failed : 0;
    const stored = rowsAdded[request];
    return {
      request,
      answeredOk,
      stored,
      lost: Math.max(0, answeredOk - stored),
      storedUnconfirmed: Math.max(0, stored - answeredOk),
    };
  });
