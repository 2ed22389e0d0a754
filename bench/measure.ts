/**
 * Measurement helpers shared by the figures: medians, timing, and RSS sampling of processes through
 * `/proc` (Linux only).
 */
import * as fs from "node:fs";

/** How often {@link RssSampler} looks at `/proc`, ms. */
export const RSS_SAMPLE_INTERVAL_MS = 100;

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Runs `fn` and returns its result with the elapsed wall-clock time in ms. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - started };
}

/** Rounds to `digits` decimals (for the results file). */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One field of `/proc/<pid>/status` in bytes (VmRSS, VmHWM…), or undefined when the process is gone. */
export function procStatusBytes(pid: number, field: "VmRSS" | "VmHWM"): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    return undefined;
  }
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(text);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** CPU time (user + system) a process has used so far, ms; undefined when it is gone. */
export function procCpuMs(pid: number): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const ticksPerSecond = 100; // USER_HZ on Linux
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/** The command line of a process, or undefined when it is gone. */
function procCmdline(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return undefined;
  }
}

/** The parent pid of a process, or undefined when it is gone. */
function procParent(pid: number): number | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(text.slice(text.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

/** Is `pid` a (grand…)child of `ancestor`? */
export function isDescendant(pid: number, ancestor: number): boolean {
  for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; hops++) {
    p = procParent(p);
    if (p === ancestor) return true;
  }
  return false;
}

/** Pids of processes whose command line contains every one of `needles` (and, if given, that descend from `ancestor`). */
export function findProcesses(needles: readonly string[], ancestor?: number): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const cmd = procCmdline(pid);
    if (cmd !== undefined && needles.every((n) => cmd.includes(n)) && (ancestor === undefined || isDescendant(pid, ancestor))) pids.push(pid);
  }
  return pids;
}

/**
 * Samples the peak RSS (VmHWM, the kernel's own high-water mark, so short peaks between samples
 * are not missed) of every process whose command line contains all of `needles`, while it runs.
 * @example
 * const sampler = new RssSampler(["dynamic-provider"], () => pulumiPid).start(); ...; const peak = sampler.stop().peakBytes;
 *
 * With `ancestor`, only its descendants count (nothing while it returns undefined), so that other
 * runs on a shared machine are not sampled.
 */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private readonly peaks = new Map<number, number>();

  constructor(
    private readonly needles: readonly string[],
    private readonly ancestor?: () => number | undefined,
    private readonly intervalMs = RSS_SAMPLE_INTERVAL_MS,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  private sample(): void {
    const root = this.ancestor?.();
    if (this.ancestor && root === undefined) return; // not spawned yet
    for (const pid of findProcesses(this.needles, root)) {
      const hwm = procStatusBytes(pid, "VmHWM");
      if (hwm !== undefined) this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, hwm));
    }
  }

  /** Stops sampling; the largest peak of any matching process and how many processes matched. */
  stop(): { peakBytes: number; processes: number } {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    return { peakBytes: Math.max(0, ...this.peaks.values()), processes: this.peaks.size };
  }
}

/** 1234567 → "1.2 MB" (decimal units, as the goals are stated). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
