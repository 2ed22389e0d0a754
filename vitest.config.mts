import { defineConfig } from "vitest/config";

/**
 * Every test file runs in a worker of its own, several at once. The real-CLI files (test/e2e,
 * test/faults/cli, test/smoke) spend their time waiting on `pulumi` processes, not on their worker,
 * and are independent: each has its own emulators (in its worker), work directories, file backends
 * and PULUMI_HOME. So they run side by side with each other and with the unit files — more workers
 * than cores — and their tests run concurrently within a file (`describe.concurrent`), at most
 * `maxConcurrency` at a time.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/.work/**", "node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 4,
    maxConcurrency: 4,
  },
});
