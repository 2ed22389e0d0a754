/**
 * Progress lines attached to the resource they are about. The dynamic-provider host gives a provider
 * no logger: its console output reaches the engine, which shows it under the stack. This logger
 * sends each line to the engine's own `Log` call with the URN of the resource being operated on
 * (`hostHooks.ts`), so `pulumi up` shows it under that InstanceRefresh; without a URN or an engine
 * to talk to, it writes to the console as before.
 */
import { requireFromHostSdk } from "./hostSdk";
import { currentUrn } from "./hostHooks";
import { engineAddress } from "./orphanGuard";

/** How long one line may take to reach the engine before it is written to the fallback instead. */
export const ENGINE_LOG_DEADLINE_MS = 5_000;

/** A progress logger. */
export type Log = (line: string) => void;

/** A logger whose lines may still be on their way to the engine. */
export interface EngineLog extends Log {
  /** Resolves once every line sent so far has been delivered (or written to the fallback). */
  flush(): Promise<void>;
}

/** The parts of the SDK's generated engine client this module uses. */
interface EngineModules {
  readonly client: { log(request: unknown, options: { deadline: number }, callback: (error: Error | null) => void): void };
  readonly request: () => {
    setSeverity(value: number): unknown;
    setMessage(value: string): unknown;
    setUrn(value: string): unknown;
  };
  readonly info: number;
}

/**
 * A logger that attaches each line to the current resource through the engine at `argv`'s engine
 * address, or writes it with `fallback` (lines about no resource, no engine, or a failed send).
 * @example const log = engineLogger(); log("asg-… asr-…: batch 1/3 RUNNING — 0/5 instances done, 0 failed");
 */
export function engineLogger(fallback: Log = (line) => console.log(line), argv: readonly string[] = process.argv): EngineLog {
  let engine: EngineModules | undefined | null;
  // One line at a time: the engine handles concurrent Log calls in any order, and progress must read in order.
  let delivered: Promise<void> = Promise.resolve();
  const log = (line: string): void => {
    const urn = currentUrn();
    if (urn && engine === undefined) engine = connect(argv);
    if (!urn || !engine) return fallback(line);
    const request = engine.request();
    request.setSeverity(engine.info);
    request.setMessage(line);
    request.setUrn(urn);
    const client = engine.client;
    const send = (): Promise<void> =>
      new Promise<void>((resolve) =>
        client.log(request, { deadline: Date.now() + ENGINE_LOG_DEADLINE_MS }, (error) => {
          if (error) fallback(line);
          resolve();
        }),
      );
    delivered = delivered.then(send);
  };
  return Object.assign(log, { flush: () => delivered });
}

/** A client of the engine's gRPC service, from the SDK the host runs; null when there is none. */
function connect(argv: readonly string[]): EngineModules | null {
  const address = engineAddress(argv);
  if (!address) return null;
  try {
    const grpc = requireFromHostSdk<{ credentials: { createInsecure(): unknown } }>("@grpc/grpc-js");
    const services = requireFromHostSdk<{ EngineClient: new (address: string, credentials: unknown) => EngineModules["client"] }>("@pulumi/pulumi/proto/engine_grpc_pb");
    const messages = requireFromHostSdk<{ LogRequest: new () => ReturnType<EngineModules["request"]>; LogSeverity: { INFO: number } }>("@pulumi/pulumi/proto/engine_pb");
    const client = new services.EngineClient(`${address.host}:${address.port}`, grpc.credentials.createInsecure());
    return { client, request: () => new messages.LogRequest(), info: messages.LogSeverity.INFO };
  } catch {
    return null;
  }
}
