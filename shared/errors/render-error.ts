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

export interface ErrorReporting<C extends Context> {
  /** Recognises a tier's own expected failures, such as its database being down. */
  translate: (error: unknown) => AppError | undefined;
  /** Logs an unexpected error with the request id; the client only sees a generic 500. */
  onUnexpected: (error: unknown, c: C) => void;
}

/** The one place an error becomes a response. */
export const renderError = <C extends Context>(error: unknown, c: C, reporting: ErrorReporting<C>): Response => {
  let appError = toAppError(error) ?? reporting.translate(error);
  if (!appError || appError.code === "internal") {
    reporting.onUnexpected(error, c);
    appError = new AppError("internal");
  }
  const headers: Record<string, string> = { "cache-control": "no-store" };
  if (appError.retryAfterSeconds !== undefined) {
    headers["retry-after"] = String(appError.retryAfterSeconds);
  }
  return c.json(appError.toBody(), appError.status as 400, headers);
};
