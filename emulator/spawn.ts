/**
 * Runs the emulator's CLI in a child process and waits for its address: for callers that block
 * their own event loop (e.g. tests running `pulumi` synchronously) or that want the emulator to
 * outlive nothing but themselves (the demo).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { EmulatorAdmin } from "./adminClient";

/** How long the child may take to print `listening on …`. */
export const SPAWN_START_TIMEOUT_MS = 15_000;
/** How long `stop()` waits for the child to exit after SIGTERM before SIGKILL. */
export const SPAWN_STOP_TIMEOUT_MS = 5_000;

/** An emulator running in a child process. */
export interface SpawnedEmulator {
  /** `http://HOST:PORT`. */
  url: string;
  /** Admin client for that URL. */
  admin: EmulatorAdmin;
  /** The `node cli.js` child process. */
  child: ChildProcess;
  /** SIGTERM (the emulator flushes its state file), then SIGKILL if it lingers; resolves once it exited. */
  stop(): Promise<void>;
}

/** Options of {@link spawnEmulator}. */
export interface SpawnOptions {
  /** Discard the emulator's stderr instead of passing it through. @default false */
  quiet?: boolean;
  /** The compiled CLI to run. @default the `cli.js` beside this module (i.e. in `dist/emulator`) */
  cliPath?: string;
}

/**
 * Starts `node cli.js --port 0 <args>` and resolves once it is listening.
 * @example const emulator = await spawnEmulator(["--seconds-per-batch", "2"]); … await emulator.stop();
 */
export async function spawnEmulator(args: readonly string[] = [], options: SpawnOptions = {}): Promise<SpawnedEmulator> {
  const cli = options.cliPath ?? path.join(__dirname, "cli.js");
  const child = spawn(process.execPath, [cli, "--port", "0", ...args], {
    stdio: ["ignore", "pipe", options.quiet ? "ignore" : "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the emulator did not report its address within ${SPAWN_START_TIMEOUT_MS} ms`));
    }, SPAWN_START_TIMEOUT_MS);
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with code ${code} before it was listening`));
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), SPAWN_STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  return { url, admin: new EmulatorAdmin(url), child, stop };
}
