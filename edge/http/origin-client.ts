/**
 * The edge's requests to the origin (NGINX, or one instance). A forwarded request keeps its
 * method, body and headers; a cache fill sends none of the client's headers, so what is
 * stored cannot depend on them. Both say who the client is and which request this is.
 */
export interface RequestFacts {
  requestId: string;
  /** The client's address as the runtime reports it; `undefined` when it cannot tell. */
  clientAddress: string | undefined;
  /** The scheme the client used to reach the edge. */
  scheme: string;
}

export interface OriginClient {
  /** Resolves with the origin's answer; rejects only when no answer came (down, refused, timed out). */
  forward: (request: Request, facts: RequestFacts) => Promise<Response>;
  read: (pathAndQuery: string, facts: RequestFacts) => Promise<Response>;
}

export interface OriginClientOptions {
  originUrl: string;
  timeoutMs: number;
}

/** Headers of one connection or one transfer, never passed along (RFC 9110 §7.6.1). */
const hopByHop = ["connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"];

/** `Via` tells NGINX it talks to a proxy: it compresses for us too (ops/nginx/conduit/server.conf). */
const via = "1.1 conduit-edge";

const withIdentity = (headers: Headers, facts: RequestFacts) => {
  const forwardedFor = headers.get("x-forwarded-for");
  if (facts.clientAddress !== undefined) {
    headers.set("x-forwarded-for", forwardedFor ? `${forwardedFor}, ${facts.clientAddress}` : facts.clientAddress);
  }
  headers.set("x-forwarded-proto", facts.scheme);
  headers.set("x-request-id", facts.requestId);
  const previousVia = headers.get("via");
  headers.set("via", previousVia ? `${previousVia}, ${via}` : via);
  return headers;
};

/**
 * The origin's answer with headers the edge may change, and only those that still hold:
 * the runtimes' fetch decodes gzip and br but keeps Content-Encoding and Content-Length, and
 * the body passed on is the decoded one. A plain body keeps its length (clients that frame
 * by it, and a keep-alive connection after an error, depend on it).
 */
export const passOn = (response: Response): Response => {
  const headers = new Headers(response.headers);
  for (const name of hopByHop) headers.delete(name);
  if (headers.has("content-encoding")) {
    headers.delete("content-encoding");
    headers.delete("content-length");
  }
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
};

export const createOriginClient = ({ originUrl, timeoutMs }: OriginClientOptions): OriginClient => ({
  forward: (request, facts) => {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    for (const name of [...hopByHop, "host"]) headers.delete(name);
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    const init: RequestInit & { duplex?: "half" } = {
      method: request.method,
      headers: withIdentity(headers, facts),
      body: hasBody ? request.body : null,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      // A streamed request body needs it on Deno (and in the Fetch standard); Workers ignore it.
      ...(hasBody ? { duplex: "half" } : {}),
    };
    return fetch(`${originUrl}${url.pathname}${url.search}`, init);
  },
  read: (pathAndQuery, facts) =>
    fetch(`${originUrl}${pathAndQuery}`, {
      headers: withIdentity(new Headers({ accept: "application/json" }), facts),
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    }),
});
