import { describe, expect, it } from "vitest";
import {
  bindMounts,
  type ComposeFile,
  commandWords,
  dependencyConditions,
  interpolate,
  parseComposeDurationMs,
  serviceEnvironment,
} from "./compose-file.ts";
import { parseDockerfile } from "./dockerfile-parser.ts";
import { isPinnedImage } from "./image-reference.ts";
import { parseOriginEnvironment, primaryDrainMarginMs, unknownOriginEnvNames } from "./origin-environment.ts";
import { readRepoText, readYaml, repoPath, repoPathExists } from "./repo-files.ts";

const compose = readYaml<ComposeFile>(repoPath("ops/compose.yaml"));
const services = compose.services;
const service = (name: string) => {
  const found = services[name];
  if (!found) throw new Error(`no service ${name} in ops/compose.yaml`);
  return found;
};

/** What a person sets before `docker compose up`; everything else must have a default. */
const shellEnv = { JWT_SECRET: "a-test-secret-of-at-least-thirty-two-characters" };
const originEnv = serviceEnvironment(service("origin"), shellEnv);

/** Mounted here, written by another issue (loadtests/); its existence is its own to test. */
const mountsOwnedElsewhere = new Set(["../loadtests"]);

const coreServices = ["nginx", "origin", "postgres", "postgres-replica", "pgbouncer", "redis"];
const oneShotServices = new Set(["k6"]);

const dockerfileHasHealthcheck = (name: string) => {
  const build = service(name).build;
  if (build === undefined) return false;
  const context = typeof build === "string" ? build : (build.context ?? ".");
  const dockerfile = typeof build === "string" ? "Dockerfile" : (build.dockerfile ?? "Dockerfile");
  const stages = parseDockerfile(readRepoText("ops", context, dockerfile)).stages;
  return stages.at(-1)?.instructions.some((instruction) => instruction.keyword === "HEALTHCHECK") ?? false;
};

const hasHealthcheck = (name: string) => {
  const healthcheck = service(name).healthcheck;
  if (healthcheck?.disable === true || (Array.isArray(healthcheck?.test) && healthcheck.test[0] === "NONE")) {
    return false;
  }
  return healthcheck?.test !== undefined || dockerfileHasHealthcheck(name);
};

describe("ops/compose.yaml services", () => {
  it("has the origin tier by default and the tools behind profiles", () => {
    for (const name of coreServices) expect(service(name).profiles, name).toBeUndefined();
    expect(service("prometheus").profiles).toEqual(["monitoring"]);
    expect(service("grafana").profiles).toEqual(["monitoring"]);
    expect(service("k6").profiles).toEqual(["loadtest"]);
  });

  it("pins every image to a version, and builds the origin from our Dockerfile", () => {
    for (const [name, definition] of Object.entries(services)) {
      if (definition.build !== undefined) {
        expect(dockerfileHasHealthcheck(name), `${name} builds from a Dockerfile`).toBe(true);
        if (definition.image) expect(definition.image, name).not.toMatch(/:latest$/);
        continue;
      }
      expect(definition.image, name).toBeDefined();
      expect(isPinnedImage(definition.image ?? ""), `${name}: ${definition.image}`).toBe(true);
    }
    expect(service("origin").build).toBeDefined();
  });

  it("gives every long-running service a healthcheck", () => {
    for (const name of Object.keys(services)) {
      if (oneShotServices.has(name)) continue;
      expect(hasHealthcheck(name), name).toBe(true);
    }
  });

  it("waits for a dependency's health wherever a healthcheck exists to wait for", () => {
    for (const [name, definition] of Object.entries(services)) {
      for (const [dependency, condition] of Object.entries(dependencyConditions(definition))) {
        expect(services[dependency], `${name} depends on ${dependency}`).toBeDefined();
        if (hasHealthcheck(dependency)) expect(condition, `${name} -> ${dependency}`).toBe("service_healthy");
      }
    }
    const expected: Record<string, string[]> = {
      nginx: ["origin"],
      origin: ["postgres", "postgres-replica", "pgbouncer", "redis"],
      "postgres-replica": ["postgres"],
      pgbouncer: ["postgres"],
      grafana: ["prometheus"],
      k6: ["nginx"],
    };
    for (const [name, dependencies] of Object.entries(expected)) {
      expect(Object.keys(dependencyConditions(service(name))).sort(), name).toEqual([...dependencies].sort());
    }
  });

  it("publishes NGINX on 8080 (NGINX_PORT) and keeps the origin replicas off host ports", () => {
    const nginxPorts = (env: Record<string, string>) =>
      (service("nginx").ports ?? []).map((port) => (typeof port === "string" ? interpolate(port, env) : port));
    expect(nginxPorts({})).toEqual(["8080:8080"]);
    expect(nginxPorts({ NGINX_PORT: "9080" })).toEqual(["9080:8080"]);
    expect(service("origin").ports).toBeUndefined();
    expect(service("origin").expose?.map(String)).toContain(originEnv.PORT);
    for (const name of ["postgres", "postgres-replica", "pgbouncer", "redis"]) {
      expect(service(name).ports, `${name} stays on the compose network`).toBeUndefined();
    }
  });

  it("mounts only files that exist, read-only, NGINX's site template and shared config among them", () => {
    expect(bindMounts(service("nginx"))).toEqual(
      expect.arrayContaining([
        {
          source: "./nginx/conduit.conf.template",
          target: "/etc/nginx/templates/default.conf.template",
          readOnly: true,
        },
        { source: "./nginx/conduit", target: "/etc/nginx/conduit", readOnly: true },
      ]),
    );
    expect(serviceEnvironment(service("nginx"), {}).RATE_LIMIT).toBe("on");
    expect(serviceEnvironment(service("nginx"), { RATE_LIMIT: "off" }).RATE_LIMIT).toBe("off");
    for (const [name, definition] of Object.entries(services)) {
      for (const mount of bindMounts(definition)) {
        expect(mount.readOnly, `${name}: ${mount.source}`).toBe(true);
        if (!mountsOwnedElsewhere.has(mount.source)) {
          expect(repoPathExists("ops", mount.source), `${name}: ${mount.source}`).toBe(true);
        }
      }
    }
  });
});

