/**
 * The package as users install it (issue 15): the README's install routes run as written, from a
 * fresh clone of the working tree, into fresh programs outside the repository (so nothing resolves
 * from the repository's node_modules), each beside the program's own `@pulumi/pulumi`:
 * - from a clone: `npm ci`, `npm pack` (prepack compiles dist/), `npm install <tarball>`; then
 *   `pulumi preview` and `pulumi up` of the README's program with the real CLI, on the emulator
 *   started from the installed `instance-refresh-emulator` bin, and the README's policy command;
 * - the build npm runs for a git URL: its `prepare` script, run by `npm install --install-links
 *   <checkout>` on a checkout without dist/ exactly as on npm's own clone of a git URL;
 * - from git, only with `PIR_TEST_GIT_INSTALL=1` (the release workflow sets it): the README's
 *   `npm install git+…#v<version>`, where npm clones, installs the dev dependencies (300 packages,
 *   42 s measured here: too long for every `npm test`) and runs prepare.
 *
 * Stand-ins, as no network is available here: the clone is a copy of the working tree (tracked and
 * untracked files, .gitignore applied), committed and tagged in a throwaway git repository for the
 * git route; the clone's `npm ci` links the repository's installed node_modules instead of installing
 * them; npm prefers its local cache. The programs declare their own dependencies (`@pulumi/pulumi`,
 * `@pulumi/policy`, `typescript`, `@types/node` at this project's versions) in package.json, and the
 * README's `npm install` installs them with the package.
 *
 * Run: `scripts/with-tools npx vitest run test/dist`
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { initStack, killStrays, processesOf, pulumiEnv, pulumiOk, REPO_ROOT, stackOutputs } from "../helpers/pulumi";
import { codeBlocks, copyWorkingTree, filesUnder, npmEnv, ok, run, section, tarballFiles, type RunResult } from "./support";

/** The whole file: two installs, a pack and half a dozen CLI commands, on a busy 2-core machine. */
const SUITE_TIMEOUT_MS = 240_000;
/** The README's git route is run only when this is "1" (see the file comment). */
const GIT_ROUTE = process.env.PIR_TEST_GIT_INSTALL === "1";

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, unknown>;
  typesVersions?: unknown;
  files: string[];
  devDependencies: Record<string, string>;
}
const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as PackageJson;
const README = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
const GUIDE = fs.readFileSync(path.join(REPO_ROOT, "docs", "testing-offline.md"), "utf8");
const TARBALL = `${pkg.name}-${pkg.version}.tgz`;
const installBlocks = codeBlocks(section(README, "### Install")).filter((b) => b.lang === "sh");
const [fromClone, fromGit, fromRegistry] = installBlocks.map((b) => b.text);
/** The README's policy command, backslash-continued lines joined. */
const POLICY_COMMAND = codeBlocks(README)
  .find((b) => b.lang === "sh" && b.text.includes("--policy-pack "))!
  .text.replace(/\\\n\s*/g, "")
  .trim();
/** The git URL placeholder of the README's git route; the test puts its local repository there. */
const GIT_URL_PLACEHOLDER = /"git\+https:\/\/<git host>\/<owner>\/pulumi-instance-refresh\.git#(v[^"]+)"/;

/**
 * A user's program before it installs this package: it depends on its own SDK, policy SDK,
 * TypeScript and Node types, at the versions this project develops and tests with.
 */
const installedVersion = (name: string) =>
  (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
const USER_DEPENDENCIES = Object.fromEntries(["@pulumi/pulumi", "@pulumi/policy", "typescript", "@types/node"].map((n) => [n, installedVersion(n)]));
function writeUserProgram(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = { name: path.basename(dir), private: true, main: "index.ts", dependencies: USER_DEPENDENCIES };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${path.basename(dir)}\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), codeBlocks(README).find((b) => b.lang === "ts")!.text);
}

