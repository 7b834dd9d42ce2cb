import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import type { AppEnv } from "../../shared/app/app-env.ts";
import { openApiPath } from "../../shared/app/openapi-document.ts";

const require = createRequire(import.meta.url);

/**
 * The interactive reference at `/docs`. Its script is served from our own dependency, not a
 * CDN, so the page works offline; the content hash in its name makes it safe to cache forever.
 */
export const mountApiReference = (app: OpenAPIHono<AppEnv>) => {
  const script = readFileSync(require.resolve("@scalar/api-reference/browser/standalone.js"));
  const contentHash = createHash("sha256").update(script).digest("hex").slice(0, 12);
  const scriptPath = `/docs/assets/scalar-api-reference.${contentHash}.js`;
  app.get(scriptPath, (c) =>
    c.body(script, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
    }),
  );
  app.get("/docs", Scalar({ url: openApiPath, cdn: scriptPath, pageTitle: "Conduit API reference" }));
};
