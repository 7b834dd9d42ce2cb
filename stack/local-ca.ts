import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

/**
 * A local certificate authority and a server certificate for localhost and 127.0.0.1, made
 * with Debian's `openssl` once and kept (the start command keeps them in .data/tls/, which
 * git ignores). The CA is name-constrained to loopback names, so trusting it cannot make
 * a browser accept a certificate it signs for any other site, even if its key leaks.
 */
export interface LocalCertificates {
  caFile: string;
  certFile: string;
  keyFile: string;
}

export const opensslDebianPackage = "openssl";

/** The names the server certificate is valid for. */
export const serverNames = ["localhost", "127.0.0.1", "::1"];

const run = promisify(execFile);

const caDays = 3650;
/** Apple's platforms refuse server certificates valid longer than 825 days, private CAs included. */
const serverDays = 825;
/** Renewed when it would expire within 30 days, so a kept certificate never lapses mid-use. */
const renewBeforeSeconds = 30 * 24 * 3600;

const opensslConfig = `
[req]
distinguished_name = subject
prompt = no

[subject]

[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
nameConstraints = critical, permitted;DNS:localhost, permitted;IP:127.0.0.0/255.0.0.0, permitted;IP:0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF

[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

const openssl = async (args: string[]) => {
  try {
    await run("openssl", args);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error(`openssl is not installed: install the Debian package, apt-get install ${opensslDebianPackage}`);
    }
    throw new Error(`openssl ${args[0]} failed: ${(error as { stderr?: string }).stderr ?? error}`);
  }
};

const succeeds = async (args: string[]) => {
  try {
    await run("openssl", args);
    return true;
  } catch {
    return false;
  }
};

const stillValid = (certFile: string) =>
  existsSync(certFile) && succeeds(["x509", "-noout", "-checkend", String(renewBeforeSeconds), "-in", certFile]);

/** P-256 ECDSA keys: as strong as RSA-3072 for far cheaper handshakes. */
const newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

const makeCa = async (dir: string, files: LocalCertificates, caKey: string, config: string) => {
  await openssl([
    "req",
    "-x509",
    ...newKey,
    "-keyout",
    caKey,
    "-out",
    files.caFile,
    "-days",
    String(caDays),
    "-sha256",
    "-subj",
    "/CN=Conduit Hybrid local CA",
    "-config",
    config,
    "-extensions",
    "ca",
  ]);
  // A new CA invalidates every certificate the old one signed.
  await rm(files.certFile, { force: true });
  await rm(path.join(dir, "ca.srl"), { force: true });
};

const makeServerCertificate = async (dir: string, files: LocalCertificates, caKey: string, config: string) => {
  const request = path.join(dir, "server.csr");
  await openssl([
    "req",
    "-new",
    ...newKey,
    "-keyout",
    files.keyFile,
    "-out",
    request,
    "-subj",
    "/CN=localhost",
    "-config",
    config,
  ]);
  await openssl([
    "x509",
    "-req",
    "-in",
    request,
    "-CA",
    files.caFile,
    "-CAkey",
    caKey,
    "-CAserial",
    path.join(dir, "ca.srl"),
    "-CAcreateserial",
    "-days",
    String(serverDays),
    "-sha256",
    "-extfile",
    config,
    "-extensions",
    "server",
    "-out",
    files.certFile,
  ]);
  await rm(request, { force: true });
};

/** Makes what is missing, expiring or no longer signed by the CA in `dir`; keeps the rest. */
export const ensureLocalCertificates = async (dir: string): Promise<LocalCertificates> => {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files = {
    caFile: path.join(dir, "ca.crt"),
    certFile: path.join(dir, "server.crt"),
    keyFile: path.join(dir, "server.key"),
  };
  const caKey = path.join(dir, "ca.key");
  const config = path.join(dir, "openssl.cnf");
  await writeFile(config, opensslConfig);
  if (!existsSync(caKey) || !(await stillValid(files.caFile))) await makeCa(dir, files, caKey, config);
  const serverValid =
    existsSync(files.keyFile) &&
    (await stillValid(files.certFile)) &&
    (await succeeds(["verify", "-CAfile", files.caFile, files.certFile]));
  if (!serverValid) await makeServerCertificate(dir, files, caKey, config);
  await chmod(caKey, 0o600);
  await chmod(files.keyFile, 0o600);
  return files;
};

/** What the start command prints: how to make browsers, curl and Node trust the local CA. */
export const trustInstructions = (caFile: string, httpsUrl: string): string =>
  [
    `HTTPS with HTTP/2 at ${httpsUrl}, signed by a local CA (valid for localhost and 127.0.0.1 only): ${caFile}`,
    "To trust it:",
    `  curl            curl --cacert ${caFile} ${httpsUrl}/healthz`,
    `  Node            NODE_EXTRA_CA_CERTS=${caFile} node ...`,
    `  Debian/Ubuntu   sudo cp ${caFile} /usr/local/share/ca-certificates/conduit-hybrid-local-ca.crt && sudo update-ca-certificates`,
    `  Chrome (Linux)  certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n conduit-hybrid-local-ca -i ${caFile}`,
    "  Firefox         Settings > Privacy & Security > Certificates > View Certificates > Authorities > Import",
    `  macOS           sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${caFile}`,
    "HTTPS answers carry HSTS: a browser then insists on HTTPS for localhost on every port (not for 127.0.0.1).",
  ].join("\n");
