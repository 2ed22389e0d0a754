import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";

// The boundary of provider/core: cloud-neutral code names no cloud. A module of provider/core
// imports nothing from provider/tencentcloud (or any other cloud's directory), nothing from the
// Tencent Cloud SDK, and names neither TencentCloudApiError nor Tencent at all.
const root = path.join(__dirname, "../../provider");
const core = path.join(root, "core");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : /\.ts$/.test(e.name) ? [p] : [];
  });
}

/** Every module specifier of a file: import/export … from, import(), require(). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  const pattern = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire(?:\.resolve)?\s*\(\s*)["']([^"']+)["']/g;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) found.push(m[1]);
  return found;
}

describe("provider layout", () => {
  const files = sources(core);

  test("provider/core holds the cloud-neutral modules", () => {
    expect(files.map((f) => path.relative(core, f)).sort()).toEqual(
      expect.arrayContaining([
        ...["batcher.ts", "cancellation.ts", "engineLog.ts", "hostHooks.ts", "orphanGuard.ts", "outage.ts", "poller.ts", "rateLimit.ts", "retry.ts"],
        ...["model.ts", "port.ts", "lifecycle.ts", "wait.ts", "drive.ts", "rollback.ts", "teardown.ts", "mutate.ts", "context.ts", "errors.ts"],
      ]),
    );
  });

  test.each(sources(core).map((f) => [path.relative(root, f), f]))("%s names no cloud", (_name, file) => {
    const text = fs.readFileSync(file, "utf8");
    for (const spec of specifiers(text)) {
      expect(spec, `${file} imports ${spec}`).not.toMatch(/tencentcloud/i);
      if (spec.startsWith(".")) {
        const target = path.resolve(path.dirname(file), spec);
        expect(path.relative(core, target).startsWith(".."), `${file} imports ${spec}, outside provider/core`).toBe(false);
      }
    }
    expect(text).not.toMatch(/TencentCloudApiError/);
    expect(text).not.toMatch(/tencent|alibaba|alicloud/i);
    // Nor a cloud's statuses, actions or record fields: those are the backends' (provider/<cloud>/).
    expect(text).not.toMatch(/\b(FAILED_PAUSE|AUTO_PAUSE|MANUAL_PAUSE|RefreshBatchSet|StopInstanceRefresh|SuspendInstanceRefresh|CheckpointPause|RefreshActivityId)\b/);
  });

  test("the check sees a violation", () => {
    expect(specifiers('import { x } from "../tencentcloud/client/errors";\nconst y = require("tencentcloud-sdk-nodejs");')).toEqual([
      "../tencentcloud/client/errors",
      "tencentcloud-sdk-nodejs",
    ]);
  });
});

// The boundary of the emulator: its top-level modules are cloud-neutral (clock, faults, request log,
// rate limit, persistence, admin routing, the HTTP server and the CloudApi seam) and import no cloud's
// folder (emulator/tencentcloud, emulator/alibabacloud). Only the composition may: emulator.ts
// (which also registers the clouds' APIs with the server) and cli.ts (its command line), the public
// entry index.ts (re-exports), and adminClient.ts, the typed client of every admin endpoint (types only).
// A cloud's modules import neutral modules and their own folder, never the composition or another cloud.
// eslint.config.mjs checks the first rule too.
const emulatorRoot = path.join(__dirname, "../../emulator");
const CLOUD_FOLDERS = ["tencentcloud", "alibabacloud"];
const COMPOSITION = ["emulator.ts", "cli.ts", "index.ts"];
const TYPES_ONLY = ["adminClient.ts"];

/** Every module a file imports, with whether the import is type-only. */
function imports(text: string): { spec: string; typeOnly: boolean }[] {
  const found: { spec: string; typeOnly: boolean }[] = [];
  const pattern = /\b(?:import|export)\s+(type\s+)?[\w$*\s{},]*?\bfrom\s*["']([^"']+)["']/g;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) found.push({ spec: m[2], typeOnly: m[1] !== undefined });
  for (const spec of specifiers(text)) if (!found.some((f) => f.spec === spec)) found.push({ spec, typeOnly: false });
  return found;
}

