/**
 * What the SDK's dynamic-provider host does not pass on to a provider, observed by wrapping the
 * host's gRPC handler lookup (grpc-js `Server#_retrieveHandler`, a private method checked at run
 * time; where it is missing, nothing is wrapped and both features fall back as described):
 * - the engine's `Cancel` call on the first Ctrl-C, which the host answers with a no-op and which no
 *   signal brings either (the provider process runs in a process group of its own): it cancels
 *   {@link engineCancelSignal}; without the hook, waits end by their own timeouts;
 * - the URN of the resource a `Create` / `Read` / `Update` / `Delete` call is about, which the
 *   dynamic-provider interface leaves out: {@link currentUrn} gives it for the code running on behalf
 *   of that call, so progress lines can be attached to the resource; without the hook, it is undefined.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { requireFromHostSdk } from "./hostSdk";
import { CancelSignal } from "./cancellation";

/** The gRPC method the engine calls on the first Ctrl-C. */
export const CANCEL_METHOD_PATH = "/pulumirpc.ResourceProvider/Cancel";
/** The resource calls whose URN {@link currentUrn} tracks. */
export const RESOURCE_METHOD_PATHS: ReadonlySet<string> = new Set(
  ["Create", "Read", "Update", "Delete"].map((method) => `/pulumirpc.ResourceProvider/${method}`),
);

/** A grpc-js handler, as far as this module uses it. */
interface Handler {
  readonly func: (call: { request?: { getUrn?: () => string } }, ...rest: unknown[]) => unknown;
}

/** The grpc-js server class, as far as this module uses it. */
interface GrpcServerPrototype {
  _retrieveHandler?: (path: string) => Handler | null;
}

const urns = new AsyncLocalStorage<string>();
let signal: CancelSignal | undefined;

/**
 * The process's signal for the engine's `Cancel` call, installing the hooks on first use.
 * @example engineCancelSignal().onCancel(() => console.log("Ctrl-C"));
 */
export function engineCancelSignal(): CancelSignal {
  if (!signal) {
    signal = new CancelSignal();
    installHooks(signal);
  }
  return signal;
}

/**
 * The URN of the resource the engine's current Create / Read / Update / Delete call is about, in
 * code running on behalf of that call (undefined elsewhere, or without the hook).
 * @example currentUrn() // "urn:pulumi:dev::app::pulumi-nodejs:dynamic/<module>:<Type>::web"
 */
export function currentUrn(): string | undefined {
  return urns.getStore();
}

function installHooks(cancel: CancelSignal): void {
  const prototype = grpcServerPrototype();
  const original = prototype?._retrieveHandler;
  if (!prototype || typeof original !== "function") return;
  const wrapped = new WeakMap<Handler, Handler>();
  prototype._retrieveHandler = function (this: unknown, methodPath: string) {
    if (methodPath === CANCEL_METHOD_PATH) cancel.cancel();
    const handler = original.call(this, methodPath);
    if (!handler || !RESOURCE_METHOD_PATHS.has(methodPath)) return handler;
    let withUrn = wrapped.get(handler);
    if (!withUrn) {
      withUrn = {
        ...handler,
        func: (call, ...rest) => {
          const urn = call?.request?.getUrn?.();
          return urn ? urns.run(urn, () => handler.func(call, ...rest)) : handler.func(call, ...rest);
        },
      };
      wrapped.set(handler, withUrn);
    }
    return withUrn;
  };
}

/** The prototype of the grpc-js `Server` that the installed `@pulumi/pulumi` (the host) uses, if any. */
function grpcServerPrototype(): GrpcServerPrototype | undefined {
  try {
    return requireFromHostSdk<{ Server?: { prototype: GrpcServerPrototype } }>("@grpc/grpc-js").Server?.prototype;
  } catch {
    return undefined;
  }
}
