import type { z } from "@hono/zod-openapi";
import { errorResponse } from "../schemas/error.schemas.ts";

const errorResponseFor = (description: string) => ({
  description,
  content: { "application/json": { schema: errorResponse } },
});

const errorResponsesByStatus = {
  401: errorResponseFor("Missing, malformed, expired or tampered token; or wrong credentials"),
  403: errorResponseFor("The resource belongs to another user"),
  404: errorResponseFor("The resource does not exist"),
  409: errorResponseFor("Username or email already taken"),
  422: errorResponseFor("Validation failed; errors are keyed by field"),
};

type ErrorStatus = keyof typeof errorResponsesByStatus;

/** The documented error responses of a route, in the spec's error shape. */
export const errorResponses = <S extends ErrorStatus>(...statuses: S[]): Pick<typeof errorResponsesByStatus, S> =>
  Object.fromEntries(statuses.map((status) => [status, errorResponsesByStatus[status]])) as Pick<
    typeof errorResponsesByStatus,
    S
  >;

export const jsonResponse = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const tokenSecurity = [{ Token: [] }];
