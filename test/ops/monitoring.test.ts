import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bindMounts, type ComposeFile, serviceEnvironment } from "./compose-file.ts";
import { readRepoText, readYaml, repoPath } from "./repo-files.ts";

interface PrometheusConfig {
  global?: { scrape_interval?: string };
  scrape_configs: {
    job_name: string;
    metrics_path?: string;
    dns_sd_configs?: { names: string[]; type?: string; port?: number }[];
    static_configs?: { targets: string[] }[];
  }[];
}

interface GrafanaTarget {
  expr?: string;
  datasource?: { type?: string; uid?: string };
}

interface GrafanaPanel {
  id: number;
  title: string;
  type: string;
  datasource?: { type?: string; uid?: string };
  targets?: GrafanaTarget[];
  gridPos: { x: number; y: number; w: number; h: number };
}

interface GrafanaDashboard {
  uid: string;
  title: string;
  panels: GrafanaPanel[];
  templating?: { list: { name: string }[] };
}

const compose = readYaml<ComposeFile>(repoPath("ops/compose.yaml"));
const prometheus = readYaml<PrometheusConfig>(repoPath("ops/prometheus/prometheus.yml"));
const dashboard = JSON.parse(readRepoText("ops/grafana/dashboards/conduit.json")) as GrafanaDashboard;
const datasources = readYaml<{ datasources: { uid: string; type: string; url: string }[] }>(
  repoPath("ops/grafana/provisioning/datasources/prometheus.yaml"),
).datasources;
const dashboardProviders = readYaml<{ providers: { type: string; options: { path: string } }[] }>(
  repoPath("ops/grafana/provisioning/dashboards/conduit.yaml"),
).providers;

const expressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr ?? ""));
const panelExpressions = (title: RegExp) =>
  dashboard.panels.filter((panel) => title.test(panel.title)).flatMap((panel) => panel.targets ?? []);

describe("Prometheus", () => {
  const origin = prometheus.scrape_configs.find((job) => job.job_name === "origin");
  const originPort = serviceEnvironment(compose.services.origin ?? {}, { JWT_SECRET: "x" }).PORT;

  it("scrapes every origin replica directly on the app's port, at /metrics", () => {
    expect(origin?.metrics_path ?? "/metrics").toBe("/metrics");
    const [discovery] = origin?.dns_sd_configs ?? [];
    expect(discovery?.names).toEqual(["origin"]);
    expect(discovery?.type ?? "SRV").toBe("A");
    expect(String(discovery?.port)).toBe(originPort);
  });

  it("never scrapes through NGINX, which would sample one instance at random", () => {
    const targets = prometheus.scrape_configs.flatMap((job) => [
      ...(job.static_configs ?? []).flatMap((config) => config.targets),
      ...(job.dns_sd_configs ?? []).flatMap((config) => config.names),
    ]);
    expect(targets.some((target) => target.startsWith("nginx"))).toBe(false);
  });

  it("is the file the compose service mounts", () => {
    expect(bindMounts(compose.services.prometheus ?? {})).toContainEqual({
      source: "./prometheus/prometheus.yml",
      target: "/etc/prometheus/prometheus.yml",
      readOnly: true,
    });
  });
});

describe("Grafana provisioning", () => {
  it("provisions the Prometheus data source the dashboard refers to", () => {
    const [source] = datasources;
    expect(source?.type).toBe("prometheus");
    expect(source?.url).toBe("http://prometheus:9090");
    for (const panel of dashboard.panels) {
      for (const reference of [panel.datasource, ...(panel.targets ?? []).map((target) => target.datasource)]) {
        expect(reference?.uid, panel.title).toBe(source?.uid);
      }
    }
  });

  it("loads dashboards from where compose mounts ops/grafana/dashboards", () => {
    const mounts = bindMounts(compose.services.grafana ?? {});
    const dashboardsMount = mounts.find((mount) => mount.source === "./grafana/dashboards");
    expect(dashboardProviders.map((provider) => provider.options.path)).toEqual([dashboardsMount?.target]);
    expect(mounts).toContainEqual({
      source: "./grafana/provisioning",
      target: "/etc/grafana/provisioning",
      readOnly: true,
    });
    expect(readdirSync(repoPath("ops/grafana/dashboards")).filter((file) => file.endsWith(".json"))).toEqual([
      "conduit.json",
    ]);
  });
});

describe("the Conduit dashboard", () => {
  it("has unique panel ids and panels that fit the 24-column grid", () => {
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels)
      expect(panel.gridPos.x + panel.gridPos.w, panel.title).toBeLessThanOrEqual(24);
  });

  it.each([
    ["http_requests_total", /Request rate/],
    ["http_request_duration_seconds_bucket", /Latency/],
    ["nodejs_eventloop_lag_p99_seconds", /Event-loop/],
    ["nodejs_heap_size_used_bytes", /Heap/],
    ["db_pool_connections", /DB pool/],
    ["cache_requests_total", /Cache/],
    ["rate_limit_rejections_total", /Rate-limit/],
  ])("charts %s", (metric, title) => {
    const targets = panelExpressions(title);
    expect(targets.length, String(title)).toBeGreaterThan(0);
    expect(targets.some((target) => target.expr?.includes(metric))).toBe(true);
  });

  it("shows latency p50, p95 and p99 by route from the histogram", () => {
    for (const quantile of ["0.5", "0.95", "0.99"]) {
      expect(expressions).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `histogram_quantile\\(${quantile}, sum by \\(le, route\\) \\(rate\\(http_request_duration_seconds_bucket`,
          ),
        ),
      );
    }
  });

  it("separates pool connections in use from waiting, and cache hits from misses", () => {
    expect(expressions.join("\n")).toMatch(/db_pool_connections\{state="in_use"\}/);
    expect(expressions.join("\n")).toMatch(/db_pool_connections\{state="waiting"\}/);
    expect(expressions.join("\n")).toMatch(/cache_requests_total\{result=~"hit\|miss"\}/);
  });

  it("takes rates of counters, never their raw totals", () => {
    for (const expr of expressions) {
      for (const counter of expr.matchAll(/\b(\w+_total|\w+_bucket)\b/g)) {
        const before = expr.slice(0, counter.index);
        expect(before, expr).toMatch(/rate\($/);
      }
    }
  });

  it("filters by the route variable it declares", () => {
    expect(dashboard.templating?.list.map((variable) => variable.name)).toContain("route");
    const httpExpressions = expressions.filter((expr) => expr.includes("http_request"));
    for (const expr of httpExpressions) expect(expr).toContain('route=~"$route"');
  });
});
