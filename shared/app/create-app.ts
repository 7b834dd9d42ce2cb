import { OpenAPIHono, type RouteConfig, type RouteHandler } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { TokenService } from "../auth/token.ts";
import { AppError, validationError } from "../errors/app-error.ts";
import { type ErrorReporting, renderError } from "../errors/render-error.ts";
import type { RouteContract } from "../routes/route-contract.ts";
import { type RouteName, routeTable } from "../routes/route-table.ts";
import { fieldErrorsFromIssues } from "../schemas/field-errors.ts";
import type { AppEnv, RouteHandlers } from "./app-env.ts";
import { authMiddleware } from "./auth-middleware.ts";
import { cacheHeadersMiddleware } from "./cache-headers-middleware.ts";

export interface AppDependencies {
  handlers: RouteHandlers;
  tokens: TokenService;
  bodyLimitBytes: number;
  /** `["*"]` allows any origin; tokens travel in a header, not cookies, so that is safe. */
  corsOrigins: readonly string[];
  /** Runs before a write's response leaves: the tier drops what it cached under these tags. */
  onPurge: (tags: string[]) => Promise<void>;
  errors: ErrorReporting<Context<AppEnv>>;
  /** The tier's own middleware (logging, metrics), run for every request before routing. */
  middleware: MiddlewareHandler<AppEnv>[];
  /**
   * The tier's middleware for one route, run after the route's auth rule (so it knows the
   * user) and before its cache headers are written (so a response it returns gets none).
   */
  routeMiddleware?: (name: RouteName, contract: RouteContract) => MiddlewareHandler<AppEnv>[];
}

/**
 * Builds the Conduit API from the route table and one tier's handlers. Nothing listens or
 * connects here: the origin and the edge each call it with their own dependencies.
 */
export const createApp = (deps: AppDependencies): OpenAPIHono<AppEnv> => {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(fieldErrorsFromIssues(result.error.issues));
    },
  });

  // Kept from NGINX or a client when short and plain, generated otherwise.
  app.use(requestId({ headerName: "x-request-id", limitLength: 128 }));
  app.use(async (c, next) => {
    await next();
    // The spec promises the charset on every JSON response.
    if (c.res.headers.get("content-type") === "application/json") {
      c.res.headers.set("content-type", "application/json; charset=utf-8");
    }
  });
  for (const handler of deps.middleware) app.use(handler);
  // HSTS belongs to whoever terminates TLS (NGINX, the CDN) and only on HTTPS responses:
  // sent over plain HTTP, as the app would, it pins every port of a host to HTTPS.
  app.use(secureHeaders({ strictTransportSecurity: false }));
  app.use(
    "/api/*",
    cors({ origin: deps.corsOrigins.includes("*") ? "*" : [...deps.corsOrigins], exposeHeaders: ["x-request-id"] }),
  );
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: deps.bodyLimitBytes,
      onError: () => {
        throw new AppError("bodyTooLarge");
      },
    }),
  );

  for (const name of Object.keys(routeTable) as RouteName[]) {
    // RouteHandlers is keyed by the same names as routeTable, so each handler matches its
    // route; TypeScript cannot follow that correlation through a loop, hence the widening.
    const handler = deps.handlers[name] as unknown as RouteHandler<RouteConfig, AppEnv>;
    registerRoute(app, name, routeTable[name], handler, deps);
  }

  app.notFound((c) => renderError(new AppError("routeNotFound"), c, deps.errors));
  app.onError((error, c) => renderError(error, c, deps.errors));
  return app;
};

const registerRoute = (
  app: OpenAPIHono<AppEnv>,
  name: RouteName,
  contract: RouteContract,
  handler: RouteHandler<RouteConfig, AppEnv>,
  deps: AppDependencies,
) => {
  const middleware = [
    authMiddleware(contract.auth, deps.tokens),
    ...(deps.routeMiddleware?.(name, contract) ?? []),
    cacheHeadersMiddleware(contract.cache, deps.onPurge),
  ];
  app.openapi({ ...contract.route, middleware }, handler);
};
