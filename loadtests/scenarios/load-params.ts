import { parseDurationSeconds } from "./duration.ts";

/**
 * A run's parameters, parsed once from environment-style variables: k6 passes `__ENV`,
 * the native runner turns its flags into the same variables, so both read one schema.
 */
export interface LoadParams {
  baseUrl: string;
  /** Requests per second (the base rate of `spike`). */
  rate: number;
  durationSeconds: number;
  /** Concurrency ceiling: k6 VUs, or autocannon connections. */
  connections: number;
  /** Users registered for the logged-in scenarios. */
  users: number;
  maxArticles: number;
  zipfExponent: number;
  summaryPath: string | undefined;
}

export interface ScenarioDefaults {
  rate: number;
  durationSeconds: number;
  connections: number;
}

export const loadParamVariables = {
  baseUrl: "BASE_URL",
  rate: "RATE",
  durationSeconds: "DURATION",
  connections: "CONNECTIONS",
  users: "USERS",
  maxArticles: "MAX_ARTICLES",
  zipfExponent: "ZIPF_EXPONENT",
  summaryPath: "SUMMARY_PATH",
} as const satisfies Record<keyof LoadParams, string>;

export const defaultBaseUrl = "http://127.0.0.1:8080";

type Env = Readonly<Record<string, string | undefined>>;

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== "";

export const parseLoadParams = (env: Env, defaults: ScenarioDefaults): LoadParams => {
  const problems: string[] = [];
  const number = (key: keyof LoadParams, fallback: number, valid: (value: number) => boolean, rule: string) => {
    const variable = loadParamVariables[key];
    const raw = env[variable];
    if (!present(raw)) return fallback;
    const value = Number(raw);
    if (Number.isFinite(value) && valid(value)) return value;
    problems.push(`${variable}=${raw}: must be ${rule}`);
    return fallback;
  };
  const positiveInteger = (value: number) => Number.isInteger(value) && value > 0;

  let durationSeconds = defaults.durationSeconds;
  const rawDuration = env[loadParamVariables.durationSeconds];
  if (present(rawDuration)) {
    try {
      durationSeconds = parseDurationSeconds(rawDuration);
      if (!(durationSeconds >= 1)) problems.push(`DURATION=${rawDuration}: must be at least 1s`);
    } catch (error) {
      problems.push(`DURATION: ${(error as Error).message}`);
    }
  }

  const baseUrl = (env[loadParamVariables.baseUrl] ?? defaultBaseUrl).replace(/\/+$/, "");
  if (!/^https?:\/\/[^/\s]+(\/\S*)?$/.test(baseUrl)) problems.push(`BASE_URL=${baseUrl}: must be an http(s) URL`);

  const params: LoadParams = {
    baseUrl,
    rate: number("rate", defaults.rate, (value) => value > 0, "a positive number of requests per second"),
    durationSeconds,
    connections: number("connections", defaults.connections, positiveInteger, "a positive integer"),
    users: number("users", 20, positiveInteger, "a positive integer"),
    maxArticles: number("maxArticles", 1000, positiveInteger, "a positive integer"),
    zipfExponent: number("zipfExponent", 1, (value) => value >= 0, "a number >= 0"),
    summaryPath: present(env[loadParamVariables.summaryPath]) ? env[loadParamVariables.summaryPath] : undefined,
  };
  if (problems.length > 0) throw new Error(`invalid load-test parameters:\n  ${problems.join("\n  ")}`);
  return params;
};

/** Where a summary goes when SUMMARY_PATH is not given (reports/ is git-ignored). */
export const defaultSummaryPath = (scenario: string, driver: string, at: Date): string =>
  `reports/loadtests/${scenario}-${driver}-${at.toISOString().replace(/[:.]/g, "-")}.json`;
