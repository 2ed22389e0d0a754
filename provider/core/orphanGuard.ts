/**
 * Ends the provider's host process once the Pulumi engine that started it is gone. The engine
 * starts plugins in process groups of their own (and the `pulumi-resource-pulumi-nodejs` shim does
 * not `exec`), so a killed `pulumi up` leaves its dynamic-provider host running; a waiting
 * InstanceRefresh would go on polling and logging into a closed pipe, and the SDK's host keeps every
 * such error, growing without bound. The refresh itself goes on in the cloud and the next
 * `pulumi up` adopts it (docs/recovery.md), so exiting loses nothing.
 */
import * as net from "node:net";

/** How often the host checks that the engine still listens. */
export const ENGINE_CHECK_INTERVAL_MS = 3000;
/** Time allowed for one check's TCP connection to the engine. */
export const ENGINE_CHECK_TIMEOUT_MS = 2000;
/** Exit code of a host that ended because its engine is gone. */
export const ORPHANED_EXIT_CODE = 3;

/** `host:port` as the engine passes its address to plugins, e.g. `127.0.0.1:41234`. */
const ENGINE_ADDRESS = /^(\[[0-9a-f:]+\]|[\w.-]+):(\d{1,5})$/i;

let installed = false;

/** The engine's address among the process arguments (the dynamic-provider host's first argument). */
export function engineAddress(argv: readonly string[]): { host: string; port: number } | undefined {
  for (const arg of argv.slice(2)) {
    const match = ENGINE_ADDRESS.exec(arg);
    if (match) return { host: match[1].replace(/^\[|\]$/g, ""), port: Number(match[2]) };
  }
  return undefined;
}

/**
 * Installs the guard once per process: exit when the engine's address refuses connections, or
 * when writing progress to stdout/stderr fails with EPIPE.
 * @example guardAgainstOrphaning(); // in the provider's configure
 */
export function guardAgainstOrphaning(proc: NodeJS.Process = process): void {
  if (installed) return;
  installed = true;
  for (const stream of [proc.stdout, proc.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") proc.exit(ORPHANED_EXIT_CODE);
    });
  }
  const engine = engineAddress(proc.argv);
  if (!engine) return;
  setInterval(() => {
    const socket = net.connect({ host: engine.host, port: engine.port, timeout: ENGINE_CHECK_TIMEOUT_MS });
    socket.once("connect", () => socket.destroy());
    socket.once("timeout", () => socket.destroy());
    socket.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNREFUSED") proc.exit(ORPHANED_EXIT_CODE);
    });
  }, ENGINE_CHECK_INTERVAL_MS).unref();
}
