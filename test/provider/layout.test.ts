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
