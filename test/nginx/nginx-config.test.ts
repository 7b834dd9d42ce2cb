import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { errorCodes } from "../../shared/errors/error-codes.ts";
import { checkNginxConfig } from "../../stack/nginx.ts";
import { renderNginxConfig, sharedConfigDir, upstreamServerParameters } from "../../stack/nginx-config.ts";
import { nginxServices } from "./support/services.ts";

const run = promisify(execFile);
const composeSite = path.join(sharedConfigDir, "..", "conduit.conf.template");

const scratchDir = () => mkdtemp(path.join(nginxServices().root, "config-"));
const includes = (config: string) => [...config.matchAll(/^\s*include (conduit\/[\w.-]+);/gm)].map((match) => match[1]);

/** What the official image's entrypoint does: envsubst of the variables the container defines. */
const envsubst = (template: string, env: Record<string, string>) =>
  template.replaceAll(/\$\{(\w+)\}/g, (text, name: string) => env[name] ?? text);

/** The http block of the official nginx image's /etc/nginx/nginx.conf, which our site lives inside. */
const imageMainConfig = (dir: string) => `
worker_processes auto;
pid ${dir}/nginx.pid;
events { worker_connections 1024; }
http {
    client_body_temp_path ${dir}/client-body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format main '$remote_addr - $remote_user [$time_local] "$request" $status';
    access_log ${dir}/access.log main;
    sendfile on;
    keepalive_timeout 65;
    include ${dir}/conf.d/*.conf;
}
`;

describe("the NGINX config", () => {
  it("is accepted by nginx in every shape the local stack renders", async () => {
    const { staticDir, tls } = nginxServices();
    const shapes = [
      { rateLimit: true },
      { rateLimit: false, staticDir },
      { rateLimit: true, staticDir, tlsPort: 8443, tls, upstreamReadTimeoutSeconds: 1 },
    ];
    for (const shape of shapes) {
      const options = { port: 8080, upstreams: [{ host: "127.0.0.1", port: 3001 }], prefixDir: await scratchDir() };
      await expect(checkNginxConfig({ ...options, ...shape })).resolves.toBeUndefined();
    }
  });

  it("quotes paths, so a directory's name cannot add directives", async () => {
    const options = { port: 8080, upstreams: [{ host: "127.0.0.1", port: 3001 }], rateLimit: true };
    const staticDir = path.join(await scratchDir(), 'x"; return 200 "owned');
    await expect(checkNginxConfig({ ...options, prefixDir: await scratchDir(), staticDir })).resolves.toBeUndefined();
    const escaped = staticDir.replaceAll('"', '\\"');
    expect(renderNginxConfig({ ...options, prefixDir: "/p", staticDir })).toContain(`root "${escaped}";`);
  });

  it("refuses a config nginx rejects, with nginx's own message", async () => {
    const options = { port: 8080, rateLimit: true, prefixDir: await scratchDir() };
    await expect(
      checkNginxConfig({ ...options, upstreams: [{ host: "conduit-no-such-host.invalid", port: 1 }] }),
    ).rejects.toThrow(/nginx rejected its config[\s\S]*host not found/);
  });

  it("the compose site passes nginx -t inside the official image's http block, both limiter settings", async () => {
    for (const rateLimit of ["on", "off"]) {
      const dir = await scratchDir();
      await cp(sharedConfigDir, path.join(dir, "conduit"), { recursive: true });
      await mkdir(path.join(dir, "conf.d"));
      const site = envsubst(await readFile(composeSite, "utf8"), { RATE_LIMIT: rateLimit })
        // The compose service name resolves only on the compose network.
        .replace("server origin:3001", "server 127.0.0.1:3001")
        .replace("/var/log/nginx/", `${dir}/`);
      await writeFile(path.join(dir, "conf.d", "default.conf"), site);
      await writeFile(path.join(dir, "nginx.conf"), imageMainConfig(dir));
      await expect(
        run("nginx", ["-t", "-q", "-p", `${dir}/`, "-c", path.join(dir, "nginx.conf")]),
      ).resolves.toBeDefined();
    }
  });

  it("the compose site and the local site share every include and the upstream server parameters", async () => {
    const compose = await readFile(composeSite, "utf8");
    const local = renderNginxConfig({
      port: 8080,
      upstreams: [{ host: "127.0.0.1", port: 3001 }],
      rateLimit: true,
      prefixDir: "/prefix",
    });
    expect(includes(local)).toEqual(includes(compose));
    expect(compose).toContain(`server origin:3001 ${upstreamServerParameters};`);
    expect(compose).toContain(`map "\${RATE_LIMIT}" $conduit_rate_limit_key {`);
  });

  it("answers NGINX's own errors with the app's bodies wherever the app has the same error", async () => {
    const errorPages = await readFile(path.join(sharedConfigDir, "error-pages.conf"), "utf8");
    const bodies = new Map(
      [...errorPages.matchAll(/return (\d{3}) '(.*)\\n';/g)].map((match) => [
        Number(match[1]),
        JSON.parse(match[2] ?? ""),
      ]),
    );
    expect([...bodies.keys()].sort()).toEqual([400, 404, 405, 413, 429, 500, 502, 503, 504]);
    const sameAsApp = [
      "routeNotFound",
      "methodNotAllowed",
      "bodyTooLarge",
      "rateLimited",
      "internal",
      "originUnavailable",
    ] as const;
    for (const code of sameAsApp) {
      const { status, key, message } = errorCodes[code];
      expect(bodies.get(status), code).toEqual({ errors: { [key]: [message] } });
    }
    for (const body of bodies.values()) {
      expect(Object.values(body.errors).every((messages) => Array.isArray(messages) && messages.length === 1)).toBe(
        true,
      );
    }
  });
});
