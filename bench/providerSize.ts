/**
 * Figure 1 — serialized provider size: bytes of `__provider` per InstanceRefresh in
 * `pulumi stack export`, next to the size of the code it delegates to (this package's dist and the
 * AS module of the SDK), which a by-value serialization would have embedded.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Figure, FigureRunner } from "./figure";
import { PulumiWork, REPO_ROOT, emulatorConfig, groupIds, refreshProgram, seedGroups, startEmulatorProcess } from "./stack";

/** Resources in the measured stack (each carries its own copy of `__provider`). */
export const PROVIDER_SIZE_RESOURCES = 3;
/** Instances per group; batches per refresh. */
export const PROVIDER_SIZE_INSTANCES = 2;
/** Goal: well under 16 KB per resource. */
export const PROVIDER_SIZE_GOAL_BYTES = 16_000;

/** Total bytes of the files below `dir` (0 when missing). */
export function directoryBytes(dir: string, filter: (file: string) => boolean = () => true): number {
  if (!fs.existsSync(dir)) return 0;
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += directoryBytes(full, filter);
    else if (filter(full)) total += fs.statSync(full).size;
  }
  return total;
}

export const providerSize: FigureRunner = async (log) => {
  const emu = await startEmulatorProcess({ secondsPerBatch: 0.5, fixture: false });
  const groups = groupIds(PROVIDER_SIZE_RESOURCES, "s");
  const work = PulumiWork.create("provider-size", refreshProgram({ groupIds: groups, batchNumber: PROVIDER_SIZE_INSTANCES, waitUntil: "started" }));
  try {
    await seedGroups(emu.admin, groups, PROVIDER_SIZE_INSTANCES);
    await work.initStack("bench", emulatorConfig(emu));
    await work.must(["up", "--yes", "--skip-preview"]);
    const state = await work.exportState();
    const sizes = (state.deployment.resources ?? [])
      .filter((r) => r.type === "pulumi-nodejs:dynamic/tencentcloud:InstanceRefresh")
      .map((r) => Buffer.byteLength(String(r.inputs?.__provider ?? "")));
    if (sizes.length !== PROVIDER_SIZE_RESOURCES) throw new Error(`expected ${PROVIDER_SIZE_RESOURCES} InstanceRefresh resources in state, found ${sizes.length}`);
    const perResource = Math.max(...sizes);
    const js = (f: string) => f.endsWith(".js");
    const packageBytes = directoryBytes(path.join(REPO_ROOT, "node_modules", "pulumi-instance-refresh", "dist"), js);
    const sdkAsBytes = directoryBytes(path.join(REPO_ROOT, "node_modules", "tencentcloud-sdk-nodejs", "tencentcloud", "services", "as"), js);
    const sdkCommonBytes = directoryBytes(path.join(REPO_ROOT, "node_modules", "tencentcloud-sdk-nodejs", "tencentcloud", "common"), js);
    log(`__provider: ${sizes.join(", ")} bytes; package dist ${packageBytes} B, SDK as+common ${sdkAsBytes + sdkCommonBytes} B`);
    const figure: Figure = {
      name: "provider-size",
      value: perResource,
      unit: "bytes/resource",
      goal: `< ${PROVIDER_SIZE_GOAL_BYTES} (well under 16 KB)`,
      met: perResource < PROVIDER_SIZE_GOAL_BYTES,
      note:
        `Largest __provider input of ${PROVIDER_SIZE_RESOURCES} InstanceRefresh resources in \`pulumi stack export\` (all ${[...new Set(sizes)].join("/")} B). ` +
        `The shim only require()s pulumi-instance-refresh/dist/provider/host, so it does not grow with the code it delegates to: ` +
        `this package's compiled JS is ${packageBytes} B and the SDK's AS + common modules ${sdkAsBytes + sdkCommonBytes} B.`,
    };
    return [figure];
  } finally {
    work.remove();
    await emu.stop();
  }
};
