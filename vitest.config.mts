import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";

/**
 * The files that set the suite's length (they drive the real Pulumi CLI), longest first, as measured
 * in a fresh clone (`CI=true bash .ci/run`). vitest's own order, in a clone without its results cache,
 * is "larger files first", which would start the small failure-matrix files (their scenarios live in
 * test/e2e/failureMatrix.ts) last and make them the suite's tail. A long new file belongs here.
 */
export const LONGEST_FILES = [
  "test/dist/install.test.ts",
  "test/e2e/failures-interrupts.test.ts",
  "test/e2e/failures-console.test.ts",
  "test/e2e/lifecycle.test.ts",
  "test/e2e/failures-instances.test.ts",
  "test/faults/cli.test.ts",
  "test/e2e/rollback.test.ts",
  "test/e2e/alicloud.test.ts",
  "test/e2e/gate.test.ts",
  "test/e2e/examples.test.ts",
  "test/policies/cli.test.ts",
  "test/plan/cli.test.ts",
  "test/smoke/cli.test.ts",
  "test/e2e/secrets.test.ts",
] as const;

/** vitest's order, except that {@link LONGEST_FILES} start first, in their order. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const i = LONGEST_FILES.findIndex((file) => spec.moduleId.endsWith(file));
      return i < 0 ? LONGEST_FILES.length : i;
    };
    return [...(await super.sort(files))].sort((a, b) => rank(a) - rank(b));
  }
}

/** Where the tests are, and what is not a test. */
const INCLUDE = ["test/**/*.test.ts"];
const EXCLUDE = ["test/.work/**", "node_modules/**"];

/**
 * The files that each need a worker of their own: the {@link LONGEST_FILES} and guide.test.ts (the
 * files that run the real Pulumi CLI), and hostHooks.test.ts, which fires the process's engine-Cancel
 * signal (`engineCancelSignal()`, one per process, as in the provider host): every later provider of
 * its worker that takes the default signal would find it cancelled.
 */
export const ISOLATED_FILES = [...LONGEST_FILES, "test/dist/guide.test.ts", "test/provider/hostHooks.test.ts"] as const;

/**
 * Two projects, run side by side, several files at once:
 * - `isolated`, the {@link ISOLATED_FILES}, each in a worker of its own. The real-CLI files spend
 *   their time waiting on `pulumi` processes, not on their worker, and are independent: each has
 *   its own emulators (in its worker), work directories, file backends and PULUMI_HOME, and module
 *   state of its own (the failure-matrix files share test/e2e/failureMatrix.ts). So they run side by
 *   side with each other and with the other files — more workers than cores — and their tests run
 *   concurrently within a file (`describe.concurrent`), at most `maxConcurrency` at a time.
 * - `shared`, every other file: workers are reused from file to file (`isolate: false`), as a fresh
 *   worker per file costs about 0.3 CPU-s to start, a third of these files' CPU time. Each of them
 *   starts what it needs (emulators, providers), stops it, and restores what it changes of the
 *   process (environment variables, timers).
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 4,
    maxConcurrency: 4,
    sequence: { sequencer: LongestFirst },
    projects: [
      { extends: true, test: { name: "isolated", include: [...ISOLATED_FILES], exclude: EXCLUDE } },
      { extends: true, test: { name: "shared", include: INCLUDE, exclude: [...EXCLUDE, ...ISOLATED_FILES], isolate: false } },
    ],
  },
});
