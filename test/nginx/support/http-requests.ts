import { request } from "node:http";
import { connect } from "node:net";

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const parseResponse = (data: Buffer): RawResponse => {
  const headEnd = data.indexOf("\r\n\r\n");
  const [statusLine = "", ...headerLines] = data.subarray(0, headEnd).toString("latin1").split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body: data.subarray(headEnd + 4) };
};

/**
 * Bytes no HTTP client library would send (a broken request line, a broken header), over a
 * bare socket; NGINX answers such requests and closes the connection.
 */
export const sendRawRequest = (port: number, bytes: string | Buffer, timeoutMs = 5_000): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error("no response before the timeout")));
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("end", () => resolve(parseResponse(Buffer.concat(chunks))));
    socket.end(bytes);
  });

/** A GET with exactly the headers given (fetch would add Accept-Encoding and decode gzip). */
export const getExactly = (url: string, headers: Record<string, string>): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const req = request(url, { headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, String(value)])),
          body: Buffer.concat(chunks),
        }),
      );
      response.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
