/** The part of the Compose file format these tests read, and Compose's own value rules. */

export interface ComposeHealthcheck {
  test?: string | string[];
  disable?: boolean;
}

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: (string | { target: number; published?: string | number })[];
  expose?: (string | number)[];
  volumes?: (string | { type: string; source?: string; target: string; read_only?: boolean })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: ComposeHealthcheck;
  profiles?: string[];
  deploy?: { replicas?: number };
  stop_signal?: string;
  stop_grace_period?: string;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/**
 * Compose's variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR?message}` and `$$` for a literal dollar. A required variable that
 * is missing throws, as `docker compose` refuses to start.
 */
export const interpolate = (value: string, env: Record<string, string | undefined>): string =>
  value.replace(
    /\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_match, dollar, braced, colon, operator, argument, bare) => {
      if (dollar) return "$";
      const name: string = braced ?? bare;
      const current = env[name];
      const missing = colon === ":" ? current === undefined || current === "" : current === undefined;
      if (operator === "-") return missing ? interpolate(argument, env) : (current ?? "");
      if (operator === "?" && missing) throw new Error(`required variable ${name} is missing: ${argument}`);
      return current ?? "";
    },
  );

/** A service's environment as Compose hands it to the container, variables resolved. */
export const serviceEnvironment = (
  service: ComposeService,
  env: Record<string, string | undefined>,
): Record<string, string> => {
  const entries: [string, string][] = Array.isArray(service.environment)
    ? service.environment.map((line) => {
        const equals = line.indexOf("=");
        return equals === -1 ? [line, env[line] ?? ""] : [line.slice(0, equals), line.slice(equals + 1)];
      })
    : Object.entries(service.environment ?? {}).map(([name, value]) => [name, value === null ? "" : String(value)]);
  return Object.fromEntries(entries.map(([name, value]) => [name, interpolate(value, env)]));
};

const durationUnitsMs: Record<string, number> = { us: 0.001, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Compose durations (Go's format without days): `20s`, `1m30s`, `1500ms`. */
export const parseComposeDurationMs = (duration: string): number => {
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h)/g)];
  const consumed = parts.map((part) => part[0]).join("");
  if (parts.length === 0 || consumed !== duration) throw new Error(`not a Compose duration: ${duration}`);
  return parts.reduce(
    (total, [, amount, unit]) => total + Number(amount) * (durationUnitsMs[unit ?? ""] ?? Number.NaN),
    0,
  );
};

export const dependencyConditions = (service: ComposeService): Record<string, string> =>
  Array.isArray(service.depends_on)
    ? Object.fromEntries(service.depends_on.map((name) => [name, "service_started"]))
    : Object.fromEntries(
        Object.entries(service.depends_on ?? {}).map(([name, { condition }]) => [name, condition ?? "service_started"]),
      );

export const commandWords = (command: string | string[] | undefined): string[] =>
  command === undefined ? [] : Array.isArray(command) ? command : command.split(/\s+/).filter(Boolean);

/** Short-syntax bind mounts (`./host:/container[:ro]`): host path, container path, options. */
export const bindMounts = (service: ComposeService) =>
  (service.volumes ?? []).flatMap((volume) => {
    if (typeof volume !== "string") {
      return volume.type === "bind" && volume.source
        ? [{ source: volume.source, target: volume.target, readOnly: volume.read_only === true }]
        : [];
    }
    const [source = "", target = "", options = ""] = volume.split(":");
    if (!source.startsWith(".") && !source.startsWith("/")) return [];
    return [{ source, target, readOnly: options.split(",").includes("ro") }];
  });
