import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkClient } from "../helpers/emulator";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "../../emulator";

const root = resolve(__dirname, "../..");
const outDir = join(root, "test/.work/emulator-cli");
const cli = join(outDir, "emulator/cli.js");
const children: ChildProcess[] = [];

beforeAll(() => {
  // Compile just the emulator so the test does not depend on the lead's build.
  const tsc = spawnSync(
    process.execPath,
    [
      join(root, "node_modules/typescript/bin/tsc"),
      "--outDir", outDir, "--rootDir", root, "--module", "commonjs", "--target", "ES2022", "--moduleResolution", "node",
      "--esModuleInterop", "--resolveJsonModule", "--skipLibCheck", "--types", "node", "--strict",
      join(root, "emulator/cli.ts"),
    ],
    { encoding: "utf8" },
  );
  if (tsc.status !== 0) throw new Error(`tsc failed: ${tsc.stdout}${tsc.stderr}`);
}, 60_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

function run(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitFor(pred: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("CLI", () => {
  it("prints `listening on http://HOST:PORT`, serves the SDK, and exits 0 on SIGTERM", async () => {
    const p = run(["--port", "0", "--seconds-per-batch", "0.2", "--no-rate-limit"]);
    await waitFor(() => /listening on http:\/\/127\.0\.0\.1:\d+\n/.test(p.stdout()));
    const m = /^listening on http:\/\/(127\.0\.0\.1):(\d+)\n$/.exec(p.stdout());
    expect(m).not.toBeNull();
    const port = Number(m![2]);
    const res = await sdkClient({ endpoint: `127.0.0.1:${port}`, secretId: DEFAULT_SECRET_ID, secretKey: DEFAULT_SECRET_KEY }).DescribeAutoScalingGroups({
      AutoScalingGroupIds: ["asg-9dn1a5y6", "asg-h7tgd87d"],
    });
    expect(res.TotalCount).toBe(2);
    p.child.kill("SIGTERM");
    expect(await p.exit).toBe(0);
  });

  it("exits 2 with a clear message on a bad flag", async () => {
    const p = run(["--port", "banana"]);
    expect(await p.exit).toBe(2);
    expect(p.stderr()).toContain("--port must be an integer");
    const q = run(["--frobnicate"]);
    expect(await q.exit).toBe(2);
    expect(q.stderr()).toMatch(/frobnicate/);
  });

  it("exits 1 at start-up, naming the folder, when --state-file is in a folder that does not exist", async () => {
    const folder = join(outDir, "no-such-folder");
    const p = run(["--port", "0", "--state-file", join(folder, "state.json")]);
    expect(await p.exit).toBe(1);
    expect(p.stdout()).toBe("");
    expect(p.stderr()).toContain(`emulator: cannot start: Emulator state file ${join(folder, "state.json")} is unusable: the folder ${folder} does not exist`);
  });

  it("exits 1 at start-up, naming the record and the field, for a state file with a record missing a field", async () => {
    const file = join(outDir, "missing-field.json");
    const group = { id: "asg-cli00001", name: "g", createdAt: 0, launchConfigurationId: "asc-cli00001", launchConfigurationName: "lc", minSize: 0, maxSize: 2, vpcId: "vpc-1", subnetIds: [], zones: [], instanceIds: [], activeActivityId: null };
    // desiredCapacity left out
    writeFileSync(file, JSON.stringify({ format: "pulumi-instance-refresh-emulator-state", version: 1, savedAt: "", nextSeq: 1, groups: [group], instances: [], activities: [], failures: [] }));
    const p = run(["--port", "0", "--state-file", file]);
    expect(await p.exit).toBe(1);
    expect(p.stderr()).toContain('groups[0] (asg-cli00001): field "desiredCapacity" is missing (expected integer)');
  });

  it("accepts custom credentials and stops on SIGINT", async () => {
    const p = run(["--port", "0", "--secret-id", "AKIDCUSTOM", "--secret-key", "custom-key", "--no-fixture"]);
    await waitFor(() => p.stdout().includes("listening on"));
    const port = Number(/:(\d+)\n/.exec(p.stdout())![1]);
    const res = await sdkClient({ endpoint: `127.0.0.1:${port}`, secretId: "AKIDCUSTOM", secretKey: "custom-key" }).DescribeAutoScalingGroups({});
    expect(res.TotalCount).toBe(0);
    p.child.kill("SIGINT");
    expect(await p.exit).toBe(0);
  });
});
