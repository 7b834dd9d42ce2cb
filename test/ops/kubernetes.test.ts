import { execFileSync } from "node:child_process";
import { join } from "node:path";
import type { Deployment } from "kubernetes-models/apps/v1";
import type { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import type { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import type { ConfigMap, Secret, Service } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { isPinnedImage } from "./image-reference.ts";
import {
  findObject,
  type KubernetesObject,
  loadResources,
  parseQuantity,
  readKustomization,
  validateAgainstSchema,
} from "./kubernetes-manifests.ts";
import { parseOriginEnvironment, primaryDrainMarginMs, unknownOriginEnvNames } from "./origin-environment.ts";
import { readYamlDocuments, repoPath, repoPathExists } from "./repo-files.ts";

const baseDirectory = repoPath("ops/k8s/base");
const overlayDirectory = repoPath("ops/k8s/overlays/production");
const objects = loadResources(baseDirectory);

const deployment = findObject<Deployment>(objects, "apps/v1", "Deployment");
const service = findObject<Service>(objects, "v1", "Service");
const hpa = findObject<HorizontalPodAutoscaler>(objects, "autoscaling/v2", "HorizontalPodAutoscaler");
const pdb = findObject<PodDisruptionBudget>(objects, "policy/v1", "PodDisruptionBudget");
const configMap = findObject<ConfigMap>(objects, "v1", "ConfigMap");
const secret = findObject<Secret>(objects, "v1", "Secret");

const podSpec = deployment.spec?.template.spec;
const podLabels = deployment.spec?.template.metadata?.labels ?? {};
const [container] = podSpec?.containers ?? [];
const configData = configMap.data ?? {};
const secretData = secret.stringData ?? {};
const realSecret = { ...secretData, JWT_SECRET: "a-real-secret-from-the-secret-manager-0123456789" };

const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([key, value]) => labels[key] === value);

const preStopSleepSeconds = () => {
  const preStop = container?.lifecycle?.preStop;
  if (preStop?.sleep) return preStop.sleep.seconds;
  const [program, seconds] = preStop?.exec?.command ?? [];
  return program === "sleep" || program === "/bin/sleep" ? Number(seconds) : 0;
};

describe("the kustomize base", () => {
  it("lists resource files that exist and hold the origin's objects", () => {
    const resources = readKustomization(baseDirectory).resources ?? [];
    for (const resource of resources) expect(repoPathExists("ops/k8s/base", resource), resource).toBe(true);
    expect(objects.map(({ object }) => object.kind).sort()).toEqual(
      ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Secret", "Service"].sort(),
    );
  });

  it("validates every object against the Kubernetes schemas", () => {
    for (const { file, object } of objects) {
      expect(() => validateAgainstSchema(object), `${file}: ${object.kind} ${object.metadata?.name}`).not.toThrow();
    }
  });

  it("catches a schema violation (the validation is real)", () => {
    const broken = structuredClone(deployment) as unknown as KubernetesObject;
    const containers = (
      broken.spec as { template: { spec: { containers: { ports: { containerPort: unknown }[] }[] } } }
    ).template.spec.containers;
    const port = containers[0]?.ports[0];
    if (port) port.containerPort = "3001";
    expect(() => validateAgainstSchema(broken)).toThrow(/containerPort/);
  });
});

describe("the origin Deployment", () => {
  it("selects its own pods and leaves the replica count to the HPA", () => {
    expect(selects(deployment.spec?.selector.matchLabels, podLabels)).toBe(true);
    expect(deployment.spec?.replicas).toBeUndefined();
  });

  it("runs a pinned image on the port the config gives the app", () => {
    expect(isPinnedImage(container?.image ?? "")).toBe(true);
    const http = container?.ports?.find((port) => port.name === "http");
    expect(http?.containerPort).toBe(Number(configData.PORT));
  });

  it("is ready when /readyz answers and alive while /healthz answers", () => {
    expect(container?.readinessProbe?.httpGet?.path).toBe("/readyz");
    expect(container?.readinessProbe?.httpGet?.port).toBe("http");
    expect(container?.livenessProbe?.httpGet?.path).toBe("/healthz");
    expect(container?.livenessProbe?.httpGet?.port).toBe("http");
    if (container?.startupProbe) expect(container.startupProbe.httpGet?.path).toBe("/healthz");
  });

  it("gives the readiness probe longer than /readyz's own 2 s database bound", () => {
    expect(container?.readinessProbe?.timeoutSeconds ?? 1).toBeGreaterThan(2);
  });

  it("waits for endpoint removal, then the drain, before the kubelet may kill it", () => {
    const sleepSeconds = preStopSleepSeconds();
    const shutdownTimeoutMs = Number(configData.SHUTDOWN_TIMEOUT_MS);
    expect(sleepSeconds).toBeGreaterThan(0);
    expect(shutdownTimeoutMs).toBeGreaterThan(0);
    expect(podSpec?.terminationGracePeriodSeconds ?? 30).toBeGreaterThan(
      sleepSeconds + (shutdownTimeoutMs + primaryDrainMarginMs) / 1000,
    );
  });

  it("requests and limits CPU and memory, requests within limits", () => {
    const { requests = {}, limits = {} } = container?.resources ?? {};
    for (const resource of ["cpu", "memory"]) {
      const request = requests[resource];
      const limit = limits[resource];
      expect(request, `${resource} request`).toBeDefined();
      expect(limit, `${resource} limit`).toBeDefined();
      expect(parseQuantity(request ?? 0)).toBeLessThanOrEqual(parseQuantity(limit ?? 0));
    }
  });

  it("runs as non-root on a read-only root filesystem with no capabilities", () => {
    expect(podSpec?.securityContext?.runAsNonRoot ?? container?.securityContext?.runAsNonRoot).toBe(true);
    expect(podSpec?.securityContext?.runAsUser ?? container?.securityContext?.runAsUser).not.toBe(0);
    expect(container?.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(container?.securityContext?.allowPrivilegeEscalation).toBe(false);
    expect(container?.securityContext?.capabilities?.drop).toContain("ALL");
  });

  it("takes its environment from the ConfigMap and the Secret of this base", () => {
    const sources = container?.envFrom ?? [];
    expect(sources.map((source) => source.configMapRef?.name).filter(Boolean)).toEqual([configMap.metadata?.name]);
    expect(sources.map((source) => source.secretRef?.name).filter(Boolean)).toEqual([secret.metadata?.name]);
    expect(container?.env ?? []).toEqual([]);
  });
});

describe("the Service, HPA and PodDisruptionBudget", () => {
  it("route to the Deployment's pods on its named port", () => {
    expect(selects(service.spec?.selector, podLabels)).toBe(true);
    const ports = container?.ports ?? [];
    for (const port of service.spec?.ports ?? []) {
      expect(ports.some((own) => own.name === port.targetPort || own.containerPort === port.targetPort)).toBe(true);
    }
  });

  it("scale the Deployment on CPU, against a CPU request", () => {
    expect(hpa.spec?.scaleTargetRef).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: deployment.metadata?.name,
    });
    const cpu = hpa.spec?.metrics?.find((metric) => metric.type === "Resource" && metric.resource?.name === "cpu");
    expect(cpu?.resource?.target.type).toBe("Utilization");
    expect(container?.resources?.requests?.cpu).toBeDefined();
    expect(hpa.spec?.minReplicas ?? 1).toBeGreaterThanOrEqual(2);
    expect(hpa.spec?.maxReplicas).toBeGreaterThanOrEqual(hpa.spec?.minReplicas ?? 1);
  });

  it("keep the budget's selector on the pods and let a drain proceed one pod at a time", () => {
    expect(selects(pdb.spec?.selector?.matchLabels, podLabels)).toBe(true);
    const minAvailable = pdb.spec?.minAvailable;
    if (minAvailable !== undefined) expect(Number(minAvailable)).toBeLessThan(hpa.spec?.minReplicas ?? 1);
    else expect(Number(pdb.spec?.maxUnavailable)).toBeGreaterThanOrEqual(1);
  });
});

