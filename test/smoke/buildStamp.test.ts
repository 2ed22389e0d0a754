/**
 * The stale-build guard of the real-CLI suites (test/helpers/buildStamp.ts): programs load the
 * package scripts/build.sh installed, so a source change without a rebuild must fail loudly.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { STAMP_FILE, assertFreshBuild, installedPackageDir, sourceHash } from "../helpers/buildStamp";
import { REPO_ROOT } from "../helpers/pulumi";

let root: string | undefined;
afterEach(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A repository-shaped directory with one source per packaged folder and an installed package. */
function fakeRepo(): string {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "pir-stamp-"));
  for (const [file, text] of Object.entries({
    "package.json": '{ "name": "pulumi-instance-refresh" }',
    "provider/index.ts": "export const a = 1;\n",
    "policies/pack.ts": "export const b = 2;\n",
    "plan/index.ts": "export const c = 3;\n",
    "emulator/fixtures/default.json": '{ "groups": [] }',
    "test/unrelated.test.ts": "// not packaged\n",
  })) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  fs.mkdirSync(installedPackageDir(root), { recursive: true });
  return root;
}

const stamp = (dir: string) => fs.writeFileSync(path.join(installedPackageDir(dir), STAMP_FILE), sourceHash(dir) + "\n");

describe("stale-build guard", () => {
  test("passes for a package built from the current sources; ignores files that are not packaged", () => {
    const dir = fakeRepo();
    stamp(dir);
    expect(() => assertFreshBuild(dir)).not.toThrow();
    fs.writeFileSync(path.join(dir, "test", "unrelated.test.ts"), "// edited\n");
    expect(() => assertFreshBuild(dir)).not.toThrow();
  });

  test.each(["provider/index.ts", "policies/pack.ts", "plan/index.ts", "emulator/fixtures/default.json", "package.json"])(
    "fails loudly, naming the fix, once %s changed after the build",
    (file) => {
      const dir = fakeRepo();
      stamp(dir);
      fs.appendFileSync(path.join(dir, file), "\n");
      expect(() => assertFreshBuild(dir)).toThrow(/is stale: .* run `scripts\/with-tools --no-pulumi bash scripts\/build.sh`/);
    },
  );

  test("fails when a new source appeared, and when the package was not installed by scripts/build.sh", () => {
    const dir = fakeRepo();
    stamp(dir);
    fs.writeFileSync(path.join(dir, "provider", "new.ts"), "export {};\n");
    expect(() => assertFreshBuild(dir)).toThrow(/is stale/);
    fs.rmSync(path.join(installedPackageDir(dir), STAMP_FILE));
    expect(() => assertFreshBuild(dir)).toThrow(/is missing or was not installed by scripts\/build.sh/);
  });

  test("the compiled tool scripts/build.sh runs writes the stamp, and refuses to when the sources changed during the build", () => {
    const tool = path.join(REPO_ROOT, "dist", "test", "helpers", "buildStamp.js");
    expect(fs.existsSync(tool), `${tool} (scripts/build.sh compiles it)`).toBe(true);
    const dir = fakeRepo();
    const before = spawnSync(process.execPath, [tool, "hash", dir], { encoding: "utf8" }).stdout.trim();
    expect(before).toBe(sourceHash(dir));
    fs.appendFileSync(path.join(dir, "provider", "index.ts"), "// edited during the build\n");
    const refused = spawnSync(process.execPath, [tool, "write", dir, before], { encoding: "utf8" });
    expect(refused.stderr).toMatch(/sources changed during the build/);
    expect(fs.existsSync(path.join(installedPackageDir(dir), STAMP_FILE))).toBe(false);
    expect(spawnSync(process.execPath, [tool, "write", dir], { encoding: "utf8" }).status).toBe(0);
    expect(() => assertFreshBuild(dir)).not.toThrow();
  });
});
