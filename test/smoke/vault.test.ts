/**
 * The test stacks' secrets provider stand-in (test/helpers/vault.ts) answers as Vault's transit
 * engine does, so that `pulumi` commands of test stacks keep secrets encrypted. The real-CLI files
 * use it in the stacks they make, except where a user's default matters: test/e2e/secrets.test.ts
 * checks what a stack with the passphrase provider keeps.
 */
import * as http from "node:http";
import { describe, expect, test } from "vitest";
import { testVaultEnv, VAULT_KEY_NAME, VAULT_TOKEN } from "../helpers/vault";

/** Vault's reply shapes. */
interface VaultReply {
  readonly data?: Record<string, string>;
  readonly errors?: string[];
}

/** One call of the stand-in, as Pulumi's Vault client makes it (a PUT with the token header). */
function call(op: "encrypt" | "decrypt", body: unknown, opts: { token?: string; key?: string } = {}): Promise<{ status: number; json: VaultReply }> {
  const socketPath = testVaultEnv().VAULT_SERVER_URL.slice("unix://".length);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { socketPath, method: "PUT", path: `/v1/transit/${op}/${opts.key ?? VAULT_KEY_NAME}`, headers: { "x-vault-token": opts.token ?? VAULT_TOKEN } },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as VaultReply }));
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

describe("test vault", () => {
  const plaintext = Buffer.from("a 32-byte data key, for example!").toString("base64");

  test("encrypts to a vault:v1: ciphertext that decrypts back, different every time", async () => {
    const first = await call("encrypt", { plaintext });
    const second = await call("encrypt", { plaintext });
    expect(first.status).toBe(200);
    expect(first.json.data?.ciphertext).toMatch(/^vault:v1:[A-Za-z0-9+/=]+$/);
    expect(first.json.data?.ciphertext).not.toContain(plaintext);
    expect(second.json.data?.ciphertext).not.toBe(first.json.data?.ciphertext);
    expect((await call("decrypt", { ciphertext: first.json.data?.ciphertext })).json.data?.plaintext).toBe(plaintext);
  });

  test("refuses a wrong token, an unknown key and a tampered ciphertext", async () => {
    expect((await call("encrypt", { plaintext }, { token: "wrong" })).status).toBe(403);
    expect((await call("encrypt", { plaintext }, { key: "other" })).status).toBe(404);
    const { ciphertext } = (await call("encrypt", { plaintext })).json.data!;
    const raw = Buffer.from(ciphertext!.slice("vault:v1:".length), "base64");
    raw[raw.length - 1] ^= 1;
    const tampered = await call("decrypt", { ciphertext: `vault:v1:${raw.toString("base64")}` });
    expect(tampered.status).toBe(400);
    expect(tampered.json.errors?.join(" ")).toMatch(/authenticate/);
  });
});
