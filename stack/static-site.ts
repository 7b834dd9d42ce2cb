import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { constants, gzip } from "node:zlib";
import { OpenAPIHono, type RouteConfig } from "@hono/zod-openapi";
import { apiReferencePagePath, apiReferenceScript, mountApiReference } from "../origin/http/api-reference.ts";
import type { AppEnv } from "../shared/app/app-env.ts";
import { mountOpenApiDocument, openApiPath } from "../shared/app/openapi-document.ts";
import { routeTable } from "../shared/routes/route-table.ts";

/**
 * The API reference as static files, so no Node worker serves it on the hot path: what the
 * origin answers on /docs, its content-hashed script and /openapi.json, written with a
 * gzipped copy of each and a manifest.json of URL, file, type and cache policy. NGINX
 * serves the directory (ops/nginx/conduit/static.conf); the edge can serve it from the
 * manifest alone.
 */
export interface StaticFile {
  /** The path clients request. */
  urlPath: string;
  /** Relative to the site's directory; `<file>.gz` lies beside it. */
  file: string;
  contentType: string;
  cacheControl: string;
}

export interface StaticSite {
  dir: string;
  files: StaticFile[];
}

export const staticManifestFile = "manifest.json";

/** Hashed names change with their content, so a client may keep them for a year. */
export const immutableCacheControl = "public, max-age=31536000, immutable";
/** Stable names: a client may store them but must revalidate (ETag) before each use. */
export const revalidateCacheControl = "no-cache";

const gzipBest = promisify(gzip);

/**
 * The documentation routes as the origin mounts them, over the route table's OpenAPI
 * definitions, registered the way @hono/zod-openapi's `app.openapi` registers them. No
 * handlers and no dependencies: the build needs neither a database nor Redis.
 * test/nginx checks that the result equals the running origin's /openapi.json.
 */
const documentationApp = () => {
  const app = new OpenAPIHono<AppEnv>();
  for (const contract of Object.values(routeTable)) {
    const { middleware, hide, ...route }: RouteConfig = contract.route;
    if (!hide) app.openAPIRegistry.registerPath(route);
  }
  mountOpenApiDocument(app);
  mountApiReference(app);
  return app;
};

const siteFiles = (): StaticFile[] => {
  const script = apiReferenceScript();
  return [
    {
      urlPath: apiReferencePagePath,
      file: "docs/index.html",
      contentType: "text/html; charset=utf-8",
      cacheControl: revalidateCacheControl,
    },
    {
      urlPath: script.path,
      file: script.path.slice(1),
      contentType: "text/javascript; charset=utf-8",
      cacheControl: immutableCacheControl,
    },
    {
      urlPath: openApiPath,
      file: "openapi.json",
      contentType: "application/json; charset=utf-8",
      cacheControl: revalidateCacheControl,
    },
  ];
};

/** Replaces `dir` with a fresh build (old hashed names go with it). */
export const buildStaticSite = async (dir: string): Promise<StaticSite> => {
  const files = siteFiles();
  const app = documentationApp();
  await rm(dir, { recursive: true, force: true });
  for (const entry of files) {
    const response = await app.request(entry.urlPath);
    if (!response.ok) throw new Error(`static build: ${entry.urlPath} answered ${response.status}`);
    const body = Buffer.from(await response.arrayBuffer());
    const target = path.join(dir, entry.file);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, body);
    await writeFile(`${target}.gz`, await gzipBest(body, { level: constants.Z_BEST_COMPRESSION }));
  }
  await writeFile(path.join(dir, staticManifestFile), `${JSON.stringify(files, null, 2)}\n`);
  return { dir, files };
};
