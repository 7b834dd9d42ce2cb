import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { AppError } from "./app-error.ts";

/** Maps framework exceptions (body parsing, media type, size limit) onto our closed list. */
const fromHttpException = (error: HTTPException): AppError => {
  switch (error.status) {
    case 400:
      return new AppError("bodyMalformed");
    case 413:
      return new AppError("bodyTooLarge");
    case 415:
      return new AppError("mediaTypeUnsupported");
    case 401:
      return new AppError("tokenInvalid");
    case 404:
      return new AppError("routeNotFound");
    default:
      return new AppError("internal");
  }
};

export const toAppError = (error: unknown): AppError | undefined => {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) return fromHttpException(error);
  return undefined;
};

/**
 * The one place an error becomes a response. Unexpected errors are reported through
 * `onUnexpected` (the tier logs them with the request id) and answered generically.
 */
export const renderError = (
  error: unknown,
  c: Context,
  onUnexpected: (error: unknown, c: Context) => void,
): Response => {
  let appError = toAppError(error);
  if (!appError || appError.code === "internal") {
    onUnexpected(error, c);
    appError = new AppError("internal");
  }
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (appError.retryAfterSeconds !== undefined) {
    headers["retry-after"] = String(appError.retryAfterSeconds);
  }
  return c.json(appError.toBody(), appError.status as 400, headers);
};