/** The emulator folder a relative import lands in (`""` for the top level), or `undefined` outside the emulator. */
function emulatorFolderOf(file: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const rel = path.relative(emulatorRoot, path.resolve(path.dirname(file), spec));
  if (rel.startsWith("..")) return undefined;
  const parts = rel.split(path.sep);
  return parts.length > 1 ? parts[0] : "";
}

describe("emulator layout", () => {
  const topLevel = fs
    .readdirSync(emulatorRoot)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(emulatorRoot, f));
  const neutral = topLevel.filter((f) => !COMPOSITION.includes(path.basename(f)) && !TYPES_ONLY.includes(path.basename(f)));

  test("emulator/ keeps the cloud-neutral modules and emulator/tencentcloud the Tencent Cloud ones", () => {
    expect(neutral.map((f) => path.basename(f)).sort()).toEqual(
      expect.arrayContaining(["clock.ts", "cloudApi.ts", "context.ts", "control.ts", "eventQueue.ts", "faults.ts", "persistence.ts", "rateLimit.ts", "requestLog.ts", "server.ts", "spawn.ts"]),
    );
    expect(sources(path.join(emulatorRoot, "tencentcloud")).map((f) => path.basename(f))).toEqual(
      expect.arrayContaining(["backend.ts", "cloudApi.ts", "envelope.ts", "errorCodes.ts", "handlers.ts", "params.ts", "signature.ts", "stateMachine.ts", "types.ts", "views.ts"]),
    );
  });

  test.each(neutral.map((f) => [path.relative(emulatorRoot, f), f]))("%s imports no cloud", (_name, file) => {
    for (const { spec } of imports(fs.readFileSync(file, "utf8"))) {
      expect(spec, `${file} imports ${spec}`).not.toMatch(/tencentcloud|alibabacloud/i);
      expect(CLOUD_FOLDERS, `${file} imports ${spec}, a cloud's module`).not.toContain(emulatorFolderOf(file, spec));
      const target = spec.startsWith(".") ? path.basename(spec) : "";
      expect(COMPOSITION.map((c) => c.replace(/\.ts$/, "")), `${file} imports ${spec}, the composition`).not.toContain(target);
    }
  });

  test.each(TYPES_ONLY.map((f) => [f, path.join(emulatorRoot, f)]))("%s imports only types from the clouds", (_name, file) => {
    for (const { spec, typeOnly } of imports(fs.readFileSync(file, "utf8"))) {
      if (CLOUD_FOLDERS.includes(emulatorFolderOf(file, spec) ?? "")) expect(typeOnly, `${file} imports ${spec}`).toBe(true);
    }
  });

  test.each(CLOUD_FOLDERS.flatMap((cloud) => sources(path.join(emulatorRoot, cloud)).map((f) => [path.relative(emulatorRoot, f), cloud, f])))(
    "%s imports neutral modules and its own cloud only",
    (_name, cloud, file) => {
      for (const { spec } of imports(fs.readFileSync(file, "utf8"))) {
        const folder = emulatorFolderOf(file, spec);
        if (folder === undefined) continue;
        expect(["", "fixtures", cloud], `${file} imports ${spec}, another cloud's module`).toContain(folder);
        if (folder === "") expect(COMPOSITION.concat(TYPES_ONLY), `${file} imports ${spec}, the composition`).not.toContain(`${path.basename(spec)}.ts`);
      }
    },
  );

  test("the check sees a violation", () => {
    expect(imports('import type { A } from "./tencentcloud/types";\nimport {\n  B,\n  type C,\n} from "./tencentcloud/backend";\nexport const D = "./x";')).toEqual([
      { spec: "./tencentcloud/types", typeOnly: true },
      { spec: "./tencentcloud/backend", typeOnly: false },
    ]);
    expect(emulatorFolderOf(path.join(emulatorRoot, "server.ts"), "./tencentcloud/cloudApi")).toBe("tencentcloud");
    expect(emulatorFolderOf(path.join(emulatorRoot, "tencentcloud/model.ts"), "../clock")).toBe("");
  });
});
