/**
 * `npm run bench`: measures the figures of bench/README.md, prints a table and writes
 * `bench/results.json`.
 *
 *   npm run bench                                   # every figure (under ten minutes)
 *   npm run bench -- --only apiEconomy,latency      # a subset (names below)
 *   npm run bench -- --only apiEconomyEss           # Figure 2 for Alibaba Cloud ESS alone
 *   npm run bench -- --out /tmp/results.json        # somewhere else
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { apiEconomy, apiEconomyEss } from "./apiEconomy";
import { destroyMany } from "./destroyMany";
import { emulatorThroughput } from "./emulatorThroughput";
import { engineOverhead } from "./engineOverhead";
import type { Figure, FigureRunner } from "./figure";
import { latency } from "./latency";
import { gateOverhead } from "./gateOverhead";
import { memory } from "./memory";
import { policyOverhead } from "./policyOverhead";
import { providerSize } from "./providerSize";
import { REPO_ROOT } from "./stack";

/** The figure modules, in the order they run. */
export const FIGURES: Record<string, FigureRunner> = {
  providerSize,
  apiEconomy,
  apiEconomyEss,
  latency,
  engineOverhead,
  policyOverhead,
  emulatorThroughput,
  memory,
  destroyMany,
  gateOverhead,
};

/** Machine description written next to the figures. */
export function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  const pulumi = spawnSync("pulumi", ["version"], { encoding: "utf8" });
  return {
    cpus: cpus.length,
    model: cpus[0]?.model ?? "unknown",
    memoryBytes: os.totalmem(),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    pulumi: pulumi.status === 0 ? pulumi.stdout.trim() : "not found",
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
  };
}

function parseArgs(argv: string[]): { only?: string[]; out: string } {
  let only: string[] | undefined;
  let out = path.join(REPO_ROOT, "bench", "results.json");
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--only" || arg.startsWith("--only=")) {
      const value = arg === "--only" ? argv[++i] : arg.slice("--only=".length);
      only = (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      const unknown = only.filter((n) => !(n in FIGURES));
      if (unknown.length > 0 || only.length === 0) usage(`unknown figure(s): ${unknown.join(", ") || "(none)"}`);
    } else if (arg === "--out") {
      out = path.resolve(argv[++i] ?? usage("--out needs a file"));
    } else if (arg === "--help" || arg === "-h") {
      usage();
    } else {
      usage(`unknown argument ${arg}`);
    }
  }
  return { only, out };
}

function usage(message?: string): never {
  if (message) console.error(`bench: ${message}`);
  console.error(`usage: npm run bench -- [--only ${Object.keys(FIGURES).join(",")}] [--out results.json]`);
  process.exit(2);
}

function table(figures: Figure[]): string {
  const rows = figures.map((f) => [f.name, String(f.value), f.unit, f.goal ?? "", f.met === undefined ? "" : f.met ? "yes" : "NO"]);
  const head = ["figure", "value", "unit", "goal", "met"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

async function main(): Promise<void> {
  const { only, out } = parseArgs(process.argv.slice(2));
  const names = only ?? Object.keys(FIGURES);
  const figures: Figure[] = [];
  const failures: string[] = [];
  const started = Date.now();
  for (const name of names) {
    const t0 = Date.now();
    console.error(`[bench] ${name} …`);
    try {
      const rows = await FIGURES[name]!((line) => console.error(`[bench] ${name}: ${line}`));
      figures.push(...rows);
      console.error(`[bench] ${name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push(`${name}: ${message}`);
      console.error(`[bench] ${name} FAILED after ${((Date.now() - t0) / 1000).toFixed(0)} s: ${message}`);
    }
  }
  const results = { machine: machine(), durationSeconds: Math.round((Date.now() - started) / 1000), figures, ...(failures.length ? { failures } : {}) };
  fs.writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
  console.log(table(figures));
  console.log(`\nwrote ${path.relative(process.cwd(), out) || out} (${results.durationSeconds} s)`);
  for (const f of figures.filter((x) => x.note)) console.log(`\n${f.name}: ${f.note}`);
  if (failures.length > 0) {
    console.error(`\n[bench] ${failures.length} figure(s) failed:\n${failures.join("\n")}`);
    process.exitCode = 1;
  }
}

void main();