describe("the origin's configuration", () => {
  it("uses only names the config schema knows, secrets kept out of the ConfigMap", () => {
    expect(unknownOriginEnvNames(configData)).toEqual([]);
    expect(unknownOriginEnvNames(secretData)).toEqual([]);
    expect(Object.keys(configData)).not.toContain("JWT_SECRET");
    expect(Object.keys(configData)).not.toContain("DATABASE_URL");
  });

  it("starts in production mode on all interfaces once the real secret is there", () => {
    const parsed = parseOriginEnvironment({ ...configData, ...realSecret });
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.env).toBe("production");
    expect(parsed.data?.host).toBe("0.0.0.0");
  });

  it("marks the Secret's placeholders, and the app refuses to start with them", () => {
    for (const value of Object.values(secretData)) expect(value).toContain("REPLACE_ME");
    const parsed = parseOriginEnvironment({ ...configData, ...secretData });
    expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual(["JWT_SECRET"]);
  });

  it("opens at most the documented number of connections to any one database server at full scale", () => {
    const config = parseOriginEnvironment({ ...configData, ...realSecret }).data;
    const budget = Number(configMap.metadata?.annotations?.["conduit-hybrid/db-connection-budget"]);
    const pods = hpa.spec?.maxReplicas ?? 0;
    const workers = pods * (config?.workers ?? 0);
    const poolMax = config?.database.poolMax ?? 0;
    const replicas = config?.database.replicas.urls.length ?? 0;
    expect(budget).toBeGreaterThan(0);
    // Every worker holds a pool and a lag-check connection per replica; the pool goes to
    // DATABASE_URL, the lag check of the primary and each pod's migration to the primary itself.
    const perServer = [
      ...(replicas > 0 ? [workers * (poolMax + 1)] : []),
      workers * poolMax,
      (replicas > 0 ? workers : 0) + pods,
    ];
    for (const connections of perServer) expect(connections).toBeLessThanOrEqual(budget);
  });

  it("keeps every database URL, which carries a password, in the Secret", () => {
    const databaseUrls = ["DATABASE_URL", "DATABASE_MIGRATION_URL", "DATABASE_REPLICA_URLS"];
    for (const name of databaseUrls) {
      expect(Object.keys(configData)).not.toContain(name);
      expect(secretData[name], name).toMatch(/^postgres:\/\/[^:]+:REPLACE_ME@/);
    }
  });

  it("pools through PgBouncer in transaction mode, migrating and checking lag against the primary itself", () => {
    const config = parseOriginEnvironment({ ...configData, ...realSecret }).data;
    expect(config?.database.pooling).toBe("transaction");
    expect(new URL(config?.database.url ?? "").hostname).toBe("pgbouncer");
    expect(new URL(config?.database.migrationUrl ?? "").hostname).not.toBe("pgbouncer");
    expect(config?.database.replicas.urls.length).toBeGreaterThan(0);
    expect(config?.redis).toBeDefined();
  });
});

