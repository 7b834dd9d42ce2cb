import { parseArgs } from "node:util";
import { isScenarioName, type ScenarioName } from "../scenarios/catalog.ts";
import { loadParamVariables } from "../scenarios/load-params.ts";

/**
 * The runner's command line. Load parameters become the same environment variables a
 * k6 script reads (BASE_URL, RATE, ...), so one parser (parseLoadParams) serves both.
 */
export type DriverChoice = "auto" | "k6" | "docker" | "native";

export interface CliRequest {
  scenario: ScenarioName;
  driver: DriverChoice;
  /** k6-style variables: flags over the inherited environment. */
  env: Record<string, string>;
}

export const usage = `usage: node loadtests/run.ts --scenario browse|mixed|spike|soak [options]

  --base-url URL        origin-only (NGINX) http://127.0.0.1:8080, or the edge http://127.0.0.1:8787
  --duration 30s        load duration (k6 format: 30s, 5m, 1h)
  --rate N              requests per second (spike: the base rate; it peaks at 5x)
  --connections N       concurrency ceiling: k6 VUs, or autocannon connections
  --users N             users registered for the logged-in scenarios (default 20)
  --max-articles N      articles discovered before the run (default 1000)
  --zipf-exponent S     popularity skew (default 1; 0 is uniform)
  --summary PATH        JSON summary (default reports/loadtests/<scenario>-<driver>-<time>.json)
  --driver auto|k6|docker|native
                        auto: a k6 binary on PATH, else docker run grafana/k6 when a Docker
                        engine answers, else the native autocannon runner
`;

const flagVariables = {
  "base-url": loadParamVariables.baseUrl,
  duration: loadParamVariables.durationSeconds,
  rate: loadParamVariables.rate,
  connections: loadParamVariables.connections,
  users: loadParamVariables.users,
  "max-articles": loadParamVariables.maxArticles,
  "zipf-exponent": loadParamVariables.zipfExponent,
  summary: loadParamVariables.summaryPath,
} as const;

const drivers: readonly DriverChoice[] = ["auto", "k6", "docker", "native"];
const isDriverChoice = (value: string): value is DriverChoice => (drivers as readonly string[]).includes(value);

const cliOptions = {
  scenario: { type: "string" },
  driver: { type: "string" },
  help: { type: "boolean", short: "h" },
  "base-url": { type: "string" },
  duration: { type: "string" },
  rate: { type: "string" },
  connections: { type: "string" },
  users: { type: "string" },
  "max-articles": { type: "string" },
  "zipf-exponent": { type: "string" },
  summary: { type: "string" },
} as const;

export type CliParse = { kind: "help" } | { kind: "run"; request: CliRequest } | { kind: "error"; message: string };

const parseFlags = (argv: readonly string[]) => {
  try {
    return parseArgs({ args: [...argv], options: cliOptions, strict: true, allowPositionals: false }).values;
  } catch (error) {
    return (error as Error).message;
  }
};

export const parseCli = (
  argv: readonly string[],
  inherited: Readonly<Record<string, string | undefined>>,
): CliParse => {
  const values = parseFlags(argv);
  if (typeof values === "string") return { kind: "error", message: values };
  if (values.help) return { kind: "help" };
  if (values.scenario === undefined || !isScenarioName(values.scenario)) {
    return { kind: "error", message: `--scenario must be one of browse, mixed, spike, soak (got ${values.scenario})` };
  }
  const driver = values.driver ?? "auto";
  if (!isDriverChoice(driver))
    return { kind: "error", message: `--driver must be one of ${drivers.join(", ")} (got ${driver})` };

  const env: Record<string, string> = {};
  for (const variable of Object.values(loadParamVariables)) {
    const value = inherited[variable];
    if (value !== undefined && value !== "") env[variable] = value;
  }
  for (const [flag, variable] of Object.entries(flagVariables)) {
    const value = values[flag as keyof typeof flagVariables];
    if (value !== undefined) env[variable] = value;
  }
  return { kind: "run", request: { scenario: values.scenario, driver, env } };
};
