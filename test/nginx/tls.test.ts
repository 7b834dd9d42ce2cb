import { execFile } from "node:child_process";
import { mkdtemp, readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../stack/free-port.ts";
import { ensureLocalCertificates, trustInstructions } from "../../stack/local-ca.ts";
import { sendRawRequest } from "./support/http-requests.ts";
import { nginxServices } from "./support/services.ts";
import { startTestNginx, type TestNginx } from "./support/test-nginx.ts";

const run = promisify(execFile);

let nginx: TestNginx;
beforeAll(async () => {
  nginx = await startTestNginx({ tlsPort: await freePort(), tls: nginxServices().tls });
});
afterAll(async () => {
  await nginx?.stop();
});

interface CurlResult {
  httpVersion: string;
  status: number;
  headers: string;
}

/** curl prints the response headers (-D -) and, last, the protocol version and status it used. */
const curl = async (args: string[]): Promise<CurlResult> => {
  const { stdout } = await run("curl", [
    "-sS",
    "-o",
    "/dev/null",
    "-D",
    "-",
    "-w",
    "%{http_version} %{http_code}",
    ...args,
  ]);
  const lastLine = stdout.trimEnd().split("\n").at(-1) ?? "";
  const [httpVersion = "", status = ""] = lastLine.split(" ");
  return { httpVersion, status: Number(status), headers: stdout.toLowerCase().replaceAll("\r\n", "\n") };
};

describe("TLS and HTTP/2 at NGINX", () => {
  it("serves HTTP/2 over TLS to a client that trusts the local CA, with HSTS", async () => {
    const result = await curl(["--http2", "--cacert", nginxServices().tls.caFile, `${nginx.tlsUrl}/healthz`]);
    expect(result).toMatchObject({ httpVersion: "2", status: 200 });
    // Exactly one: NGINX's, not the app's beside it.
    expect(result.headers.match(/^strict-transport-security: .*$/gm)).toEqual([
      "strict-transport-security: max-age=31536000",
    ]);
  });

  it("serves HTTP/1.1 over TLS 1.2 too, and the certificate is valid for 127.0.0.1", async () => {
    const url = `https://127.0.0.1:${nginx.tlsPort}/healthz`;
    const result = await curl([
      "--http1.1",
      "--tlsv1.2",
      "--tls-max",
      "1.2",
      "--cacert",
      nginxServices().tls.caFile,
      url,
    ]);
    expect(result).toMatchObject({ httpVersion: "1.1", status: 200 });
    expect(result.headers).toContain("strict-transport-security:");
  });

  it("is refused by a client that does not trust the local CA", async () => {
    await expect(curl(["--http2", `${nginx.tlsUrl}/healthz`])).rejects.toThrow(/certificate/i);
  });

  it("keeps plain HTTP/1.1 on the plain port, without HSTS", async () => {
    const result = await curl(["--http1.1", `${nginx.url}/healthz`]);
    expect(result).toMatchObject({ httpVersion: "1.1", status: 200 });
    expect(result.headers).not.toContain("strict-transport-security");
  });

  it("answers plain HTTP sent to the TLS port with the JSON 400", async () => {
    const response = await sendRawRequest(nginx.tlsPort ?? 0, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body.toString())).toEqual({ errors: { request: ["is malformed"] } });
  });
});

describe("the local CA", () => {
  it("is made once: a second call keeps the CA and the certificate", async () => {
    const dir = await mkdtemp(path.join(nginxServices().root, "ca-"));
    const first = await ensureLocalCertificates(dir);
    const firstBytes = await Promise.all([readFile(first.caFile), readFile(first.certFile)]);
    const second = await ensureLocalCertificates(dir);
    expect(await Promise.all([readFile(second.caFile), readFile(second.certFile)])).toEqual(firstBytes);
    await expect(run("openssl", ["verify", "-CAfile", second.caFile, second.certFile])).resolves.toBeDefined();
  });

  it("signs only for loopback names: the CA is name-constrained", async () => {
    const { stdout } = await run("openssl", ["x509", "-noout", "-text", "-in", nginxServices().tls.caFile]);
    expect(stdout).toMatch(/Name Constraints: critical\s+Permitted:\s+DNS:localhost\s+IP:127\.0\.0\.0\/255\.0\.0\.0/);
  });

  it("comes with instructions naming its file", () => {
    const text = trustInstructions("/x/ca.crt", "https://localhost:8443");
    expect(text).toContain("curl --cacert /x/ca.crt https://localhost:8443/healthz");
    expect(text).toContain("NODE_EXTRA_CA_CERTS=/x/ca.crt");
  });
});
