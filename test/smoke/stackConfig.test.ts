/**
 * `writePlainConfig` (test/helpers/scenario.ts), which the real-CLI tests use instead of
 * `pulumi config set-all --plaintext`: it must leave the stack config file as that command would,
 * keeping what `stack init` and `config set --secret` wrote.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writePlainConfig } from "../helpers/scenario";

/** A stack config file as `stack init` and one `config set --secret` leave it. */
const INITIALIZED = `secretsprovider: hashivault://pulumi-instance-refresh-tests
encryptedkey: dmF1bHQ6djE6c29tZS1rZXk=
config:
  tencentcloud:secretKey:
    secure: v1:AAAA:BBBB
  e2e-up:groupId: asg-00000001
`;

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "pir-stack-config-"));
  file = path.join(dir, "Pulumi.test.yaml");
  fs.writeFileSync(file, INITIALIZED);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const read = () => yaml.load(fs.readFileSync(file, "utf8")) as Record<string, unknown> & { config: Record<string, unknown> };

describe("writePlainConfig", () => {
  it("keeps the secrets provider's entries and secret values, and adds the new values", () => {
    writePlainConfig(file, "e2e-up", { batchNumber: 4 });
    expect(read()).toEqual({
      secretsprovider: "hashivault://pulumi-instance-refresh-tests",
      encryptedkey: "dmF1bHQ6djE6c29tZS1rZXk=",
      config: { "tencentcloud:secretKey": { secure: "v1:AAAA:BBBB" }, "e2e-up:groupId": "asg-00000001", "e2e-up:batchNumber": "4" },
    });
  });

  it("stores numbers, booleans and JSON text as strings, as `config set-all --plaintext` does", () => {
    writePlainConfig(file, "e2e-up", { paused: true, pollIntervalMs: 200, checkpoints: "[50,100]" });
    expect(read().config).toMatchObject({ "e2e-up:paused": "true", "e2e-up:pollIntervalMs": "200", "e2e-up:checkpoints": "[50,100]" });
  });

  it("puts a key without namespace in the project's, and keeps a namespaced key as it is", () => {
    writePlainConfig(file, "e2e-up", { imageId: "img-2", "instanceRefresh:endpoint": "http://127.0.0.1:9100" });
    expect(read().config).toMatchObject({ "e2e-up:imageId": "img-2", "instanceRefresh:endpoint": "http://127.0.0.1:9100" });
    expect(read().config).not.toHaveProperty("e2e-up:instanceRefresh:endpoint");
  });

  it("replaces a value set before", () => {
    writePlainConfig(file, "e2e-up", { groupId: "asg-00000002" });
    expect(read().config["e2e-up:groupId"]).toBe("asg-00000002");
  });

  it("writes a long value on one line", () => {
    const long = JSON.stringify({ probe: Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ") });
    writePlainConfig(file, "e2e-up", { gate: long });
    expect(fs.readFileSync(file, "utf8")).toContain(`e2e-up:gate: '${long}'\n`);
    expect(read().config["e2e-up:gate"]).toBe(long);
  });

  it("creates the file when there is none", () => {
    fs.rmSync(file);
    writePlainConfig(file, "e2e-up", { groupId: "asg-00000003" });
    expect(read()).toEqual({ config: { "e2e-up:groupId": "asg-00000003" } });
  });
});
