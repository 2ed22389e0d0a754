// Lint configuration: typescript-eslint's recommended rules over every source, plus two type-aware
// rules over the TypeScript sources (typed through tsconfig.json by the project service): a promise
// must be awaited, returned or explicitly voided, and never passed where a void callback is expected.
import tseslint from "typescript-eslint";

/** The rule that keeps emulator/ top level cloud-neutral: no import of a cloud's folder or SDK. */
function noCloudImports({ allowTypeImports }) {
  const group = ["./tencentcloud", "./tencentcloud/**", "./alibabacloud", "./alibabacloud/**", "tencentcloud-sdk-nodejs", "tencentcloud-sdk-nodejs/**"];
  const message = "emulator/ top level is cloud-neutral: move the code into the cloud's folder, or pass it in from emulator.ts (the composition).";
  return ["error", { patterns: [{ group, message, allowTypeImports }] }];
}

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "**/node_modules/**", "test/.work/**", "bench/.work/**", ".pulumi-local/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-require-imports": "off",
    },
  },
  {
    files: ["**/*.ts", "**/*.mts"],
    ignores: ["vitest.config.mts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
    },
  },
  {
    // provider/core is cloud-neutral: no cloud's modules, no cloud SDK (test/provider/layout.test.ts checks the same).
    files: ["provider/core/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/tencentcloud", "**/tencentcloud/**", "tencentcloud-sdk-nodejs", "tencentcloud-sdk-nodejs/**"], message: "provider/core names no cloud: move the code to provider/tencentcloud or inject it." }] },
      ],
    },
  },
  {
    // emulator/ top level is cloud-neutral: no cloud's folder (test/provider/layout.test.ts checks the same). Exempt:
    // the composition (emulator.ts, cli.ts) and the public entry (index.ts); adminClient.ts may import the clouds' types.
    files: ["emulator/*.ts"],
    ignores: ["emulator/emulator.ts", "emulator/cli.ts", "emulator/index.ts", "emulator/adminClient.ts"],
    rules: { "@typescript-eslint/no-restricted-imports": noCloudImports({ allowTypeImports: false }) },
  },
  {
    files: ["emulator/adminClient.ts"],
    rules: { "@typescript-eslint/no-restricted-imports": noCloudImports({ allowTypeImports: true }) },
  },
);
