import { defineConfig } from "vitest/config";

/** Unit and integration tests run in parallel; the real-CLI suites (test/e2e) are slow and run one file at a time. */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/.work/**", "node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
