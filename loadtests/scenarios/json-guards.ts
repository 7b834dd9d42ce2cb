import type { RequestSpec, ResponseLike } from "./request-spec.ts";

/**
 * Just enough response checking for set-up flows: a load test that silently ran
 * against an empty or broken API would report meaningless numbers.
 */
export const expectStatus = (request: RequestSpec, response: ResponseLike, expected: readonly number[]): void => {
  if (!expected.includes(response.status)) {
    const body = response.body.length > 300 ? `${response.body.slice(0, 300)}…` : response.body;
    throw new Error(
      `${request.method} ${request.path}: expected ${expected.join(" or ")}, got ${response.status} ${body}`,
    );
  }
};

export const parseObject = (request: RequestSpec, response: ResponseLike): Record<string, unknown> => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    throw new Error(`${request.method} ${request.path}: response is not JSON`);
  }
  if (typeof parsed !== "object" || parsed === null)
    throw new Error(`${request.method} ${request.path}: not an object`);
  return parsed as Record<string, unknown>;
};

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

export const stringsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