describe("the origin service", () => {
  it("runs two instances", () => {
    expect(service("origin").deploy?.replicas).toBe(2);
  });

  it("sets only environment names the config schema knows", () => {
    expect(unknownOriginEnvNames(originEnv)).toEqual([]);
  });

  it("passes the config schema in production mode, listening on all interfaces", () => {
    const parsed = parseOriginEnvironment(originEnv);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.env).toBe("production");
    expect(parsed.data?.host).toBe("0.0.0.0");
  });

  it("refuses to start without a JWT secret from the shell", () => {
    expect(() => serviceEnvironment(service("origin"), {})).toThrow(/JWT_SECRET/);
  });

  it("reaches Postgres through PgBouncer, the replica and migrations directly, and Redis, by service names", () => {
    const config = parseOriginEnvironment(originEnv).data;
    expect(new URL(config?.database.url ?? "").hostname).toBe("pgbouncer");
    expect(config?.database.pooling).toBe("transaction");
    expect(new URL(config?.database.migrationUrl ?? "").hostname).toBe("postgres");
    expect(config?.database.replicas.urls.map((url) => new URL(url).hostname)).toEqual(["postgres-replica"]);
    expect(new URL(originEnv.REDIS_URL ?? "").hostname).toBe("redis");
  });

  it("connects to each database service on the port it listens on", () => {
    const config = parseOriginEnvironment(originEnv).data;
    const urls = [config?.database.url, config?.database.migrationUrl, ...(config?.database.replicas.urls ?? [])];
    for (const url of urls) {
      const parsed = new URL(url ?? "");
      const healthcheck = JSON.stringify(service(parsed.hostname).healthcheck?.test ?? []);
      const port = /--port=(\d+)/.exec(healthcheck)?.[1] ?? "5432";
      expect(parsed.port || "5432", url).toBe(port);
      expect(parsed.pathname, url).toBe("/conduit");
    }
  });

  it("is given longer to stop than the primary takes to drain its workers", () => {
    const parsed = parseOriginEnvironment(originEnv);
    const drainMs = (parsed.data?.http.shutdownTimeoutMs ?? Number.POSITIVE_INFINITY) + primaryDrainMarginMs;
    expect(service("origin").stop_signal ?? "SIGTERM").toBe("SIGTERM");
    expect(parseComposeDurationMs(service("origin").stop_grace_period ?? "10s")).toBeGreaterThan(drainMs);
  });

  it("opens no more connections than each server allows, the sums in the file's header", () => {
    const config = parseOriginEnvironment(originEnv).data;
    const instances = service("origin").deploy?.replicas ?? 1;
    const workers = instances * (config?.workers ?? 0);
    const poolMax = config?.database.poolMax ?? 0;
    const maxConnections = (name: string) =>
      Number(
        commandWords(service(name).command)
          .find((word) => word.startsWith("max_connections="))
          ?.split("=")[1],
      );
    const pgbouncer = serviceEnvironment(service("pgbouncer"), shellEnv);
    const headroom = 10;
    // Pools go to PgBouncer; each worker's lag check and each instance's migration go direct.
    const primary = Number(pgbouncer.DEFAULT_POOL_SIZE) + workers + instances + headroom;
    const replica = workers * (poolMax + 1) + headroom;
    expect(maxConnections("postgres")).toBeGreaterThan(0);
    expect(primary).toBeLessThanOrEqual(maxConnections("postgres"));
    expect(replica).toBeLessThanOrEqual(maxConnections("postgres-replica"));
    expect(workers * poolMax).toBeLessThanOrEqual(Number(pgbouncer.MAX_CLIENT_CONN));
  });
});

