import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import type { ScenarioDefinition } from "../scenarios/catalog.ts";
import { mixRequestNames } from "../scenarios/catalog.ts";
import type { LoadParams } from "../scenarios/load-params.ts";
import { type RateStep, rateSteps } from "../scenarios/load-profile.ts";
import type { LoadUser } from "../scenarios/load-users.ts";
import { type RequestSpec, type ResponseLike, retrying, runFlow } from "../scenarios/request-spec.ts";
import { createRequestMix, newRunId, prepareScenarioData, type RequestMix } from "../scenarios/scenario-data.ts";
import { buildLoadSummary, type DriverInfo, type LoadSummary } from "../summary/load-summary.ts";
import { summaryTrendStats } from "../summary/metric-names.ts";
import { createSampleRecorder, type SampleRecorder } from "../summary/sample-recorder.ts";
import { applyThresholds, thresholdPercentiles } from "../summary/thresholds.ts";
import { runStep } from "./native-step.ts";

/**
 * The fallback when neither k6 nor Docker is available: the same scenario data, request
 * mix, metrics and thresholds, with autocannon generating the load.
 *
 * Arrival rate, approximated: autocannon is a closed-loop generator (each connection
 * waits for its response before sending the next request). Its `overallRate` option
 * caps each connection at its share of the rate per one-second window, so while the
 * server keeps up, the rate is met; when it cannot, fewer requests are sent, and the
 * shortfall is reported as `dropped`, as k6 reports dropped iterations when all VUs are
 * busy. Within a window, requests go out as fast as the connections allow until the
 * quota is used; up to ten instances started a tenth of a second apart (staggeredShares)
 * turn one burst a second into ten smaller ones, where k6 spaces arrivals evenly. Ramps
 * run as steps of at most five seconds (rateSteps), each a fresh set of instances.
 */
const autocannonVersion: string = createRequire(import.meta.url)("autocannon/package.json").version;

export const nativeDriverInfo: DriverInfo = {
  name: "native",
  tool: `autocannon ${autocannonVersion}`,
  arrivalModel:
    "autocannon overallRate, closed loop: each connection sends its share of the rate per 1 s window; " +
    "up to 10 instances staggered by 1/10 s spread the bursts; ramps in steps of at most 5 s; " +
    "requests the connections could not send in time count as dropped",
};

const sendWithFetch =
  (baseUrl: string) =>
  async (request: RequestSpec): Promise<ResponseLike> => {
    try {
      const response = await fetch(baseUrl + request.path, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: AbortSignal.timeout(30_000),
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      const reason = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      throw new Error(
        `${request.method} ${baseUrl}${request.path}: ${reason instanceof Error ? reason.message : reason}`,
      );
    }
  };

export interface NativeRun {
  definition: ScenarioDefinition;
  params: LoadParams;
  log: (line: string) => void;
}

interface Schedule {
  steps: readonly RateStep[];
  mix: RequestMix;
  users: readonly LoadUser[];
  recorder: SampleRecorder;
  params: LoadParams;
  log: (line: string) => void;
}

/** Runs the steps in order; Ctrl-C stops the current one and skips the rest. */
const runSchedule = async ({ steps, log, ...run }: Schedule): Promise<{ scheduled: number; issued: number }> => {
  let issued = 0;
  let scheduled = 0;
  let stopCurrent: (() => void) | undefined;
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
    stopCurrent?.();
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  try {
    for (const [index, step] of steps.entries()) {
      if (interrupted) break;
      log(`[native] step ${index + 1}/${steps.length}: ${step.rate.toFixed(0)} req/s for ${step.durationSeconds}s`);
      const startedAt = performance.now();
      if (step.rate < 1) await sleep(step.durationSeconds * 1000);
      else {
        await runStep({
          ...run,
          step,
          onIssued: () => issued++,
          onStart: (stop) => {
            stopCurrent = stop;
          },
        });
      }
      // An interrupted step only scheduled what fell before the interruption.
      const ranSeconds = Math.min(step.durationSeconds, (performance.now() - startedAt) / 1000);
      scheduled += step.rate * (interrupted ? ranSeconds : step.durationSeconds);
    }
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
  }
  if (interrupted) log("[native] interrupted: summarising what ran");
  return { scheduled, issued };
};

export const runNative = async ({ definition, params, log }: NativeRun): Promise<LoadSummary> => {
  const profile = definition.profile(params);
  log(`[native] discovering data at ${params.baseUrl}${definition.mix === "mixed" ? " and registering users" : ""}`);
  const data = await runFlow(
    prepareScenarioData(definition.mix, params, newRunId(Date.now(), Math.random), Math.random),
    retrying(
      sendWithFetch(params.baseUrl),
      (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1_000)),
    ),
  );
  log(
    `[native] ${data.seed.slugs.length} articles, ${data.seed.tags.length} tags, ${data.seed.usernames.length} authors` +
      (data.users.length > 0 ? `, ${data.users.length} users logged in` : ""),
  );

  const recorder = createSampleRecorder();
  const steps = rateSteps(profile);
  const { scheduled, issued } = await runSchedule({
    steps,
    mix: createRequestMix(definition.mix, data, params.zipfExponent),
    users: data.users,
    recorder,
    params,
    log,
  });

  const metrics = recorder.metrics({
    durationSeconds: steps.reduce((sum, step) => sum + step.durationSeconds, 0),
    dropped: Math.max(0, Math.round(scheduled - issued)),
    trendStats: [...new Set([...summaryTrendStats, ...thresholdPercentiles(definition.thresholds)])],
  });
  return buildLoadSummary(applyThresholds(metrics, definition.thresholds), {
    scenario: definition.name,
    driver: nativeDriverInfo,
    baseUrl: params.baseUrl,
    profile,
    connections: params.connections,
    names: mixRequestNames[definition.mix],
    thresholds: definition.thresholds,
    finishedAt: new Date(),
  });
};
