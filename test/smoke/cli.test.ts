/**
 * Smoke test of the real toolchain: the `pulumi` CLI (engine), this project's Node.js language host
 * (tools/pulumi-language-nodejs), the `@pulumi/pulumi` SDK's program runner, the dynamic-provider
 * plugin and a `@pulumi/policy` pack, all offline against a throwaway file backend.
 *
 * Run: `scripts/with-tools npx vitest run test/smoke`
 */
import * as path from "node:path";
import { beforeAll, describe, expect, test, type TestContext } from "vitest";
import {
  type WorkDir,
  describeResult,
  expectFailure,
  initStack,
  makeWorkDir,
  pulumi,
  pulumiOk,
  requirePulumiCli,
  setConfig,
  stackOutputs,
  writeFiles,
  writeProgram,
} from "../helpers/pulumi";

/** Per-test limit: a handful of CLI commands, each of which starts the engine, node and plugins. */
const TEST_TIMEOUT_MS = 180_000;

/** A dynamic resource whose provider's `create` returns an id and a computed `message`. */
const JS_PROGRAM = `"use strict";
const pulumi = require("@pulumi/pulumi");

const greetingProvider = {
  async create(inputs) {
    return { id: "greeting-" + inputs.name, outs: { ...inputs, message: "hello, " + inputs.name } };
  },
};

class Greeting extends pulumi.dynamic.Resource {
  constructor(name, args, opts) {
    super(greetingProvider, name, { message: undefined, ...args }, opts);
  }
}

const config = new pulumi.Config();
const greeting = new Greeting("greeting", { name: config.require("name"), color: config.get("color") || "blue" });

exports.message = greeting.message;
exports.greetingId = greeting.id;
`;

const TS_PROGRAM = `import * as pulumi from "@pulumi/pulumi";

interface GreetingInputs {
  name: string;
}

const greetingProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: GreetingInputs) {
    return { id: "ts-greeting", outs: { ...inputs, message: \`hello from TypeScript, \${inputs.name}\` } };
  },
};

class Greeting extends pulumi.dynamic.Resource {
  public readonly message!: pulumi.Output<string>;
  constructor(name: string, args: { name: pulumi.Input<string> }) {
    super(greetingProvider, name, { message: undefined, ...args });
  }
}

const greeting = new Greeting("greeting", { name: "ts" });
export const message: pulumi.Output<string> = greeting.message;
`;

/** One mandatory resource policy: dynamic resources must not have `color: "red"`. */
const POLICY_PACK = `"use strict";
const { PolicyPack } = require("@pulumi/policy");

new PolicyPack("smoke-policy", {
  policies: [
    {
      name: "no-red-greetings",
      description: "Greetings must not be red.",
      enforcementLevel: "mandatory",
      validateResource: (args, reportViolation) => {
        if (args.type === "pulumi-nodejs:dynamic:Resource" && args.props.color === "red") {
          reportViolation("smoke policy: red greetings are forbidden");
        }
      },
    },
  ],
});
`;

beforeAll(() => requirePulumiCli());

describe.concurrent("real Pulumi CLI with the project's Node.js language host", () => {
  /** A work directory removed when the test ends (tests of this file run concurrently). */
  const newWork = (ctx: TestContext): WorkDir => {
    const work = makeWorkDir("smoke");
    ctx.onTestFinished(() => work.remove());
    return work;
  };

  test(
    "JavaScript program: up, output, preview without changes, destroy",
    async (ctx) => {
      const work = newWork(ctx);
      writeProgram(work.dir, { name: "smoke-js", files: { "index.js": JS_PROGRAM } });
      await initStack(work, "dev", { plain: { name: "world" } });

      const up = await pulumiOk(work, ["up", "--yes", "--skip-preview"]);
      console.info(`pulumi up (JavaScript program): ${up.durationMs} ms`);
      expect(await stackOutputs(work), describeResult(up)).toEqual({ message: "hello, world", greetingId: "greeting-world" });

      await pulumiOk(work, ["preview", "--expect-no-changes"]);
      await pulumiOk(work, ["destroy", "--yes"]);
      expect(await stackOutputs(work)).toEqual({});
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "TypeScript program (runtime option typescript: true), type-checked by the SDK's runner: up",
    async (ctx) => {
      const work = newWork(ctx);
      writeProgram(work.dir, {
        name: "smoke-ts",
        files: { "index.ts": TS_PROGRAM },
        runtimeOptions: { typescript: true },
      });
      await initStack(work, "dev");
      // The examples run transpile-only (tsc checks them); this one keeps the runner's default, a type-check.
      const up = await pulumiOk(work, ["up", "--yes", "--skip-preview"], { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "false" } });
      console.info(`pulumi up (TypeScript program): ${up.durationMs} ms`);
      expect(await stackOutputs(work), describeResult(up)).toEqual({ message: "hello from TypeScript, ts" });
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "a type error in a TypeScript program fails `pulumi preview` with the compiler's message",
    async (ctx) => {
      const work = newWork(ctx);
      writeProgram(work.dir, {
        name: "smoke-ts-error",
        files: { "index.ts": 'const n: number = "not a number";\nexport const value = n;\n' },
        runtimeOptions: { typescript: true },
      });
      await initStack(work, "dev");
      const preview = expectFailure(await pulumi(work, ["preview"], { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "false" } }));
      expect(preview.stdout + preview.stderr, describeResult(preview)).toMatch(/TS2322: Type 'string' is not assignable to type 'number'/);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "policy pack gates preview: a violation fails it, a compliant program passes",
    async (ctx) => {
      const work = newWork(ctx);
      const program = path.join(work.dir, "program");
      const pack = path.join(work.dir, "policy");
      writeProgram(program, { name: "smoke-policy-target", files: { "index.js": JS_PROGRAM } });
      writeFiles(pack, {
        "PulumiPolicy.yaml": "runtime: nodejs\ndescription: Smoke-test policy pack.\n",
        "package.json": JSON.stringify({ name: "smoke-policy", version: "0.0.1", main: "index.js" }, null, 2),
        "index.js": POLICY_PACK,
      });
      const inProgram = { cwd: program };
      await initStack(work, "dev", { plain: { name: "policy", color: "red" } }, inProgram);

      const violating = expectFailure(await pulumi(work, ["preview", "--policy-pack", pack], inProgram));
      expect(violating.stdout + violating.stderr, describeResult(violating)).toContain("smoke policy: red greetings are forbidden");

      await setConfig(work, { plain: { color: "green" } }, inProgram);
      const compliant = await pulumiOk(work, ["preview", "--policy-pack", pack], inProgram);
      expect(compliant.stdout, describeResult(compliant)).toContain("smoke-policy");
    },
    TEST_TIMEOUT_MS,
  );
});
