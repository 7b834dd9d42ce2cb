import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import type { AppEnv } from "../../shared/app/app-env.ts";
import { openApiPath } from "../../shared/app/openapi-document.ts";

const require = createRequire(import.meta.url);

export const apiReferencePagePath = "/docs";

export interface ApiReferenceScript {
  /** `/docs/assets/scalar-api-reference.<content hash>.js` */
  path: string;
  body: Uint8Array<ArrayBuffer>;
}

/**
 * Scalar's script from our own dependency, not a CDN, so the page works offline; the
 * content hash in its name makes it safe to cache forever.
 */
export const apiReferenceScript = (): ApiReferenceScript => {
  const body = new Uint8Array(readFileSync(require.resolve("@scalar/api-reference/browser/standalone.js")));
  const contentHash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  return { path: `/docs/assets/scalar-api-reference.${contentHash}.js`, body };
};

/**
 * The interactive reference at `/docs`, for an origin that runs without NGINX (`npm run
 * origin`). Behind NGINX these paths never reach a worker: stack/static-site.ts writes what
 * these routes answer to files, and NGINX (later the edge) serves them.
 */
export const mountApiReference = (app: OpenAPIHono<AppEnv>) => {
  const script = apiReferenceScript();
  app.get(script.path, (c) =>
    c.body(script.body, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
    }),
  );
  app.get(apiReferencePagePath, Scalar({ url: openApiPath, cdn: script.path, pageTitle: "Conduit API reference" }));
};
