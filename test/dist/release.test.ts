/**
 * The release workflow example (examples/release/release.yml), the CHANGELOG and the supported
 * versions the README and the CHANGELOG state: the workflow is valid YAML that, on a version tag,
 * checks the tag, runs the tests, packs and publishes with provenance, in that order; its version
 * check (run here with bash) accepts the right tag and refuses a wrong one; the CLI it installs and the
 * versions the documents claim as tested are the ones this repository builds and tests with.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/pulumi";
import { npmEnv, run, section } from "./support";

// js-yaml comes with @pulumi/pulumi (a dependency of its own); no types are installed for it.
const yaml = require("js-yaml") as { load(text: string): unknown };

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Workflow {
  on: { push: { tags: string[] } };
  permissions: Record<string, string>;
  jobs: Record<string, { permissions: Record<string, string>; steps: Step[] }>;
}

const read = (f: string) => fs.readFileSync(path.join(REPO_ROOT, f), "utf8");
const pkg = JSON.parse(read("package.json")) as {
  version: string;
  engines: { node: string };
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const workflow = yaml.load(read("examples/release/release.yml")) as Workflow;
const steps = Object.values(workflow.jobs)[0]!.steps;
const stepIndex = (pattern: RegExp) => steps.findIndex((s) => pattern.test(s.run ?? s.uses ?? ""));
/** The Pulumi CLI this repository builds and tests with (scripts/lib/tools.sh). */
const CLI_VERSION = /^readonly PIR_PULUMI_CLI_VERSION=(\S+)$/m.exec(read("scripts/lib/tools.sh"))![1]!;

describe("release workflow (examples/release/release.yml)", () => {
  it("runs on version tags only, with the permissions provenance needs", () => {
    expect(workflow.on).toEqual({ push: { tags: ["v*.*.*"] } });
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(Object.values(workflow.jobs)[0]!.permissions).toEqual({ contents: "read", "id-token": "write" });
  });

  it("checks the tag, installs, tests, packs and publishes that tarball with provenance, in that order", () => {
    const order = [/Check that the tag/, /^npm ci$/, /^npm test$/, /^npm pack\b/, /^npm publish "\.\/pulumi-instance-refresh-\$VERSION\.tgz" --provenance --access public$/];
    const indexes = order.map((p) => steps.findIndex((s) => p.test(s.name ?? "") || p.test((s.run ?? "").trim())));
    expect(indexes.every((i) => i >= 0), JSON.stringify(indexes)).toBe(true);
    expect([...indexes].sort((a, b) => a - b)).toEqual(indexes);
    expect(steps[indexes[4]!]!.env).toEqual({ NODE_AUTH_TOKEN: "${{ secrets.NPM_TOKEN }}" });
    // The release also runs the install test's git-URL route, which every `npm test` skips.
    expect(steps[indexes[2]!]!.env).toEqual({ PIR_TEST_GIT_INSTALL: "1" });
  });

  it("tests with the Node.js and Pulumi CLI versions this repository is tested with", () => {
    expect(steps[stepIndex(/^actions\/setup-node@/)]!.with).toMatchObject({ "node-version": 22, "registry-url": "https://registry.npmjs.org" });
    expect(pkg.engines.node).toBe(">=22");
    expect(steps[stepIndex(/^pulumi\/actions@/)]!.with).toEqual({ "pulumi-version": CLI_VERSION });
    expect(pkg.devDependencies["@pulumi/pulumi"]).toBe(CLI_VERSION);
  });

  it("publishes only when the tag names package.json's version, CHANGELOG.md has a section for it and package.json names the repository", async () => {
    const check = steps.find((s) => /Check that the tag/.test(s.name ?? ""))!.run!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pir-release-"));
    try {
      const repository = "example/pulumi-instance-refresh";
      const manifest = JSON.parse(read("package.json")) as Record<string, unknown>;
      const writeManifest = (extra: Record<string, unknown>) => fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...manifest, ...extra }));
      writeManifest({ repository: { type: "git", url: `git+https://github.com/${repository}.git` } });
      fs.copyFileSync(path.join(REPO_ROOT, "CHANGELOG.md"), path.join(dir, "CHANGELOG.md"));
      const githubEnv = path.join(dir, "github-env");
      const runCheck = (tag: string) =>
        run("bash", ["-e", "-c", check], { cwd: dir, env: npmEnv({ GITHUB_REF_NAME: tag, GITHUB_ENV: githubEnv, GITHUB_REPOSITORY: repository }) });

      const right = await runCheck(`v${pkg.version}`);
      expect(right.status, right.stdout + right.stderr).toBe(0);
      expect(fs.readFileSync(githubEnv, "utf8")).toBe(`VERSION=${pkg.version}\n`);

      const wrong = await runCheck("v9.9.9");
      expect(wrong.status).toBe(1);
      expect(wrong.stdout).toContain(`::error::the tag is v9.9.9 but package.json has version ${pkg.version}`);

      // This repository's package.json has no repository yet (its URL is not known here): a release
      // stops at this check until it has one.
      writeManifest({ repository: manifest.repository });
      const unnamed = await runCheck(`v${pkg.version}`);
      expect(unnamed.status).toBe(1);
      expect(unnamed.stdout).toContain(`provenance needs https://github.com/${repository}`);

      fs.writeFileSync(path.join(dir, "CHANGELOG.md"), "# Changelog\n");
      const undocumented = await runCheck(`v${pkg.version}`);
      expect(undocumented.status).toBe(1);
      expect(undocumented.stdout).toContain(`::error::CHANGELOG.md has no section for ${pkg.version}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("CHANGELOG.md and the supported versions", () => {
  const changelog = read("CHANGELOG.md");

  it("starts at this version", () => {
    const versions = [...changelog.matchAll(/^## \[([^\]]+)\]/gm)].map((m) => m[1]);
    expect(versions[0]).toBe(pkg.version);
  });

  it("states as tested exactly the versions this repository tests with, and the ranges package.json accepts", () => {
    const table = section(changelog, "### Supported versions");
    const row = (name: string) => table.split("\n").find((l) => l.startsWith(`| ${name} |`));
    expect(row("Node.js")).toBe(`| Node.js | 22 | \`${pkg.engines.node}\` (\`engines\`) |`);
    expect(row("`@pulumi/pulumi`")).toBe(`| \`@pulumi/pulumi\` | ${pkg.devDependencies["@pulumi/pulumi"]} | \`${pkg.peerDependencies["@pulumi/pulumi"]}\` (peer dependency) |`);
    expect(row("`@pulumi/policy`")).toBe(
      `| \`@pulumi/policy\` | ${pkg.devDependencies["@pulumi/policy"]} | \`${pkg.peerDependencies["@pulumi/policy"]}\` (optional peer dependency, for the policy pack) |`,
    );
    expect(row("Pulumi CLI")).toBe(`| Pulumi CLI | v${CLI_VERSION} | — |`);
  });

  it("agrees with the README's install section", () => {
    const install = section(read("README.md"), "### Install").replace(/\s+/g, " ");
    expect(install).toContain(
      `Tested with \`@pulumi/pulumi\` ${pkg.devDependencies["@pulumi/pulumi"]}, \`@pulumi/policy\` ${pkg.devDependencies["@pulumi/policy"]}, ` +
        `the Pulumi CLI v${CLI_VERSION} and Node.js 22`,
    );
  });
});
