import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseCli, usage } from "./runner/cli-args.ts";
import { resolveDriver } from "./runner/driver-detection.ts";
import { runK6Binary, runK6Docker } from "./runner/k6-process.ts";
import { runNative } from "./runner/native-driver.ts";
import { scenarioCatalog } from "./scenarios/catalog.ts";
import { defaultSummaryPath, loadParamVariables, parseLoadParams } from "./scenarios/load-params.ts";
import { renderTextSummary } from "./summary/text-summary.ts";

/**
 * Runs one load scenario with the best driver available: k6, k6 in Docker, or the
 * native autocannon runner. Exit code 0 when every threshold passed, 99 when one failed
 * (k6's code), 1 when the run itself could not happen.
 */
const thresholdsFailed = 99;

const main = async (): Promise<number> => {
  const cli = parseCli(process.argv.slice(2), process.env);
  if (cli.kind === "help") {
    process.stdout.write(usage);
    return 0;
  }
  if (cli.kind === "error") {
    process.stderr.write(`${cli.message}\n\n${usage}`);
    return 2;
  }
  const { scenario, env } = cli.request;
  const definition = scenarioCatalog[scenario];
  const params = parseLoadParams(env, definition.defaults);
  const { driver, reason } = await resolveDriver(cli.request.driver, process.env.PATH);
  const summaryPath =
    params.summaryPath ?? defaultSummaryPath(scenario, driver === "docker" ? "k6-docker" : driver, new Date());
  await mkdir(path.dirname(path.resolve(summaryPath)), { recursive: true });
  process.stderr.write(`[loadtest] ${scenario} via ${driver} (${reason})\n`);

  const k6Env = { ...env, [loadParamVariables.summaryPath]: summaryPath };
  if (driver === "k6") return runK6Binary(scenario, k6Env);
  if (driver === "docker") return runK6Docker(scenario, k6Env, summaryPath);

  const summary = await runNative({ definition, params, log: (line) => process.stderr.write(`${line}\n`) });
  await writeFile(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(renderTextSummary(summary, summaryPath));
  return summary.ok ? 0 : thresholdsFailed;
};

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`[loadtest] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
