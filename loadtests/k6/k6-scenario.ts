import { sleep } from "k6";
import exec from "k6/execution";
import http from "k6/http";
import type { Options, Scenario } from "k6/options";
import { mixRequestNames, type ScenarioDefinition } from "../scenarios/catalog.ts";
import { k6Duration } from "../scenarios/duration.ts";
import { defaultSummaryPath, parseLoadParams } from "../scenarios/load-params.ts";
import type { LoadProfile } from "../scenarios/load-profile.ts";
import { type RequestSpec, type ResponseLike, retryingSync, runFlowSync } from "../scenarios/request-spec.ts";
import {
  createRequestMix,
  newRunId,
  prepareScenarioData,
  type RequestMix,
  type ScenarioData,
} from "../scenarios/scenario-data.ts";
import { buildLoadSummary } from "../summary/load-summary.ts";
import { loadTags, setupTags, summaryTrendStats } from "../summary/metric-names.ts";
import type { K6SummaryData } from "../summary/summary-metrics.ts";
import { renderTextSummary } from "../summary/text-summary.ts";
import { thresholdPercentiles } from "../summary/thresholds.ts";
import { createK6Metrics } from "./k6-metrics.ts";

/**
 * Turns a catalog entry into a k6 script's exports. One iteration sends one request,
 * so an arrival rate in iterations per second is a rate in requests per second, as in
 * the native runner. VUs are capped at CONNECTIONS: when all are busy k6 drops
 * iterations (dropped_iterations) instead of queueing them, as autocannon does.
 */
const arrivalRateScenario = (profile: LoadProfile, connections: number): Scenario => {
  const vus = { preAllocatedVUs: connections, maxVUs: connections, timeUnit: "1s" };
  return profile.executor === "constant-arrival-rate"
    ? { executor: profile.executor, rate: profile.rate, duration: k6Duration(profile.durationSeconds), ...vus }
    : {
        executor: profile.executor,
        startRate: profile.startRate,
        stages: profile.stages.map((stage) => ({ duration: k6Duration(stage.durationSeconds), target: stage.target })),
        ...vus,
      };
};

const k6Tools: Record<"k6" | "k6-docker", string> = { k6: "k6 from PATH", "k6-docker": "k6 in the grafana/k6 image" };

export const createK6Scenario = (definition: ScenarioDefinition) => {
  const params = parseLoadParams(__ENV, definition.defaults);
  const profile = definition.profile(params);
  const names = mixRequestNames[definition.mix];
  const metrics = createK6Metrics(names);
  const thresholds: Record<string, string[]> = {};
  for (const [metric, expressions] of Object.entries(definition.thresholds)) thresholds[metric] = [...expressions];

  const options: Options = {
    scenarios: { [definition.name]: arrivalRateScenario(profile, params.connections) },
    thresholds,
    summaryTrendStats: [...new Set([...summaryTrendStats, ...thresholdPercentiles(thresholds)])],
    // Load requests never read their bodies; set-up requests ask for text explicitly.
    discardResponseBodies: true,
    // Registering users hashes their passwords, one after another.
    setupTimeout: "10m",
  };

  const sendSetupRequest = (request: RequestSpec): ResponseLike => {
    const response = http.request(request.method, params.baseUrl + request.path, request.body ?? null, {
      headers: request.headers,
      tags: { ...setupTags, name: request.name },
      responseType: "text",
    });
    return { status: response.status, body: response.body ?? "" };
  };

  const setup = (): ScenarioData =>
    runFlowSync(
      prepareScenarioData(definition.mix, params, newRunId(Date.now(), Math.random), Math.random),
      retryingSync(sendSetupRequest, sleep),
    );

  // Built once per VU, on its first iteration: setup data only exists from then on.
  let mix: RequestMix | undefined;
  const iteration = (data: ScenarioData): void => {
    if (mix === undefined) mix = createRequestMix(definition.mix, data, params.zipfExponent);
    const user = data.users.length === 0 ? undefined : data.users[(exec.vu.idInTest - 1) % data.users.length];
    const request = mix.next(Math.random, user);
    // The `name` tag also groups URLs, so k6 keeps one series per request name, not per slug.
    const response = http.request(request.method, params.baseUrl + request.path, request.body ?? null, {
      headers: request.headers,
      tags: { ...loadTags, name: request.name },
    });
    metrics.record(request.name, response);
  };

  const handleSummary = (data: K6SummaryData): Record<string, string> => {
    const finishedAt = new Date();
    const driver = __ENV.LOADTEST_DRIVER === "k6-docker" ? "k6-docker" : "k6";
    const summary = buildLoadSummary(data.metrics, {
      scenario: definition.name,
      driver: {
        name: driver,
        tool: k6Tools[driver],
        arrivalModel: `k6 ${profile.executor}: iterations start on schedule, one request each, at most ${params.connections} VUs in flight`,
      },
      baseUrl: params.baseUrl,
      profile,
      connections: params.connections,
      names,
      thresholds: definition.thresholds,
      finishedAt,
    });
    const path = params.summaryPath ?? defaultSummaryPath(definition.name, driver, finishedAt);
    return { stdout: renderTextSummary(summary, path), [path]: `${JSON.stringify(summary, null, 2)}\n` };
  };

  return { options, setup, iteration, handleSummary };
};
