import { readFile } from "node:fs/promises";
import { type GeneratorRun, generatorCommand, startGenerator } from "../bench/generator-run.ts";
import type { LoadSummary } from "../summary/load-summary.ts";
import type { Fault, FaultControls } from "./fault-catalog.ts";
import { type LedgerRequest, type WriteLedgerLine, writeLedger } from "./write-ledger.ts";

/**
 * One fault under load: the native runner's fixed-rate load (its own process, on the
 * generator cores), the fault injected `faultAtSeconds` after the load began, then, once
 * the load and the fault have both ended, whether every part answers again and whether
 * every write the clients were told succeeded is in Postgres.
 */
export interface FaultRunOptions {
  fault: Fault;
  load: Omit<GeneratorRun, "scenario">;
  faultAtSeconds: number;
  controls: FaultControls;
  countRows: () => Promise<Record<LedgerRequest, number>>;
  /** Resolves true once every part answers, false if some part still does not after a while. */
  recovered: () => Promise<boolean>;
}

export interface FaultResult {
  id: string;
  description: string;
  target: Fault["target"];
  promise: string;
  command: string;
  summary: LoadSummary;
  ledger: WriteLedgerLine[];
  recovered: boolean;
  broken: string[];
}

export const runFault = async ({
  fault,
  load,
  faultAtSeconds,
  controls,
  countRows,
  recovered: probe,
}: FaultRunOptions): Promise<FaultResult> => {
  const run: GeneratorRun = { ...load, scenario: fault.scenario };
  const rowsBefore = await countRows();
  const generator = startGenerator(run);
  await generator.loadStarted;
  await new Promise((resolve) => setTimeout(resolve, faultAtSeconds * 1_000));
  const injected = fault.inject(controls).then(
    () => undefined,
    (error: unknown) => error,
  );
  const { code, stderrTail } = await generator.exited;
  const injectError = await injected;
  if (injectError !== undefined) throw new Error(`injecting ${fault.id} failed: ${String(injectError)}`);
  // 99: a latency or error threshold of the scenario failed, which a fault may well cause.
  if (code !== 0 && code !== 99) throw new Error(`the load generator failed (exit ${code}):\n${stderrTail.join("\n")}`);
  const summary = JSON.parse(await readFile(run.summaryPath, "utf8")) as LoadSummary;
  const recovered = await probe();
  const rowsAfter = await countRows();
  const ledger = writeLedger(summary, {
    createComment: rowsAfter.createComment - rowsBefore.createComment,
    createArticle: rowsAfter.createArticle - rowsBefore.createArticle,
  });
  return {
    id: fault.id,
    description: fault.description,
    target: fault.target,
    promise: fault.promise,
    command: generatorCommand(run),
    summary,
    ledger,
    recovered,
    broken: fault.check({ summary, ledger, connections: run.connections, recovered }),
  };
};
