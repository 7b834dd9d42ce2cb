import { configSchema } from "../../origin/config.ts";

/**
 * Environment names an ops file may give the origin: the keys of its config schema. The schema
 * strips unknown keys instead of failing, so a misspelt name would pass `safeParse` silently;
 * the name check is what catches it.
 */
export const knownOriginEnvNames: ReadonlySet<string> = new Set(Object.keys(configSchema.in.shape));

export const unknownOriginEnvNames = (environment: Record<string, string>) =>
  Object.keys(environment).filter((name) => !knownOriginEnvNames.has(name));

export const parseOriginEnvironment = (environment: Record<string, string>) => configSchema.safeParse(environment);

/**
 * On SIGTERM the cluster primary waits SHUTDOWN_TIMEOUT_MS plus this margin for its workers
 * before it kills them (origin/cluster/primary.ts); the orchestrator must wait longer still.
 */
export const primaryDrainMarginMs = 2_000;