describe("the production overlay", () => {
  const overlay = readKustomization(overlayDirectory);
  const patchFiles = (overlay.patches ?? []).map((patch) => patch.path ?? "");
  const patches = patchFiles.flatMap(
    (file) => readYamlDocuments(join(overlayDirectory, file)) as (KubernetesObject & { $patch?: string })[],
  );

  it("builds on the base and patches only objects the base has", () => {
    expect(overlay.resources).toContain("../../base");
    for (const file of patchFiles) expect(repoPathExists("ops/k8s/overlays/production", file), file).toBe(true);
    for (const patch of patches) {
      const target = objects.find(
        ({ object }) => object.kind === patch.kind && object.metadata?.name === patch.metadata?.name,
      );
      expect(target, `${patch.kind} ${patch.metadata?.name}`).toBeDefined();
    }
  });

  it("deletes the placeholder Secret so the secret manager's is never overwritten", () => {
    expect(patches).toContainEqual(
      expect.objectContaining({ $patch: "delete", kind: "Secret", metadata: { name: secret.metadata?.name } }),
    );
  });

  it("retags the image the Deployment actually uses", () => {
    const imageName = container?.image?.replace(/[:@].*$/, "");
    const override = overlay.images?.find((image) => image.name === imageName);
    expect(override, `images entry for ${imageName}`).toBeDefined();
    expect(override?.digest ?? `x:${override?.newTag}`).toSatisfy((pin: string) => isPinnedImage(pin));
  });

  it("keeps every ConfigMap patch within the config schema", () => {
    for (const patch of patches.filter((object) => object.kind === "ConfigMap")) {
      const data = (patch.data ?? {}) as Record<string, string>;
      expect(unknownOriginEnvNames(data)).toEqual([]);
      const parsed = parseOriginEnvironment({ ...configData, ...data, ...realSecret });
      expect(parsed.error?.issues ?? []).toEqual([]);
    }
  });
});

const kubectl = (() => {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!kubectl)("kustomize's own rendering (kubectl kustomize)", () => {
  const render = (directory: string) =>
    parseAllDocuments(execFileSync("kubectl", ["kustomize", directory], { encoding: "utf8" })).map(
      (document) => document.toJS() as KubernetesObject,
    );

  it("renders the base and the production overlay to schema-valid objects", () => {
    for (const directory of [baseDirectory, overlayDirectory]) {
      for (const object of render(directory)) {
        expect(() => validateAgainstSchema(object), `${directory}: ${object.kind}`).not.toThrow();
      }
    }
  });

  it("renders production into its namespace, without any Secret, with the overridden image", () => {
    const rendered = render(overlayDirectory);
    const namespace = readKustomization(overlayDirectory).namespace;
    expect(rendered.every((object) => object.metadata?.namespace === namespace)).toBe(true);
    expect(rendered.filter((object) => object.kind === "Secret")).toEqual([]);
    const renderedDeployment = rendered.find((object) => object.kind === "Deployment") as Deployment | undefined;
    expect(renderedDeployment?.spec?.template.spec?.containers[0]?.image).not.toBe(container?.image);
  });
});
