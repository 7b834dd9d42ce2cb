import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { immutableCacheControl, type StaticFile, staticManifestFile } from "../../stack/static-site.ts";
import { getExactly } from "./support/http-requests.ts";
import { fileLog, linesWithId, settle } from "./support/origin-log.ts";
import { nginxServices } from "./support/services.ts";
import { startTestNginx, type TestNginx } from "./support/test-nginx.ts";

const origins = () => nginxServices().origins.map(fileLog);

let nginx: TestNginx;
let manifest: StaticFile[];
beforeAll(async () => {
  const { staticDir } = nginxServices();
  nginx = await startTestNginx({ staticDir });
  manifest = JSON.parse(await readFile(path.join(staticDir, staticManifestFile), "utf8"));
});
afterAll(async () => {
  await nginx?.stop();
});

const fileBytes = (entry: StaticFile) => readFile(path.join(nginxServices().staticDir, entry.file));

describe("the API reference, served by NGINX from the static build", () => {
  it("has the page, one content-hashed script and the OpenAPI document in its manifest", () => {
    expect(manifest.map((entry) => entry.urlPath)).toEqual([
      "/docs",
      expect.stringMatching(/^\/docs\/assets\/scalar-api-reference\.[0-9a-f]{12}\.js$/),
      "/openapi.json",
    ]);
  });

  it("serves every file with the type and cache policy its manifest states, and no worker sees them", async () => {
    const ids: string[] = [];
    for (const entry of manifest) {
      const requestId = `static-${randomUUID()}`;
      ids.push(requestId);
      const response = await getExactly(`${nginx.url}${entry.urlPath}`, { "x-request-id": requestId });
      expect(response.status, entry.urlPath).toBe(200);
      expect(response.headers["content-type"], entry.urlPath).toBe(entry.contentType);
      expect(response.headers["cache-control"], entry.urlPath).toBe(entry.cacheControl);
      expect(response.headers["x-request-id"]).toBe(requestId);
      expect(response.body.equals(await fileBytes(entry)), entry.urlPath).toBe(true);
    }
    await settle(origins());
    for (const requestId of ids) expect(await linesWithId(origins(), requestId)).toEqual([]);
  });

  it("caches the hashed script for a year, immutable, and the page points at exactly that name", async () => {
    const script = manifest.find((entry) => entry.file.endsWith(".js"));
    expect(script?.cacheControl).toBe(immutableCacheControl);
    const page = await getExactly(`${nginx.url}/docs`, {});
    expect(page.body.toString()).toContain(`src="${script?.urlPath}"`);
  });

  it("sends the prebuilt gzip to a client that asks", async () => {
    for (const entry of manifest) {
      const response = await getExactly(`${nginx.url}${entry.urlPath}`, { "accept-encoding": "gzip" });
      expect(response.headers["content-encoding"], entry.urlPath).toBe("gzip");
      expect(gunzipSync(response.body).equals(await fileBytes(entry)), entry.urlPath).toBe(true);
    }
  });

  it("answers a missing asset with a JSON 404 from NGINX rather than asking the origin", async () => {
    const requestId = `missing-${randomUUID()}`;
    const response = await getExactly(`${nginx.url}/docs/assets/scalar-api-reference.000000000000.js`, {
      "x-request-id": requestId,
    });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body.toString())).toEqual({ errors: { route: ["not found"] } });
    await settle(origins());
    expect(await linesWithId(origins(), requestId)).toEqual([]);
  });

  it("is the same document and page the origin serves on its own (npm run origin, without NGINX)", async () => {
    const [origin] = nginxServices().origins;
    const served = await fetch(`${origin?.url}/openapi.json`);
    const built = manifest.find((entry) => entry.urlPath === "/openapi.json");
    expect(built).toBeDefined();
    expect(await served.json()).toEqual(JSON.parse((await fileBytes(built as StaticFile)).toString()));
    const page = await fetch(`${origin?.url}/docs`);
    const builtPage = manifest.find((entry) => entry.urlPath === "/docs");
    expect(await page.text()).toBe((await fileBytes(builtPage as StaticFile)).toString());
  });
});
