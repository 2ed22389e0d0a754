/**
 * Where cloud credentials end up, with the real Pulumi CLI on the emulator, for both clouds' resources
 * in one stack: from the environment, nowhere at all; from stack config, only where the engine keeps
 * config secrets (encrypted).
 * provider/README.md ("Credentials: where they end up") states exactly what this checks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { healthUrl, type RunningEmulator } from "../../emulator";
import { expectOk, requirePulumiCli } from "../helpers/pulumi";
import { createStack, emulatorConfig, ESS_REGION, REGION, startTestEmulator, TEST_POLL_INTERVAL_MS, type TestStack } from "../helpers/scenario";

/** Credentials no other test uses, so any occurrence of the key is this test's. */
const SECRET_ID = "AKIDSECRETSTEST00000000000000000000";
const SECRET_KEY = "k3yThatMustNeverBeWrittenAnywhere9";
/** A health probe's token, likewise. */
const PROBE_TOKEN = "Bearer pr0beT0kenNeverWrittenAnywhere";
/** The Alibaba Cloud pair, likewise. */
const ACCESS_KEY_ID = "LTAI5tSECRETSTEST0000000";
const ACCESS_KEY_SECRET = "aL1babaSecretNeverWrittenAnywhere";
/** Time limit of one test: a verbose `up` and a destroy. */
const TEST_TIMEOUT_MS = 120_000;

const PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");
const { AlicloudInstanceRefresh, InstanceRefresh } = require("pulumi-instance-refresh");
const config = new pulumi.Config();
const token = config.getSecret("probeToken");
const r = new InstanceRefresh("rollout", {
  autoScalingGroupId: config.require("groupId"),
  refreshSettings: { rollingUpdateSettings: { batchNumber: 2, batchPause: token ? "FIRST_BATCH_PAUSE" : undefined } },
  // With a probe token: a health gate whose probe sends it as a header (a Pulumi secret).
  gate: token ? { http: { url: config.require("healthUrl"), headers: { authorization: token } }, soakSeconds: 1, intervalSeconds: 1 } : undefined,
});
const ess = new AlicloudInstanceRefresh("ess-rollout", {
  scalingGroupId: config.require("scalingGroupId"),
  desiredConfiguration: { imageId: "m-image0000000000000002" },
});
exports.status = r.status;
exports.essStatus = ess.status;
`;

let emu: RunningEmulator;
const stacks: TestStack[] = [];

beforeAll(async () => {
  requirePulumiCli();
  emu = await startTestEmulator({
    name: "secrets",
    credentials: [{ secretId: SECRET_ID, secretKey: SECRET_KEY }],
    essCredentials: [{ accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET }],
  });
  await emu.admin.setPace({ mode: "immediate" });
  await emu.admin.ess.setPace({ mode: "immediate" });
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
    const { groupId: scalingGroupId } = await emu.admin.ess.seedGroup({ instanceCount: 2 });
    const config = emulatorConfig(emu, { groupId, scalingGroupId });
    const stack = await createStack({
      prefix: "secrets-env",
      secrets: "passphrase", // what a user's stack gets by default
      program: PROGRAM,
      config: { plain: config.plain },
      env: {
        TENCENTCLOUD_SECRET_ID: SECRET_ID,
        TENCENTCLOUD_SECRET_KEY: SECRET_KEY,
        ALIBABA_CLOUD_ACCESS_KEY_ID: ACCESS_KEY_ID,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: ACCESS_KEY_SECRET,
      },
    });
    stacks.push(stack);
    const up = expectOk(await stack.run(["up", "--yes", "--skip-preview", "-v=9", "--logtostderr"]));
    expect(up.output).toContain("SUCCESSFUL"); // it did talk to both APIs with them
    expect(up.output).toContain("Successful — 2/2 refreshed (100%)");
    // Progress lines are attached to the resource (engine Log with its URN), not to the stack.
    expect(up.stdout).toMatch(/pulumi-nodejs:dynamic\/tencentcloud:InstanceRefresh \(rollout\):\n\s+asg-\w+ asr-\w+: started \(StartInstanceRefresh/);
    for (const secret of [SECRET_KEY, ACCESS_KEY_SECRET]) {
      expect(up.output).not.toContain(secret);
      expect(await stack.exportText(true)).not.toContain(secret);
      expect(filesContaining(stack.work.dir, secret)).toEqual([]); // backend, PULUMI_HOME, project
    }
    expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
  });

  test("from stack config are kept by the engine, encrypted only: never in plain text in state or the verbose log", { timeout: TEST_TIMEOUT_MS }, async () => {
    const { groupId } = await emu.admin.seedGroup({ instanceCount: 2 });
    const { groupId: scalingGroupId } = await emu.admin.ess.seedGroup({ instanceCount: 2 });
    const stack = await createStack({
      prefix: "secrets-config",
      secrets: "passphrase", // what a user's stack gets by default
      program: PROGRAM,
      config: {
        plain: {
          "instanceRefresh:endpoint": emu.url,
          "instanceRefresh:alicloudEndpoint": emu.url,
          "instanceRefresh:pollIntervalMs": TEST_POLL_INTERVAL_MS,
          "tencentcloud:region": REGION,
          "alicloud:region": ESS_REGION,
          groupId,
          scalingGroupId,
          healthUrl: healthUrl(emu.url, groupId),
        },
        secret: {
          "tencentcloud:secretId": SECRET_ID,
          "tencentcloud:secretKey": SECRET_KEY,
          "alicloud:accessKey": ACCESS_KEY_ID,
          "alicloud:secretKey": ACCESS_KEY_SECRET,
          probeToken: PROBE_TOKEN,
        },
      },
      // Not the emulator's default pair from the environment: only the config's may work.
      env: { ALIBABA_CLOUD_ACCESS_KEY_ID: "", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "" },
    });
    stacks.push(stack);
    const up = expectOk(await stack.run(["up", "--yes", "--skip-preview", "-v=9", "--logtostderr"]));
    expect(up.output).toContain("SUCCESSFUL");
    expect(up.output).toContain("Successful — 2/2 refreshed (100%)");
    expect(up.output).toMatch(/health gate after batch 1 passed/); // the probe sent the header
    expect((await emu.admin.healthStats(groupId)).requests).toBeGreaterThan(0);
    for (const secret of [SECRET_KEY, ACCESS_KEY_SECRET, PROBE_TOKEN]) expect(up.output).not.toContain(secret);
    expect(up.output).toContain("tencentcloud:secretKey:{[secret]}"); // the engine masks it in the Configure log line
    expect(up.output).toContain("alicloud:secretKey:{[secret]}");
    const state = await stack.exportText();
    for (const secret of [SECRET_KEY, ACCESS_KEY_SECRET, PROBE_TOKEN]) expect(state).not.toContain(secret);
    // The engine keeps the secret header encrypted, in the inputs and in the outputs.
    expect(state.match(/"authorization": \{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext": "v1:/g)?.length).toBe(2);
    // The engine records the stack config as the default pulumi-nodejs provider's inputs, the secret encrypted.
    expect(state).toMatch(/"tencentcloud:secretKey": \{\s*"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",\s*"ciphertext": "v1:/);
    expect(await stack.exportText(true)).toContain(SECRET_KEY); // --show-secrets decrypts it, as documented
    // Only the engine's encrypted copies hold it: nothing in the backend or home in plain text.
    for (const secret of [SECRET_KEY, ACCESS_KEY_SECRET, PROBE_TOKEN]) {
      expect(filesContaining(stack.work.backendDir, secret)).toEqual([]);
      expect(filesContaining(stack.work.homeDir, secret)).toEqual([]);
    }
    expectOk(await stack.run(["destroy", "--yes", "--skip-preview"]));
  });
});
