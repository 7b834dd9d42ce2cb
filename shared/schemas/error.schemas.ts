import { z } from "@hono/zod-openapi";

export const errorResponse = z
  .object({ errors: z.record(z.string(), z.array(z.string())) })
  .openapi("GenericErrorModel", { example: { errors: { title: ["can't be blank"] } } });
