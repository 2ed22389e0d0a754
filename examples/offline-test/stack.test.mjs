// Tests of the stack in this directory (index.ts) against the instance-refresh emulator, with no
// cloud account: `node --test` here, with the Pulumi CLI on PATH. Walked through in
// docs/testing-offline.md.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { startEmulator } from "pulumi-instance-refresh/emulator";

const execFileAsync = promisify(execFile);
let emulator;
let group;
let env;
let backendDir;

/** `pulumi <args>` on this directory's `ci` stack; rejects with the output when the command fails. */
function pulumi(...args) {
  return execFileAsync("pulumi", [...args, "--stack", "ci", "--non-interactive", "--color=never"], {
    cwd: import.meta.dirname,
    env,
    maxBuffer: 64 * 1024 * 1024,
  });
}

before(async () => {
  // Start it: in this process, on a free port, with no groups but the ones seeded below, and
  // 0.2 s per batch instead of minutes.
  emulator = await startEmulator({ fixture: false, secondsPerBatch: 0.2 });

  // Seed your groups: ids as the real API spells them, four IN_SERVICE instances.
  group = await emulator.admin.seedGroup({ groupId: "asg-web00001", name: "web", instanceCount: 4 });

  // Point the provider at it. Stack config wins over these variables, so tests get a stack of
  // their own (`ci`) whose config holds no endpoint or credentials. The state goes to a throwaway
  // local backend.
  backendDir = mkdtempSync(join(tmpdir(), "offline-test-state-"));
  env = {
    ...process.env,
    INSTANCE_REFRESH_ENDPOINT: emulator.url,
    INSTANCE_REFRESH_POLL_INTERVAL_MS: "200",
    TENCENTCLOUD_SECRET_ID: emulator.secretId,
    TENCENTCLOUD_SECRET_KEY: emulator.secretKey,
    TENCENTCLOUD_REGION: "ap-guangzhou",
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: "",
  };
  await pulumi("stack", "init");
  await pulumi("config", "set", "autoScalingGroupId", group.groupId);
  await pulumi("config", "set", "imageId", "img-00000001");
});

after(async () => {
  // `stack rm` also deletes Pulumi.ci.yaml; the emulator and the backend go with it.
  if (env) await pulumi("stack", "rm", "--yes", "--force");
  await emulator?.stop();
  if (backendDir) rmSync(backendDir, { recursive: true, force: true });
});

test("a new image rolls out in two batches, with one StartInstanceRefresh", async () => {
  await pulumi("up", "--yes", "--skip-preview");
  const { stdout } = await pulumi("stack", "output", "--json");
  assert.equal(JSON.parse(stdout).status, "SUCCESSFUL");

  // Read the request log: what the provider asked the API, in order, with each answer's code.
  const starts = await emulator.admin.requests({ action: "StartInstanceRefresh" });
  assert.deepEqual(
    starts.map((entry) => [entry.code, entry.params.AutoScalingGroupId]),
    [["OK", group.groupId]],
  );
});

test("a failed instance fails `pulumi up` with the instance's message", async () => {
  // Fail an instance: its next refresh attempt fails with this message.
  await emulator.admin.failInstance(group.instanceIds[0], "image img-00000002 not found");
  await pulumi("config", "set", "imageId", "img-00000002");

  await assert.rejects(pulumi("up", "--yes", "--skip-preview"), (error) => {
    assert.match(error.stdout, /image img-00000002 not found/);
    return true;
  });
  // The refresh waits in the cloud (here: the emulator) for a retry, a CONTINUE or a cancel.
  const { activeActivityId } = await emulator.admin.group(group.groupId);
  assert.equal((await emulator.admin.activity(activeActivityId)).Status, "FAILED_PAUSE");
});
