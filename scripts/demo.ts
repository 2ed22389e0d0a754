/**
 * `npm run demo`: the main job on a fresh machine, with no account. Starts the emulator (both clouds
 * on one port), creates a local-backend stack of the quickstart program (root Pulumi.yaml), and walks
 * through a rollout on each cloud: `pulumi up` with progress (Tencent batch by batch, Alibaba ESS up
 * to its canary checkpoint), a pause and a resume through config, the canary's approval, a health
 * gate stopping a bad version and rolling it back, a policy gate stopping an unsafe change, and
 * `pulumi destroy`. Cleans up after itself, also on Ctrl-C.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, healthUrl, spawnEmulator, type SpawnedEmulator } from "../emulator";

/** Seconds the emulator spends on one batch: slow enough to watch, fast enough for a 2-minute demo. */
const DEMO_SECONDS_PER_BATCH = 5;
const STACK = "demo";
const GROUP_ID = "asg-h7tgd87d";
/** One of the emulator's default ESS groups (4 instances, cn-hangzhou). */
const ESS_GROUP_ID = "asg-bp1essweb00000000000";

const root = path.resolve(__dirname, "..", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "instance-refresh-demo-"));
const configFile = path.join(work, `Pulumi.${STACK}.yaml`);
const env: NodeJS.ProcessEnv = {
  ...process.env,
  PULUMI_BACKEND_URL: `file://${path.join(work, "backend")}`,
  PULUMI_CONFIG_PASSPHRASE: "demo-passphrase",
  PULUMI_SKIP_UPDATE_CHECK: "true",
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  // `npm test` / `npm run typecheck` type-check the example; skip ts-node's check on every command to keep the demo brisk.
  PULUMI_NODEJS_TRANSPILE_ONLY: "true",
};
fs.mkdirSync(path.join(work, "backend"));

let emulator: SpawnedEmulator | undefined;
const summary: string[] = [];

function banner(text: string): void {
  console.log(`\n\x1b[1m━━ ${text}\x1b[0m`);
}

