import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Logger } from "pino";
import type { AppEnv } from "../../shared/app/app-env.ts";
import { createApp } from "../../shared/app/create-app.ts";
import { mountOpenApiDocument } from "../../shared/app/openapi-document.ts";
import type { TokenService } from "../../shared/auth/token.ts";
import { AppError } from "../../shared/errors/app-error.ts";
import { knownUserTokens } from "../auth/known-user-tokens.ts";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import { isDatabaseUnavailable } from "../db/postgres-errors.ts";
import { mountApiReference } from "../http/api-reference.ts";
import { mountHealthRoutes } from "../http/health-routes.ts";
import { requestLog } from "../http/request-log.ts";
import { createArticleHandlers } from "../routes/articles/articles.handlers.ts";
import { createCommentHandlers } from "../routes/comments/comments.handlers.ts";
import { createFavoriteHandlers } from "../routes/favorites/favorites.handlers.ts";
import { createProfileHandlers } from "../routes/profiles/profiles.handlers.ts";
import { createTagHandlers } from "../routes/tags/tags.handlers.ts";
import { createUserHandlers } from "../routes/users/users.handlers.ts";

export interface OriginAppDeps {
  config: Config;
  database: Database;
  tokens: TokenService;
  logger: Logger;
}

/** Seconds a client should wait before retrying when Postgres is down. */
const databaseRetryAfterSeconds = 5;

/** The origin tier's app: the shared API with Postgres-backed handlers, health and docs. */
export const createOriginApp = ({ config, database, tokens, logger }: OriginAppDeps): OpenAPIHono<AppEnv> => {
  const deps = { db: database.db, tokens };
  const requestTokens = knownUserTokens(tokens, database.db);
  const app = createApp({
    handlers: {
      ...createUserHandlers(deps),
      ...createProfileHandlers(deps),
      ...createArticleHandlers(deps),
      ...createFavoriteHandlers(deps),
      ...createCommentHandlers(deps),
      ...createTagHandlers(deps),
    },
    tokens: requestTokens,
    bodyLimitBytes: config.http.bodyLimitBytes,
    corsOrigins: config.http.corsOrigins,
    // The origin holds no response cache of its own yet; shared caches read the headers.
    onPurge: async () => {},
    middleware: [requestLog(logger)],
    errors: {
      translate: (error) =>
        isDatabaseUnavailable(error)
          ? new AppError("databaseUnavailable", { retryAfterSeconds: databaseRetryAfterSeconds })
          : undefined,
      onUnexpected: (error, c) =>
        logger.error(
          { err: error, requestId: c.get("requestId"), method: c.req.method, path: c.req.path },
          "unexpected error",
        ),
    },
  });
  mountHealthRoutes(app, database);
  mountOpenApiDocument(app);
  mountApiReference(app);
  return app;
};
