import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env.ts";

export const openApiPath = "/openapi.json";

/** Serves the OpenAPI 3.1 document generated from the route contracts. */
export const mountOpenApiDocument = (app: OpenAPIHono<AppEnv>) => {
  app.openAPIRegistry.registerComponent("securitySchemes", "Token", {
    type: "apiKey",
    in: "header",
    name: "Authorization",
    description: "`Token <jwt>`, the token from registration or login.",
  });
  app.doc31(openApiPath, {
    openapi: "3.1.0",
    info: {
      title: "Conduit API",
      version: "2.0.0",
      description: "The RealWorld (Conduit) API, spec v2.0, as served by Conduit Hybrid.",
      license: { name: "MIT", url: "https://opensource.org/licenses/MIT" },
    },
    servers: [{ url: "/" }],
  });
};
