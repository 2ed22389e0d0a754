/**
 * A stand-in for the two calls of HashiCorp Vault's transit engine that Pulumi's `hashivault://`
 * secrets provider makes (`POST /v1/transit/encrypt/<key>` and `…/decrypt/<key>`), served in the test
 * process, so that test stacks encrypt their secrets without the default passphrase provider's cost:
 * that provider derives its key with 1,000,000 PBKDF2-SHA256 iterations in every `pulumi` command,
 * about 0.2 CPU-s each, and a test run makes hundreds of commands.
 *
 * Pulumi's `hashivault` provider asks Vault once per command to decrypt the stack's data key (kept
 * in `Pulumi.<stack>.yaml` as `encryptedkey`) and encrypts every secret itself with AES-256-GCM, so
 * secrets are as encrypted in state as with a passphrase. The stand-in's key is a fixed constant: a
 * stack kept with `PIR_KEEP_WORK=1` stays readable by any later test process. Tests of what a user
 * gets by default (test/e2e/secrets.test.ts, the examples, the installed package) keep the
 * passphrase provider.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";

/** The secrets provider of test stacks: Pulumi's `hashivault` provider with key {@link VAULT_KEY_NAME}. */
export const VAULT_KEY_NAME = "pulumi-instance-refresh-tests";
/** `pulumi stack init --secrets-provider` of test stacks. */
export const TEST_SECRETS_PROVIDER = `hashivault://${VAULT_KEY_NAME}`;
/** The token commands send (`VAULT_SERVER_TOKEN`); the stand-in refuses any other. */
export const VAULT_TOKEN = "pir-test-vault-token";
/** The stand-in's AES-256-GCM key (fixed: see the module comment). */
const KEY = crypto.createHash("sha256").update("pulumi-instance-refresh test vault").digest();
/** Vault's ciphertext prefix: key version 1. */
const CIPHERTEXT_PREFIX = "vault:v1:";
/** AES-GCM nonce length, bytes. */
const NONCE_BYTES = 12;
/** AES-GCM tag length, bytes. */
const TAG_BYTES = 16;

let address: string | undefined;

/**
 * The environment that points Pulumi's `hashivault` provider at this process's stand-in
 * (`VAULT_SERVER_URL`, `VAULT_SERVER_TOKEN`), starting it on first use. It listens on a Unix socket
 * of its own (the Vault client takes `unix://` addresses), named at once, so the environment is known
 * before the first command starts; it does not keep the process alive.
 * @example const env = { ...process.env, ...testVaultEnv() };
 */
export function testVaultEnv(): { VAULT_SERVER_URL: string; VAULT_SERVER_TOKEN: string } {
  address ??= `unix://${startVault()}`;
  return { VAULT_SERVER_URL: address, VAULT_SERVER_TOKEN: VAULT_TOKEN };
}

/** Starts the server on a fresh socket path, removed when the process exits; returns the path. */
function startVault(): string {
  const socket = path.join(os.tmpdir(), `pir-vault-${process.pid}-${crypto.randomBytes(4).toString("hex")}.sock`);
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const [status, reply] = answer(req.method, req.url, req.headers["x-vault-token"], body);
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(reply));
    });
  });
  server.listen(socket);
  server.unref();
  process.on("exit", () => fs.rmSync(socket, { force: true }));
  return socket;
}

/** One request's status and JSON body, in Vault's shapes (`{ data: … }` or `{ errors: [...] }`). */
function answer(method: string | undefined, url: string | undefined, token: string | string[] | undefined, body: string): [number, unknown] {
  if (token !== VAULT_TOKEN) return [403, { errors: ["permission denied"] }];
  const route = /^\/v1\/transit\/(encrypt|decrypt)\/([^/?]+)$/.exec(url ?? "");
  if (method !== "PUT" && method !== "POST") return [405, { errors: [`unsupported method ${method}`] }];
  if (!route || route[2] !== VAULT_KEY_NAME) return [404, { errors: [`no handler for ${url}`] }];
  try {
    const input = JSON.parse(body) as { plaintext?: string; ciphertext?: string };
    if (route[1] === "encrypt") return [200, { data: { ciphertext: encrypt(Buffer.from(String(input.plaintext), "base64")) } }];
    return [200, { data: { plaintext: decrypt(String(input.ciphertext)).toString("base64") } }];
  } catch (e) {
    return [400, { errors: [(e as Error).message] }];
  }
}

function encrypt(plaintext: Buffer): string {
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const cipher = crypto.createCipheriv("aes-256-gcm", KEY, nonce);
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return CIPHERTEXT_PREFIX + Buffer.concat([nonce, sealed]).toString("base64");
}

function decrypt(ciphertext: string): Buffer {
  if (!ciphertext.startsWith(CIPHERTEXT_PREFIX)) throw new Error("invalid ciphertext: no version prefix");
  const raw = Buffer.from(ciphertext.slice(CIPHERTEXT_PREFIX.length), "base64");
  const decipher = crypto.createDecipheriv("aes-256-gcm", KEY, raw.subarray(0, NONCE_BYTES));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
}
