import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { listeningInodes, pidsListeningOn } from "./listening-pids.ts";

describe("listeningInodes", () => {
  it("picks the listening sockets on a port out of /proc/net/tcp", () => {
    const table = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1",
      "   1: 0100007F:1F90 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 5678 1",
    ].join("\n");
    expect(listeningInodes(table, 8080)).toEqual(["1234"]);
  });
});

describe("pidsListeningOn", () => {
  it("finds the process holding a listening socket", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    try {
      expect(await pidsListeningOn(typeof address === "object" && address ? address.port : 0)).toEqual([process.pid]);
    } finally {
      server.close();
    }
  });
});