/** Stand-in for the clone's `npm ci`: the repository's installed dependencies (see the file comment). */
const NPM_CI_STAND_IN = `npm() { if [ "$1" = ci ]; then ln -s "$PIR_REPO_NODE_MODULES" node_modules; else command npm "$@"; fi; }\nset -euo pipefail\n`;

/** The emulator started from an installed package's bin. */
interface BinEmulator {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Runs `node_modules/.bin/instance-refresh-emulator --port 0 <args>` in `cwd` and waits for its `listening on` line. */
async function startEmulatorBin(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<BinEmulator> {
  const child = spawn(path.join(cwd, "node_modules", ".bin", "instance-refresh-emulator"), ["--port", "0", ...args], {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /^listening on (http:\/\/\S+)$/m.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`instance-refresh-emulator exited with ${code} before listening:\n${stderr}`)));
    child.once("error", reject);
  });
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

describe("installing the package", () => {
  let root: string;
  let clone: string;
  let myStack: string;
  let checkoutStack: string;
  let gitStack: string;
  let homeDir: string;
  let work: { dir: string; env: NodeJS.ProcessEnv };
  /** Environment of the commands that are not `pulumi`: npm's, marked with the work's PULUMI_HOME so that killStrays finds leftovers. */
  let env: NodeJS.ProcessEnv;
  let packed: string[];
  let checkoutRoute: Promise<RunResult>;
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, p: Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await p;
    } finally {
      timings[name] = Date.now() - started;
    }
  };

  beforeAll(async () => {
    expect(installBlocks, "README ### Install: a clone block, a git block and a registry block").toHaveLength(3);
    root = fs.mkdtempSync(path.join(os.tmpdir(), "pir-dist-"));
    clone = path.join(root, "pulumi-instance-refresh");
    myStack = path.join(root, "my-stack");
    checkoutStack = path.join(root, "checkout-stack");
    gitStack = path.join(root, "git-stack");
    homeDir = path.join(root, ".pulumi-home");
    for (const d of [clone, homeDir, path.join(root, ".backend")]) fs.mkdirSync(d, { recursive: true });
    work = { dir: myStack, env: pulumiEnv({ backendDir: path.join(root, ".backend"), homeDir }) };
    env = npmEnv({ PULUMI_HOME: homeDir });
    writeUserProgram(myStack);

    // The "clone": a copy of the working tree, without dist/.
    copyWorkingTree(REPO_ROOT, clone);
    expect(fs.existsSync(path.join(clone, "dist")), "a fresh clone has no dist/").toBe(false);
    if (GIT_ROUTE) {
      const git = (...args: string[]) =>
        run("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: clone, env });
      ok(await git("init", "-q"));
      ok(await git("add", "-A"));
      ok(await git("commit", "-q", "-m", "snapshot"));
      ok(await git("tag", `v${pkg.version}`));
    }

    // The README's first route, as written: in the directory holding the clone and the program.
    const script = NPM_CI_STAND_IN + fromClone!;
    ok(await timed("clone route: npm pack, npm install", run("bash", ["-c", script], { cwd: root, env: { ...env, PIR_REPO_NODE_MODULES: path.join(REPO_ROOT, "node_modules") } })));
    packed = tarballFiles(path.join(clone, TARBALL));

    // The checkout route runs alongside the next tests; its own test awaits it. Without dist/, its
    // prepare has to compile everything, as on npm's clone of a git URL.
    fs.rmSync(path.join(clone, "dist"), { recursive: true, force: true });
    writeUserProgram(checkoutStack);
    checkoutRoute = timed("checkout route: npm install --install-links", run("npm", ["install", "--install-links", "../pulumi-instance-refresh"], { cwd: checkoutStack, env }));
    checkoutRoute.catch(() => undefined); // reported by its test
  }, SUITE_TIMEOUT_MS);

  afterAll(async () => {
    await checkoutRoute?.catch(() => undefined);
    if (homeDir) killStrays(homeDir);
    console.info(`test/dist/install.test.ts timings (ms): ${JSON.stringify(timings)}`);
    if (!root) return;
    if (process.env.PIR_KEEP_WORK === "1") console.info(`PIR_KEEP_WORK=1: keeping ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  }, SUITE_TIMEOUT_MS);

  it("`npm pack` of a fresh clone compiles dist/ and ships every module, bin and policy file, and nothing else", () => {
    const sources = ["provider", "emulator", "policies", "plan"].flatMap((dir) =>
      filesUnder(path.join(clone, dir))
        .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
        .map((f) => `${dir}/${f.replace(/\.ts$/, "")}`),
    );
    const expected = [
      ...sources.flatMap((m) => [`dist/${m}.js`, `dist/${m}.d.ts`]),
      "dist/emulator/fixtures/default.json",
      "policies/PulumiPolicy.yaml",
      "policies/package.json",
      ...filesUnder(path.join(clone, "policies", "config")).map((f) => `policies/config/${f}`),
      ...filesUnder(path.join(clone, "docs")).map((f) => `docs/${f}`),
      "README.md",
      "CHANGELOG.md",
      "package.json",
    ];
    expect(packed).toEqual(expect.arrayContaining(expected));
    // Besides those, only the README.md npm adds from a shipped directory.
    expect(packed.filter((f) => !expected.includes(f))).toEqual(["policies/README.md"]);

    const manifest = JSON.parse(fs.readFileSync(path.join(myStack, "node_modules", pkg.name, "package.json"), "utf8")) as PackageJson;
    expect(manifest.private).toBeUndefined();
    expect(manifest.bin).toEqual({ "instance-refresh-plan": "dist/plan/cli.js", "instance-refresh-emulator": "dist/emulator/cli.js" });
    for (const bin of Object.values(manifest.bin)) {
      expect(fs.readFileSync(path.join(myStack, "node_modules", pkg.name, bin), "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
    }
  });

  it("installs beside the program's own @pulumi/pulumi, which stays the only copy, with every entry point resolving", async () => {
    const installed = path.join(myStack, "node_modules", pkg.name);
    expect(fs.existsSync(path.join(installed, "node_modules")), "no nested dependencies (@pulumi/pulumi is a peer)").toBe(false);
    const programPkg = JSON.parse(fs.readFileSync(path.join(myStack, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(programPkg.dependencies).toEqual({ ...USER_DEPENDENCIES, [pkg.name]: `file:../pulumi-instance-refresh/${TARBALL}` });

    const requireFromProgram = createRequire(path.join(myStack, "index.js"));
    expect(requireFromProgram.resolve(pkg.name)).toBe(path.join(installed, "dist", "provider", "index.js"));
    // The module the provider shim in every stack's state requires.
    expect(requireFromProgram.resolve(`${pkg.name}/dist/provider/host`)).toBe(path.join(installed, "dist", "provider", "host.js"));
    expect(requireFromProgram.resolve(`${pkg.name}/emulator`)).toBe(path.join(installed, "dist", "emulator", "index.js"));

    // startEmulator() from the installed package: seed a group, read it back.
    const { startEmulator } = requireFromProgram(`${pkg.name}/emulator`) as typeof import("../../emulator");
    const emulator = await startEmulator({ fixture: false, rateLimit: false });
    try {
      const group = await emulator.admin.seedGroup({ groupId: "asg-inst0001", instanceCount: 2 });
      expect((await emulator.admin.group(group.groupId)).instanceIds).toHaveLength(2);
      expect(await emulator.admin.requests()).toEqual([]);

      // The installed Alibaba Cloud provider signs with the installed @alicloud/openapi-core (its own dependencies).
      const { CancelSignal, createAlicloudProvider } = requireFromProgram(pkg.name) as typeof import("../../provider");
      await emulator.admin.ess.setPace({ mode: "immediate" });
      const essGroup = await emulator.admin.ess.seedGroup({ instanceCount: 2 });
      const alicloud = createAlicloudProvider({
        config: {
          credentials: { accessKeyId: emulator.ess.accessKeyId, accessKeySecret: emulator.ess.accessKeySecret },
          region: "cn-hangzhou",
          endpoint: emulator.url,
          pollIntervalMs: 50,
          outageToleranceSeconds: 5,
        },
        log: () => undefined,
        cancel: new CancelSignal(),
      });
      const checked = await alicloud.check({}, { scalingGroupId: essGroup.groupId, desiredConfiguration: { imageId: "m-image0000000000000002" } });
      expect(checked.failures ?? []).toEqual([]);
      const created = await alicloud.create(checked.inputs);
      expect(created.outs).toMatchObject({ status: "Successful", percentRefreshed: 100 });
    } finally {
      await emulator.stop();
    }
  });

  it(
    "type-checks the README's program and both entry points, with node10 (Pulumi's templates) and nodenext resolution",
    async () => {
      fs.writeFileSync(
        path.join(myStack, "entries.ts"),
        [
          `import { InstanceRefresh } from "${pkg.name}";`,
          `import { startEmulator, type RunningEmulator } from "${pkg.name}/emulator";`,
          `export const entries: [typeof InstanceRefresh, typeof startEmulator, RunningEmulator["url"]] = [InstanceRefresh, startEmulator, ""];`,
          "",
        ].join("\n"),
      );
      const tsc = (options: string[]) =>
        run(path.join(myStack, "node_modules", ".bin", "tsc"), ["--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--types", "node", ...options, "index.ts", "entries.ts"], {
          cwd: myStack,
          env,
        });
      const [node10, nodenext] = await timed(
        "tsc (node10, nodenext)",
        Promise.all([tsc(["--module", "commonjs", "--moduleResolution", "node10"]), tsc(["--module", "nodenext", "--moduleResolution", "nodenext"])]),
      );
      ok(node10);
      ok(nodenext);
    },
    SUITE_TIMEOUT_MS,
  );

  it(
    "runs `pulumi preview` and `pulumi up` of the README's program on the installed emulator bin, and the README's policy command as written",
    async () => {
      const started = Date.now();
      const { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } = createRequire(path.join(myStack, "index.js"))(`${pkg.name}/emulator`) as typeof import("../../emulator");
      const emulator = await startEmulatorBin(myStack, ["--seconds-per-batch", "0.2"], env);
      try {
        await initStack(work, "dev", {
          plain: { "tencentcloud:region": "ap-guangzhou", "instanceRefresh:endpoint": emulator.url, "instanceRefresh:pollIntervalMs": 200, imageId: "img-6ns5om13" },
          secret: { "tencentcloud:secretId": DEFAULT_SECRET_ID, "tencentcloud:secretKey": DEFAULT_SECRET_KEY },
        });
        const preview = await pulumiOk(work, ["preview"]);
        expect(preview.stdout).toMatch(/\+\s+pulumi-nodejs:dynamic\/tencentcloud:InstanceRefresh web-rollout create/);
        await pulumiOk(work, ["up", "--yes", "--skip-preview"]);
        // FIRST_BATCH_PAUSE: the refresh stops after its first batch, and `up` returns.
        expect(await stackOutputs(work)).toEqual({ status: "AUTO_PAUSE" });

        expect(POLICY_COMMAND).toBe(
          "pulumi preview --diff --policy-pack node_modules/pulumi-instance-refresh/policies " +
            "--policy-pack-config node_modules/pulumi-instance-refresh/policies/config/production.json",
        );
        const gated = ok(await run("bash", ["-c", POLICY_COMMAND], { cwd: myStack, env: work.env, timeoutMs: 180_000 }));
        expect(gated.stdout).toMatch(/instance-refresh-safety\|local\|node_modules\/pulumi-instance-refresh\/policies\s+0\.1\.0/);
      } finally {
        await emulator.stop();
        timings["pulumi: init, preview, up, policy"] = Date.now() - started;
      }
    },
    SUITE_TIMEOUT_MS,
  );

  it("runs the installed emulator bin from a shell as the offline-testing guide does", async () => {
    const help = ok(await run(path.join(myStack, "node_modules", ".bin", "instance-refresh-emulator"), ["--help"], { cwd: myStack, env }));
    expect(help.stdout).toMatch(/^usage: instance-refresh-emulator \[options\]/);

    const [start, finish] = codeBlocks(section(GUIDE, "## As a process, from any test runner")).filter((b) => b.lang === "sh");
    const shell = ok(await run("bash", ["-c", `set -euo pipefail\n${start!.text}${finish!.text}`], { cwd: myStack, env, timeoutMs: 60_000 }));
    expect(shell.stdout).toContain('"groupId":"asg-web00001"');
    expect(shell.stdout).toContain('{"entries":[]}');
    expect(fs.readFileSync(path.join(myStack, "emulator.out"), "utf8")).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    // Its `kill` stopped the emulator.
    expect(processesOf(homeDir).filter((p) => p.cmdline.includes("instance-refresh-emulator"))).toEqual([]);
  }, 60_000);

  it(
    "compiles a checkout without dist/ in `prepare`, the build npm runs on its clone of a git URL",
    async () => {
      ok(await checkoutRoute);
      const installed = path.join(checkoutStack, "node_modules", pkg.name);
      expect(filesUnder(installed)).toEqual(packed);
      expect(createRequire(path.join(checkoutStack, "index.js")).resolve(`${pkg.name}/emulator`)).toBe(path.join(installed, "dist", "emulator", "index.js"));
    },
    SUITE_TIMEOUT_MS,
  );

  it.runIf(GIT_ROUTE)(
    "installs from the README's git URL as written (but for the URL): npm clones, installs the dev dependencies and compiles",
    async () => {
      writeUserProgram(gitStack);
      const command = fromGit!.replace(GIT_URL_PLACEHOLDER, (_m, tag: string) => `"git+file://${clone}#${tag}"`);
      expect(command, "the README's git route has the URL placeholder").not.toBe(fromGit);
      ok(await timed("git route", run("bash", ["-c", `set -euo pipefail\n${command}`], { cwd: gitStack, env, timeoutMs: 300_000 })));
      const installed = path.join(gitStack, "node_modules", pkg.name);
      expect(filesUnder(installed)).toEqual(packed);
    },
    SUITE_TIMEOUT_MS,
  );

  it("names the package and its version as they are in package.json (the registry route, the tarball, the tag)", () => {
    expect(fromRegistry!.trim()).toBe(`npm install ${pkg.name}`);
    expect(fromClone).toContain(`npm install ../pulumi-instance-refresh/${TARBALL}`);
    expect(GIT_URL_PLACEHOLDER.exec(fromGit!)?.[1]).toBe(`v${pkg.version}`);
  });

  it("is what scripts/build.sh installs for the repository's own examples and tests", () => {
    const devInstall = path.join(REPO_ROOT, "node_modules", pkg.name);
    const shipped = packed.filter((f) => f.startsWith("dist/") || (f.startsWith("policies/") && f !== "policies/README.md"));
    expect(shipped.filter((f) => !fs.existsSync(path.join(devInstall, f)))).toEqual([]);
    const devManifest = JSON.parse(fs.readFileSync(path.join(devInstall, "package.json"), "utf8")) as PackageJson;
    const manifest = JSON.parse(fs.readFileSync(path.join(myStack, "node_modules", pkg.name, "package.json"), "utf8")) as PackageJson;
    for (const key of ["main", "types", "exports", "typesVersions", "bin"] as const) expect(devManifest[key], key).toEqual(manifest[key]);
  });
});
