import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The local site around the shared NGINX config: the process settings, the upstream list,
 * the listeners and the rate-limit switch. The proxy behaviour itself lives in
 * ops/nginx/conduit/*.conf, which the compose site (ops/nginx/conduit.conf.template)
 * includes too; this file only fills in what differs between the two.
 */
export const sharedConfigDir = fileURLToPath(new URL("../ops/nginx/conduit/", import.meta.url));

/** Where the shared files are copied inside a prefix, and how the site includes them. */
export const sharedConfigSubdir = "conduit";

/** Two failures within 5 s take an instance out for 5 s; the compose site uses the same. */
export const upstreamServerParameters = "max_fails=2 fail_timeout=5s";

export interface NginxUpstream {
  host: string;
  port: number;
}

export interface NginxTls {
  certFile: string;
  keyFile: string;
}

export interface NginxSiteOptions {
  /** Plain HTTP port (the local contract's :8080). */
  port: number;
  /** HTTPS port with HTTP/2 (:8443); needs `tls`. */
  tlsPort?: number;
  tls?: NginxTls;
  /** Address both servers listen on; loopback by default. */
  host?: string;
  /** The origin instances. */
  upstreams: NginxUpstream[];
  /** `false` is RATE_LIMIT=off: the per-IP limiter counts nothing. */
  rateLimit: boolean;
  /** The private directory holding nginx.conf, the pid file, logs and temp files. */
  prefixDir: string;
  /** Output of stack/static-site.ts; NGINX serves /docs, its assets and /openapi.json from it. */
  staticDir?: string;
  /** Tightens the upstream read timeout (35 s in http.conf); the tests use it to provoke a 504. */
  upstreamReadTimeoutSeconds?: number;
  workerProcesses?: number | "auto";
}

export const accessLogPath = (prefixDir: string) => path.join(prefixDir, "logs", "access.log");

const quoted = (value: string) => `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

const indent = (lines: string[], depth: number) => lines.map((line) => (line ? `${"    ".repeat(depth)}${line}` : ""));

const serverBody = (options: NginxSiteOptions): string[] => [
  `access_log ${quoted(accessLogPath(options.prefixDir))} conduit_json;`,
  ...(options.upstreamReadTimeoutSeconds === undefined
    ? []
    : [`proxy_read_timeout ${options.upstreamReadTimeoutSeconds}s;`]),
  ...(options.staticDir === undefined
    ? []
    : [`root ${quoted(options.staticDir)};`, `include ${sharedConfigSubdir}/static.conf;`]),
  `include ${sharedConfigSubdir}/server.conf;`,
];

const tlsServer = (options: NginxSiteOptions, host: string): string[] => {
  if (options.tlsPort === undefined) return [];
  if (!options.tls) throw new Error("nginx: tlsPort needs tls.certFile and tls.keyFile");
  return [
    "",
    "server {",
    // `listen ... http2` is what 1.22 (Debian bookworm) understands; 1.25.1+ prefers
    // `http2 on;` and still accepts this with a deprecation warning.
    `    listen ${host}:${options.tlsPort} ssl http2 default_server;`,
    `    ssl_certificate ${quoted(options.tls.certFile)};`,
    `    ssl_certificate_key ${quoted(options.tls.keyFile)};`,
    `    include ${sharedConfigSubdir}/tls.conf;`,
    ...indent(serverBody(options), 1),
    "}",
  ];
};

/** The complete nginx.conf for a prefix directory holding a copy of the shared files. */
export const renderNginxConfig = (options: NginxSiteOptions): string => {
  if (options.upstreams.length === 0) throw new Error("nginx: at least one upstream is needed");
  const host = options.host ?? "127.0.0.1";
  const temp = (name: string) => quoted(path.join(options.prefixDir, "temp", name));
  const http = [
    `client_body_temp_path ${temp("client-body")};`,
    `proxy_temp_path ${temp("proxy")};`,
    `fastcgi_temp_path ${temp("fastcgi")};`,
    `uwsgi_temp_path ${temp("uwsgi")};`,
    `scgi_temp_path ${temp("scgi")};`,
    "",
    `include ${sharedConfigSubdir}/http.conf;`,
    "",
    `map "${options.rateLimit ? "on" : "off"}" $conduit_rate_limit_key {`,
    `    off "";`,
    "    default $binary_remote_addr;",
    "}",
    "",
    "upstream conduit_origin {",
    ...options.upstreams.map((upstream) => `    server ${upstream.host}:${upstream.port} ${upstreamServerParameters};`),
    `    include ${sharedConfigSubdir}/upstream.conf;`,
    "}",
    "",
    "server {",
    `    listen ${host}:${options.port} default_server;`,
    ...indent(serverBody(options), 1),
    "}",
    ...tlsServer(options, host),
  ];
  return [
    "# Rendered by stack/nginx.ts for the local stack; do not edit (it is rewritten on every start",
    "# and reload). The proxy behaviour is in conduit/, a copy of ops/nginx/conduit/.",
    `worker_processes ${options.workerProcesses ?? "auto"};`,
    `pid ${quoted(path.join(options.prefixDir, "nginx.pid"))};`,
    "error_log stderr warn;",
    "",
    "events {",
    // Each proxied request holds two connections (client and upstream).
    "    worker_connections 4096;",
    "}",
    "",
    "http {",
    ...indent(http, 1),
    "}",
    "",
  ].join("\n");
};
