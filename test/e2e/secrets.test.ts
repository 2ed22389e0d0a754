/**
 * Where cloud credentials end up, with the real Pulumi CLI on the emulator: from the environment,
 * nowhere at all; from stack config, only where the engine keeps config secrets (encrypted).
 * provider/README.md ("Credentials: where they end up") states exactly what this checks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningEmulator } from "../../emulator";
import { expectOk, requirePulumiCli } from "../helpers/pulumi";
import { createStack, emulatorConfig, REGION, startTestEmulator, TEST_POLL_INTERVAL_MS, type TestStack } from "../helpers/scenario";

/** Credentials no other test uses, so any occurrence of the key is this test's. */
const SECRET_ID = "AKIDSECRETSTEST00000000000000000000";
const SECRET_KEY = "k3yThatMustNeverBeWrittenAnywhere9";
/** Time limit of one test: a verbose `up` and a destroy. */
const TEST_TIMEOUT_MS = 120_000;

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { InstanceRefresh } = require("pulumi-instance-refresh");
const r = new InstanceRefresh("rollout", {
  autoScalingGroupId: new pulumi.Config().require("groupId"),
  refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } },
});
exports.status = r.status;
`;

let emu: RunningEmulator;
const stacks: TestStack[] = [];

beforeAll(async () => {
  requirePulumiCli();
  emu = await startTestEmulator({ name: "secrets", credentials: [{ secretId: SECRET_ID, secretKey: SECRET_KEY }] });
  await emu.admin.setPace({ mode: "immediate" });
});
afterAll(async () => {
  for (const s of stacks) s.remove();
  await emu?.stop();
});

/** Every file below `dir` whose bytes contain `needle`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (fs.readFileSync(file).includes(needle)) found.push(file);
  }
  return found;
}

describe("credentials", () => {
  test("from the environment leave no trace: not in state, the backend, the output nor the verbose log", { timeout: TEST_TIMEOUT_MS }, async () => {
    const { groupId } = await emu.admin.seedGroup({ instanceCount: 2 });
    const config = emulatorConfig(emu, { groupId });
    const stack = await createStack({
      prefix: "secrets-env",
      program: PROGRAM,
      config: { plain: config.plain },
      env: { TENCENTCLOUD_SECRET_ID: SECRET_ID, TENCENTCLOUD_SECRET_KEY: SECRET_KEY },
    });
    stacks.push(stack);
    const up = expectOk(await stack.run(["up", "--yes", "--skip-preview", "-v=9", "--logtostderr"]));
    expect(up.output).toContain("SUCCESSFUL"); // it did talk to the API with them
    // Progress lines are attached to the resource (engine Log with its URN), not to the stack.
    expect(up.stdout).toMatch(/pulumi-nodejs:dynamic\/tencentcloud:InstanceRefresh \(rollout\):\n\s+asg-\w+ asr-\w+: started \(StartInstanceRefresh/);
    expect(up.output).not.toContain(SECRET_KEY);
    expect(await stack.exportText(true)).not.toContain(SECRET_KEY);
    expect(filesContaining(stack.work.dir, SECRET_KEY)).toEqual([]); // backend, PULUMI_HOME, project
    expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
  });

  test("from stack config are kept by the engine, encrypted only: never in plain text in state or the verbose log", { timeout: TEST_TIMEOUT_MS }, async () => {
    const { groupId } = await emu.admin.seedGroup({ instanceCount: 2 });
    const stack = await createStack({
      prefix: "secrets-config",
      program: PROGRAM,
      config: {
        plain: { "instanceRefresh:endpoint": emu.url, "instanceRefresh:pollIntervalMs": TEST_POLL_INTERVAL_MS, "tencentcloud:region": REGION, groupId },
        secret: { "tencentcloud:secretId": SECRET_ID, "tencentcloud:secretKey": SECRET_KEY },
      },
    });
    stacks.push(stack);
    const up = expectOk(await stack.run(["up", "--yes", "--skip-preview", "-v=9", "--logtostderr"]));
    expect(up.output).toContain("SUCCESSFUL");
    expect(up.output).not.toContain(SECRET_KEY);
    expect(up.output).toContain("tencentcloud:secretKey:{[secret]}"); // the engine masks it in the Configure log line
    const state = await stack.exportText();
    expect(state).not.toContain(SECRET_KEY);
    // The engine records the stack config as the default pulumi-nodejs provider's inputs, the secret encrypted.
    expect(state).toMatch(/"tencentcloud:secretKey": \{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext": "v1:/);
    expect(await stack.exportText(true)).toContain(SECRET_KEY); // --show-secrets decrypts it, as documented
    // Only the engine's encrypted copies hold it: nothing in the backend or home in plain text.
    expect(filesContaining(stack.work.backendDir, SECRET_KEY)).toEqual([]);
    expect(filesContaining(stack.work.homeDir, SECRET_KEY)).toEqual([]);
    expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
  });
});
