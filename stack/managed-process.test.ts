import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "./free-port.ts";
import { type ManagedProcess, startProcess, waitForHttp } from "./managed-process.ts";

/** A server that reports each request's Connection header and each socket's close. */
const serverScript = (port: number, status: number) => `
  const server = require("node:http").createServer((request, response) => {
    console.log("connection: " + request.headers.connection);
    response.writeHead(${status}).end("{}");
  });
  server.keepAliveTimeout = 60_000;
  server.on("connection", (socket) => socket.on("close", () => console.log("socket closed")));
  server.listen(${port}, "127.0.0.1");
`;

let server: ManagedProcess | undefined;
afterEach(async () => {
  await server?.stop();
});

const startServer = async (status: number) => {
  const port = await freePort();
  const lines: string[] = [];
  let onLine = () => {};
  server = startProcess({
    name: "server",
    command: process.execPath,
    args: ["-e", serverScript(port, status)],
    output: (line) => {
      lines.push(line);
      onLine();
    },
  });
  const until = (wanted: (seen: string[]) => boolean) =>
    new Promise<void>((resolve) => {
      onLine = () => wanted(lines) && resolve();
      onLine();
    });
  return { url: `http://127.0.0.1:${port}/readyz`, lines, until, process: server };
};

describe("waitForHttp", () => {
  it("leaves no idle connection behind on the server it waited for", async () => {
    const probed = await startServer(200);
    await waitForHttp(probed.url, probed.process, 10_000);
    // A kept-alive probe socket would stay open for the server's 60 s keep-alive, past the test's timeout.
    await probed.until((seen) => seen.includes("socket closed"));
    expect(probed.lines.filter((line) => line.startsWith("connection:"))).toEqual(["connection: close"]);
  });

  it("keeps waiting while the server answers non-2xx, and says so at its deadline", async () => {
    const probed = await startServer(503);
    await expect(waitForHttp(probed.url, probed.process, 1_500)).rejects.toThrow("did not answer within 1500 ms");
    expect(probed.lines.filter((line) => line.startsWith("connection:")).length).toBeGreaterThan(1);
  });

  it("gives up at once when the process exits before answering", async () => {
    server = startProcess({
      name: "server",
      command: process.execPath,
      args: ["-e", "process.exit(3)"],
      output: "ignore",
    });
    await expect(waitForHttp("http://127.0.0.1:9/readyz", server, 10_000)).rejects.toThrow("exited (code 3)");
  });
});
