/**
 * The hooks on the dynamic-provider host's gRPC server (its own file: they patch the process's
 * grpc-js once), through a real grpc-js server and a real engine `Log` service on loopback.
 */
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { engineLogger } from "../../provider/core/engineLog";
import { currentUrn, engineCancelSignal } from "../../provider/core/hostHooks";

const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdk] }));
const engineServices = require(path.join(sdk, "proto", "engine_grpc_pb.js"));
const engineMessages = require(path.join(sdk, "proto", "engine_pb.js"));
const empty = require("google-protobuf/google/protobuf/empty_pb.js");

const URN = "urn:pulumi:dev::app::pulumi-nodejs:dynamic/tencentcloud:InstanceRefresh::web";

interface GrpcHandler {
  func(call: unknown, callback: (error: unknown, value?: unknown) => void): unknown;
}

/** A grpc-js server with one handler registered at `methodPath`, as the host registers its service. */
function serverWith(methodPath: string, func: GrpcHandler["func"]): { retrieve(p: string): GrpcHandler | null } {
  const server = new grpc.Server();
  server.register(methodPath, func, (v: unknown) => v, (v: unknown) => v, "unary");
  return { retrieve: (p) => server._retrieveHandler(p) };
}

/** Runs the handler the server finds for `methodPath`, as grpc-js runs a unary call, and resolves with its answer. */
function call(server: { retrieve(p: string): GrpcHandler | null }, methodPath: string, urn?: string): Promise<unknown> {
  const handler = server.retrieve(methodPath);
  if (!handler) throw new Error(`no handler for ${methodPath}`);
  return new Promise((resolve, reject) => {
    handler.func({ request: { getUrn: () => urn } }, (error, value) => (error ? reject(error) : resolve(value)));
  });
}

describe("host hooks", () => {
  test("the code behind a Create call knows its URN; nothing else does", async () => {
    engineCancelSignal(); // installs the hooks
    const server = serverWith("/pulumirpc.ResourceProvider/Create", async (_call, callback) => {
      await new Promise((r) => setTimeout(r, 5)); // across an await, as the provider's flows run
      callback(null, currentUrn());
    });
    expect(await call(server, "/pulumirpc.ResourceProvider/Create", URN)).toBe(URN);
    expect(currentUrn()).toBeUndefined();
  });

  test("the engine's Cancel call cancels the process's signal", async () => {
    const signal = engineCancelSignal();
    expect(signal.cancelled).toBe(false);
    const server = serverWith("/pulumirpc.ResourceProvider/Cancel", (_call, callback) => callback(null, {}));
    await call(server, "/pulumirpc.ResourceProvider/Cancel");
    expect(signal.cancelled).toBe(true);
  });
});

describe("engine log", () => {
  const received: Array<{ urn: string; message: string; severity: number }> = [];
  /** How long the fake engine takes over a line, by its text (a real engine takes concurrent lines in any order). */
  const slowLines = new Map<string, number>();
  let address = "";
  let engine: { forceShutdown(): void };

  beforeAll(async () => {
    engine = new grpc.Server();
    (engine as unknown as { addService(s: unknown, impl: unknown): void }).addService(engineServices.EngineService, {
      log: (c: { request: { getUrn(): string; getMessage(): string; getSeverity(): number } }, callback: (e: null, v: unknown) => void) => {
        const line = { urn: c.request.getUrn(), message: c.request.getMessage(), severity: c.request.getSeverity() };
        setTimeout(() => {
          received.push(line);
          callback(null, new empty.Empty());
        }, slowLines.get(line.message) ?? 0);
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      (engine as unknown as { bindAsync(a: string, c: unknown, cb: (e: Error | null, p: number) => void): void }).bindAsync(
        "127.0.0.1:0",
        grpc.ServerCredentials.createInsecure(),
        (e, p) => (e ? reject(e) : resolve(p)),
      ),
    );
    address = `127.0.0.1:${port}`;
  });
  afterAll(() => engine.forceShutdown());

  test("a line written for a resource call goes to the engine's Log with its URN; other lines to the fallback", async () => {
    engineCancelSignal();
    const fallback: string[] = [];
    const log = engineLogger((line) => fallback.push(line), ["node", "dynamic-provider", address]);
    const server = serverWith("/pulumirpc.ResourceProvider/Update", (_call, callback) => {
      log("asg-9dn1a5y6 asr-y67t5r4e: batch 1/3 RUNNING — 0/5 instances done, 0 failed");
      callback(null, {});
    });
    await call(server, "/pulumirpc.ResourceProvider/Update", URN);
    log("not about a resource");
    await log.flush();
    expect(received).toEqual([
      { urn: URN, message: "asg-9dn1a5y6 asr-y67t5r4e: batch 1/3 RUNNING — 0/5 instances done, 0 failed", severity: engineMessages.LogSeverity.INFO },
    ]);
    expect(fallback).toEqual(["not about a resource"]);
  });

  test("lines reach the engine in the order they were written, even when the engine is slow to take one", async () => {
    received.length = 0;
    slowLines.set("asr-y67t5r4e: started", 50);
    const log = engineLogger(() => undefined, ["node", "dynamic-provider", address]);
    const server = serverWith("/pulumirpc.ResourceProvider/Create", (_call, callback) => {
      log("asr-y67t5r4e: started");
      log("asr-y67t5r4e: batch 1/1 SUCCESSFUL");
      callback(null, {});
    });
    await call(server, "/pulumirpc.ResourceProvider/Create", URN);
    await log.flush();
    expect(received.map((line) => line.message)).toEqual(["asr-y67t5r4e: started", "asr-y67t5r4e: batch 1/1 SUCCESSFUL"]);
  });

  test("a line the engine does not take goes to the fallback", async () => {
    const fallback: string[] = [];
    const log = engineLogger((line) => fallback.push(line), ["node", "dynamic-provider", "127.0.0.1:1"]);
    const server = serverWith("/pulumirpc.ResourceProvider/Delete", (_call, callback) => {
      log("asr-y67t5r4e: CANCELLED");
      callback(null, {});
    });
    await call(server, "/pulumirpc.ResourceProvider/Delete", URN);
    await log.flush();
    expect(fallback).toEqual(["asr-y67t5r4e: CANCELLED"]);
  });
});