/** Runs a pulumi command in the project root, streaming its output as it comes; resolves with its exit code. */
function pulumi(args: string[], options: { quiet?: boolean } = {}): Promise<{ code: number; output: string }> {
  const usesConfig = !(args[0] === "stack" && ["init", "rm", "output"].includes(args[1]));
  const full = [...args, ...(usesConfig ? ["--config-file", configFile] : []), "--stack", STACK, "--non-interactive"];
  if (!options.quiet) console.log(`\x1b[2m$ pulumi ${args.join(" ")}\x1b[0m`);
  const child = spawn("pulumi", full, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (!options.quiet) process.stdout.write(chunk);
  };
  child.stdout.on("data", collect);
  child.stderr.on("data", collect);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

async function mustPulumi(args: string[], options: { quiet?: boolean } = {}): Promise<string> {
  const { code, output } = await pulumi(args, options);
  if (code !== 0) {
    if (options.quiet) process.stdout.write(output);
    throw new Error(`pulumi ${args.join(" ")} exited with ${code}`);
  }
  return output;
}

async function stackOutputs(): Promise<Record<string, unknown>> {
  return JSON.parse(await mustPulumi(["stack", "output", "--json"], { quiet: true })) as Record<string, unknown>;
}

/** Stops the emulator (it writes its state file on the way out), then removes the temporary directory. */
async function cleanup(): Promise<void> {
  await emulator?.stop();
  fs.rmSync(work, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const started = Date.now();
  banner("Starting the emulator of Tencent Cloud AS and Alibaba Cloud ESS (one port)");
  emulator = await spawnEmulator([
    "--seconds-per-batch",
    String(DEMO_SECONDS_PER_BATCH),
    "--ess-wave-seconds",
    String(DEMO_SECONDS_PER_BATCH),
    "--state-file",
    path.join(work, "emulator-state.json"),
  ]);
  const endpoint = emulator.url;
  console.log(`emulator at ${endpoint} (state in ${work})`);

  banner("Creating a local stack and its config (credentials stored as secrets)");
  await mustPulumi(["stack", "init"]);
  await mustPulumi(["config", "set", "instanceRefresh:endpoint", endpoint]);
  await mustPulumi(["config", "set", "tencentcloud:region", "ap-guangzhou"]);
  await mustPulumi(["config", "set", "--secret", "tencentcloud:secretId", DEFAULT_SECRET_ID], { quiet: true });
  await mustPulumi(["config", "set", "--secret", "tencentcloud:secretKey", DEFAULT_SECRET_KEY], { quiet: true });
  await mustPulumi(["config", "set", "autoScalingGroupId", GROUP_ID]);
  await mustPulumi(["config", "set", "instanceRefresh:alicloudEndpoint", endpoint]);
  await mustPulumi(["config", "set", "alicloud:region", "cn-hangzhou"]);
  await mustPulumi(["config", "set", "--secret", "alicloud:accessKey", DEFAULT_ACCESS_KEY_ID], { quiet: true });
  await mustPulumi(["config", "set", "--secret", "alicloud:secretKey", DEFAULT_ACCESS_KEY_SECRET], { quiet: true });
  await mustPulumi(["config", "set", "scalingGroupId", ESS_GROUP_ID]);

  banner("pulumi up: Tencent in 3 batches with 1 surge instance; Alibaba ESS half at a time, up to its 50 % canary checkpoint");
  await mustPulumi(["up", "--yes", "--skip-preview"]);
  const first = await stackOutputs();
  summary.push(`rollout ${String(first.refreshActivityId)} on ${GROUP_ID}: ${String(first.status)} in ${String(first.batches)} batches`);
  summary.push(`ESS rollout ${String(first.essTaskId)} on ${ESS_GROUP_ID}: ${String(first.essStatus)} at ${String(first.essPercentRefreshed)} %`);

  banner("A new image: start the next refresh without waiting for it");
  await mustPulumi(["config", "set", "imageId", "img-2r3h5k9a"]);
  await mustPulumi(["config", "set", "waitUntil", "started"]);
  await mustPulumi(["up", "--yes", "--skip-preview"]);

  banner("Pause it through config (paused: true → StopInstanceRefresh)");
  await mustPulumi(["config", "set", "paused", "true"]);
  await mustPulumi(["up", "--yes", "--skip-preview"]);
  const paused = await stackOutputs();
  summary.push(`paused ${String(paused.refreshActivityId)}: ${String(paused.status)}`);

  banner("Resume it (paused: false → ResumeInstanceRefresh) and wait until it finishes");
  await mustPulumi(["config", "set", "paused", "false"]);
  await mustPulumi(["config", "set", "waitUntil", "settled"]);
  await mustPulumi(["up", "--yes", "--skip-preview"]);
  const resumed = await stackOutputs();
  summary.push(`resumed ${String(resumed.refreshActivityId)}: ${String(resumed.status)}`);

  banner("Approve the ESS canary (approvedCheckpoints: 1 → ResumeInstanceRefresh) and wait until it finishes");
  await mustPulumi(["config", "set", "approvedCheckpoints", "1"]);
  await mustPulumi(["up", "--yes", "--skip-preview"]);
  const approved = await stackOutputs();
  summary.push(`ESS canary approved ${String(approved.essTaskId)}: ${String(approved.essStatus)} at ${String(approved.essPercentRefreshed)} %`);

  banner("A bad version behind a health gate: stopped after batch 1 and rolled back");
  await emulator.admin.setVersion(GROUP_ID, { version: "v3-broken", bad: true });
  await mustPulumi(["config", "set", "imageId", "img-b4db4d00"]);
  await mustPulumi(["config", "set", "batchPause", "BATCH_INTERVAL_PAUSE"]);
  await mustPulumi(["config", "set", "healthUrl", healthUrl(endpoint, GROUP_ID)]);
  const gated = await pulumi(["up", "--yes", "--skip-preview"]);
  if (gated.code === 0 || !gated.output.includes("rolled back")) throw new Error("the health gate did not stop the bad version");
  const health = await fetch(healthUrl(endpoint, GROUP_ID));
  summary.push(`health gate: the broken version failed its first gate, was rolled back (group health ${health.status}), and up exited ${gated.code}`);
  await mustPulumi(["config", "rm", "healthUrl"]);
  await mustPulumi(["config", "rm", "batchPause"]);

  banner("Policy gate: a one-batch rollout is stopped at preview");
  await mustPulumi(["config", "set", "batchNumber", "1"]);
  const gate = await pulumi(["preview", "--policy-pack", path.join(root, "policies")]);
  if (gate.code === 0) throw new Error("the policy pack did not stop an unsafe rollout");
  summary.push(`policy gate: preview of batchNumber=1 exited ${gate.code} (blocked)`);
  await mustPulumi(["config", "rm", "batchNumber"]);

  banner("pulumi destroy: cancels anything still running");
  await mustPulumi(["destroy", "--yes", "--skip-preview"]);
  await mustPulumi(["stack", "rm", "--yes"], { quiet: true });

  banner("Summary");
  for (const line of summary) console.log(`  • ${line}`);
  console.log(`  • finished in ${Math.round((Date.now() - started) / 1000)} s; nothing left behind`);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping the emulator and removing ${work}`);
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .then(cleanup)
  .catch(async (error: unknown) => {
    await cleanup();
    console.error(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
