/**
 * Ctrl-C during `pulumi up`: the engine asks every provider to stop with the gRPC `Cancel` call, but
 * the SDK's dynamic-provider host answers it with a no-op and the provider process runs in a process
 * group of its own, so no signal reaches it either. This module observes the engine's `Cancel` by
 * wrapping the host's gRPC handler lookup, and turns it into a {@link CancelSignal} that the flows'
 * waits listen to: they stop at once, and the resource is recorded with its current status.
 */
import * as path from "node:path";

/** The gRPC method the engine calls on the first Ctrl-C. */
export const CANCEL_METHOD_PATH = "/pulumirpc.ResourceProvider/Cancel";

/**
 * A one-way switch: once cancelled, it stays cancelled and tells every listener once.
 * @example
 * const signal = new CancelSignal();
 * signal.onCancel(() => console.log("stop"));
 * signal.cancel(); // logs "stop"
 */
export class CancelSignal {
  private listeners = new Set<() => void>();
  private done = false;

  /** True after {@link cancel}. */
  get cancelled(): boolean {
    return this.done;
  }

  /** Cancels and tells every listener; later calls do nothing. */
  cancel(): void {
    if (this.done) return;
    this.done = true;
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }

  /** Calls `listener` on cancel (at once when already cancelled); returns a function that unregisters it. */
  onCancel(listener: () => void): () => void {
    if (this.done) {
      listener();
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The grpc-js server class, as far as this module uses it (a private method, checked at run time). */
interface GrpcServerPrototype {
  _retrieveHandler?: (path: string) => unknown;
}

let engineSignal: CancelSignal | undefined;

/**
 * The process's signal for the engine's `Cancel` call, installing the hook on first use. Where the
 * hook cannot be installed (no dynamic-provider host in this process, or a grpc-js without the
 * handler lookup it wraps) the signal simply never fires, and waits end by their own timeouts.
 * @example const signal = engineCancelSignal(); signal.onCancel(() => abortWaits());
 */
export function engineCancelSignal(): CancelSignal {
  if (engineSignal) return engineSignal;
  const signal = (engineSignal = new CancelSignal());
  const prototype = grpcServerPrototype();
  const original = prototype?._retrieveHandler;
  if (prototype && typeof original === "function") {
    prototype._retrieveHandler = function (this: unknown, methodPath: string) {
      if (methodPath === CANCEL_METHOD_PATH) signal.cancel();
      return original.call(this, methodPath);
    };
  }
  return signal;
}

/** The prototype of the grpc-js `Server` that the installed `@pulumi/pulumi` (the host) uses, if any. */
function grpcServerPrototype(): GrpcServerPrototype | undefined {
  try {
    const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdk] })) as { Server?: { prototype: GrpcServerPrototype } };
    return grpc.Server?.prototype;
  } catch {
    return undefined;
  }
}
