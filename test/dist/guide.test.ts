/**
 * The offline-testing guide (docs/testing-offline.md) is an example that runs: examples/offline-test,
 * copied into a work directory, passes its own tests (`node --test`) with the real Pulumi CLI, against
 * the installed package (node_modules/pulumi-instance-refresh, as scripts/build.sh installs it); and
 * every JavaScript excerpt of the guide is a piece of that example, word for word. (The guide's shell
 * recipe for the `instance-refresh-emulator` bin runs in test/dist/install.test.ts, on the package
 * installed from its tarball.)
 *
 * Run: `scripts/with-tools npx vitest run test/dist/guide.test.ts`
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWorkDir, REPO_ROOT, requirePulumiCli, type WorkDir } from "../helpers/pulumi";
import { codeBlocks, ok, run } from "./support";

const EXAMPLE = path.join(REPO_ROOT, "examples", "offline-test");
const GUIDE_FILE = path.join(REPO_ROOT, "docs", "testing-offline.md");
/** Two `pulumi up` of a TypeScript program and a few quick commands. */
const EXAMPLE_TIMEOUT_MS = 180_000;

/** Lines without their indentation, blank lines dropped: excerpts may be indented differently. */
const normalize = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join("\n");

describe("docs/testing-offline.md", () => {
  let work: WorkDir;

  beforeAll(() => {
    requirePulumiCli();
    work = makeWorkDir("guide");
    for (const f of fs.readdirSync(EXAMPLE)) fs.copyFileSync(path.join(EXAMPLE, f), path.join(work.dir, f));
  });
  afterAll(() => work?.remove());

  it(
    "its example, examples/offline-test, passes its own tests on the emulator",
    async () => {
      const result = ok(await run(process.execPath, ["--test"], { cwd: work.dir, env: work.env, timeoutMs: EXAMPLE_TIMEOUT_MS }));
      expect(result.stdout).toMatch(/^# pass 2$/m);
      expect(result.stdout).toMatch(/^# fail 0$/m);
      // `stack rm` in its after() hook takes the stack's config file with it.
      expect(fs.readdirSync(work.dir).filter((f) => f.startsWith("Pulumi.") && f !== "Pulumi.yaml")).toEqual([]);
    },
    EXAMPLE_TIMEOUT_MS,
  );

  it("quotes the example word for word", () => {
    const guide = fs.readFileSync(GUIDE_FILE, "utf8");
    const example = normalize(fs.readFileSync(path.join(EXAMPLE, "stack.test.mjs"), "utf8"));
    const excerpts = codeBlocks(guide).filter((b) => b.lang === "js");
    expect(excerpts.length).toBeGreaterThanOrEqual(6);
    for (const excerpt of excerpts) expect(example, "a js block of the guide").toContain(normalize(excerpt.text));
  });

  it("links to files that exist", () => {
    const guide = fs.readFileSync(GUIDE_FILE, "utf8");
    const links = [...guide.matchAll(/\]\((\.\.\/[^)#]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => !fs.existsSync(path.resolve(path.dirname(GUIDE_FILE), l)))).toEqual([]);
  });
});
