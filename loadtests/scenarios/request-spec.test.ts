import { describe, expect, it } from "vitest";
import { type RequestSpec, type ResponseLike, retrying, retryingSync, setupRetries } from "./request-spec.ts";

const get: RequestSpec = { name: "listTags", route: "listTags", method: "GET", path: "/api/tags", headers: {} };
const post: RequestSpec = { ...get, name: "register", route: "register", method: "POST", path: "/api/users" };

/** Answers the given statuses in turn, the last one from then on, counting sends. */
const answering = (...statuses: number[]) => {
  const sent: string[] = [];
  const send = (request: RequestSpec): ResponseLike => {
    sent.push(request.method);
    return { status: statuses[Math.min(sent.length - 1, statuses.length - 1)] ?? 200, body: "" };
  };
  return { send, sent };
};

describe("set-up requests", () => {
  it("are sent again after a 503, with a pause between, until they succeed", () => {
    const { send, sent } = answering(503, 503, 200);
    const pauses: number[] = [];
    expect(retryingSync(send, (seconds) => pauses.push(seconds))(get).status).toBe(200);
    expect([sent.length, pauses]).toEqual([3, [1, 1]]);
  });

  it("give up after the last attempt and return its answer", async () => {
    const { send, sent } = answering(503);
    const response = await retrying(
      async (request) => send(request),
      async () => {},
    )(post);
    expect([response.status, sent.length]).toEqual([503, setupRetries.attempts]);
  });

  it("are not sent again for any other failure", () => {
    const { send, sent } = answering(404);
    expect(retryingSync(send, () => {})(get).status).toBe(404);
    expect(sent).toHaveLength(1);
  });

  it("repeat an unanswered read, never an unanswered write, which may have been applied", () => {
    const read = answering(0, 200);
    expect(retryingSync(read.send, () => {})(get).status).toBe(200);
    const write = answering(0, 201);
    expect(retryingSync(write.send, () => {})(post).status).toBe(0);
    expect(write.sent).toHaveLength(1);
  });
});