describe("the database services", () => {
  const primaryInit = readRepoText("ops/postgres/primary-init/10-replication.sh");
  const replicaEntrypoint = readRepoText("ops/postgres/replica-entrypoint.sh");

  it("bootstraps the replica from the primary with pg_basebackup through the slot the primary creates", () => {
    expect(commandWords(service("postgres-replica").entrypoint)).toContain("/usr/local/bin/replica-entrypoint.sh");
    expect(replicaEntrypoint).toMatch(/pg_basebackup[\s\S]*--write-recovery-conf/);
    const slot = /--slot=(\w+)/.exec(replicaEntrypoint)?.[1];
    expect(slot).toBeDefined();
    expect(primaryInit).toContain(`pg_create_physical_replication_slot('${slot}')`);
    const replicaEnv = serviceEnvironment(service("postgres-replica"), shellEnv);
    expect(replicaEnv.PRIMARY_HOST).toBe("postgres");
    expect(replicaEnv.POSTGRES_REPLICATION_PASSWORD).toBe(
      serviceEnvironment(service("postgres"), shellEnv).POSTGRES_REPLICATION_PASSWORD,
    );
  });

  it("lets the replication role connect over the network", () => {
    const role = /--username=(\w+)/.exec(replicaEntrypoint)?.[1];
    expect(primaryInit).toContain(`CREATE ROLE ${role} WITH REPLICATION LOGIN`);
    expect(primaryInit).toMatch(new RegExp(`host\\s+replication\\s+${role}\\s+all\\s+scram-sha-256`));
  });

  it("gives the hot standby at least the primary's max_connections", () => {
    const setting = (name: string) =>
      Number(
        commandWords(service(name).command)
          .find((word) => word.startsWith("max_connections="))
          ?.split("=")[1] ?? 100,
      );
    expect(setting("postgres-replica")).toBeGreaterThanOrEqual(setting("postgres"));
  });

  it("keeps Postgres data in the volume the 18+ images declare", () => {
    for (const name of ["postgres", "postgres-replica"]) {
      expect(service(name).image).toMatch(/^postgres:18\./);
      expect(service(name).volumes).toContainEqual(expect.stringMatching(/^[\w-]+:\/var\/lib\/postgresql$/));
    }
  });

  it("runs PgBouncer in transaction pooling against the primary", () => {
    const env = serviceEnvironment(service("pgbouncer"), shellEnv);
    expect(env.POOL_MODE).toBe("transaction");
    expect(env.DB_HOST).toBe("postgres");
    expect(env.DB_NAME).toBe("conduit");
  });

  it("gives the pooled role the statement timeout the origin cannot set through PgBouncer", () => {
    const config = parseOriginEnvironment(originEnv).data;
    const settings = readRepoText("ops/postgres/primary-init/20-pooled-session-settings.sql");
    const seconds = /ALTER ROLE CURRENT_USER SET statement_timeout = '(\d+)s'/.exec(settings)?.[1];
    expect(Number(seconds) * 1000).toBe(config?.database.statementTimeoutMs);
  });
});

describe("the load test service", () => {
  it("runs loadtests/browse.ts from the k6 image against NGINX", () => {
    const k6 = service("k6");
    expect(k6.image).toMatch(/^grafana\/k6:/);
    expect(bindMounts(k6)).toContainEqual({ source: "../loadtests", target: "/loadtests", readOnly: true });
    expect(commandWords(k6.command)).toEqual(["run", "/loadtests/browse.ts"]);
    expect(serviceEnvironment(k6, shellEnv).BASE_URL).toBe("http://nginx:8080");
  });
});
