/**
 * The pack's config as a whole: problems found before any resource is checked (each naming the
 * entry and the key), the shared settings merged into each policy's config, and the guard around
 * `@pulumi/policy`'s own `configure` handler, fed protobuf requests as the engine builds them.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { PolicyPack } from "@pulumi/policy";
import { beforeAll, describe, expect, it } from "vitest";
import {
  GRPC_INVALID_ARGUMENT,
  PolicyPackStartError,
  applySharedConfig,
  checkPackConfig,
  findConfigProblems,
  guardConfigure,
  withConfigGuard,
  type ConfigureHandler,
  type ConfigureRequestMessage,
  type GrpcServerPrototype,
  type PackConfig,
} from "../../policies/packConfig";
import { PACK_NAME, policies } from "../../policies/policies";
import { INSTANCE_REFRESH_TYPE } from "../../policies/resources";
import { GROUP_ID, change, happyProps, urnOf } from "./fakeArgs";

const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
// The grpc-js copy @pulumi/policy itself loads, found as pack.ts finds it.
const grpc = createRequire(require.resolve("@pulumi/policy/server"))("@grpc/grpc-js") as { Server: { prototype: GrpcServerPrototype & { bindAsync: unknown } } };

const SHARED = "instance-refresh-shared-config";
const MIN_BATCHES = "instance-refresh-min-batches";
const PRODUCTION = JSON.parse(readFileSync(join(__dirname, "../../policies/config/production.json"), "utf8")) as Record<string, unknown>;

/** The shipped production config with one change at `entry` (a whole entry, or `entry.key`; `undefined` deletes). */
function production(path: string, value: unknown): Record<string, unknown> {
  const config = structuredClone(PRODUCTION) as Record<string, Record<string, unknown> | string>;
  const [entry, key] = path.split(".");
  if (key === undefined) {
    if (value === undefined) delete config[entry];
    else config[entry] = value as Record<string, unknown>;
  } else {
    const current = config[entry];
    config[entry] = { ...(typeof current === "object" ? current : { enforcementLevel: current }), [key]: value };
  }
  return config;
}

describe("findConfigProblems", () => {
  it("finds nothing in the shipped production config (the baseline below)", () => {
    expect(findConfigProblems(PRODUCTION)).toEqual([]);
  });

  it.each([
    [
      "a misspelt key",
      `${MIN_BATCHES}.minBatchNumbr`,
      3,
      {
        code: "UNKNOWN_KEY",
        policy: MIN_BATCHES,
        key: "minBatchNumbr",
        message: `${MIN_BATCHES}: unknown config key "minBatchNumbr" (did you mean "minBatchNumber"?); allowed: enforcementLevel, minBatchNumber, groupSizes`,
      },
    ],
    [
      "a misspelt key of instance-refresh-production-rollback",
      "instance-refresh-production-rollback.acceptedFailProcess",
      ["AUTO_ROLLBACK"],
      {
        code: "UNKNOWN_KEY",
        policy: "instance-refresh-production-rollback",
        key: "acceptedFailProcess",
        message:
          'instance-refresh-production-rollback: unknown config key "acceptedFailProcess" (did you mean "acceptedFailProcesses"?); ' +
          "allowed: enforcementLevel, productionStackPattern, productionTags, acceptedFailProcesses",
      },
    ],
    [
      "an unknown policy",
      "instance-refresh-min-batch",
      "mandatory",
      expect.objectContaining({
        code: "UNKNOWN_POLICY",
        policy: "instance-refresh-min-batch",
        message: expect.stringMatching(/^unknown policy "instance-refresh-min-batch" \(did you mean "instance-refresh-min-batches"\?\); the policies are instance-refresh-valid-settings, /),
      }),
    ],
    [
      "a pattern that does not compile, in the shared config",
      `${SHARED}.productionStackPattern`,
      "(prod",
      expect.objectContaining({
        code: "INVALID_PATTERN",
        policy: SHARED,
        key: "productionStackPattern",
        message: expect.stringMatching(/^instance-refresh-shared-config: productionStackPattern "\(prod" is not a valid regular expression: /),
      }),
    ],
    [
      "a pattern that does not compile, on the policy",
      "instance-refresh-production-pause.productionStackPattern",
      "[",
      expect.objectContaining({ code: "INVALID_PATTERN", policy: "instance-refresh-production-pause", key: "productionStackPattern" }),
    ],
    ["a pattern that is not a string", `${SHARED}.productionStackPattern`, 5, expect.objectContaining({ code: "INVALID_PATTERN", key: "productionStackPattern" })],
    [
      "an unknown level",
      `${MIN_BATCHES}.enforcementLevel`,
      "strict",
      expect.objectContaining({ code: "UNKNOWN_LEVEL", policy: MIN_BATCHES, message: expect.stringContaining('unknown enforcement level "strict"') }),
    ],
    [
      "settings on all",
      "all",
      { enforcementLevel: "advisory", groupSizes: { [GROUP_ID]: 6 } },
      expect.objectContaining({ code: "ALL_TAKES_A_LEVEL_ONLY", policy: "all", key: "groupSizes", message: expect.stringContaining(SHARED) }),
    ],
    ["a number for an entry", MIN_BATCHES, 3, expect.objectContaining({ code: "NOT_A_LEVEL_OR_OBJECT", policy: MIN_BATCHES })],
    [
      "a policy's key in the shared config",
      `${SHARED}.minBatchNumber`,
      3,
      expect.objectContaining({ code: "UNKNOWN_KEY", policy: SHARED, key: "minBatchNumber" }),
    ],
  ])("names %s", (_what, path, value, expected) => {
    expect(findConfigProblems(production(path, value))).toEqual([expected]);
  });

  it("accepts all with a level only", () => {
    expect(findConfigProblems(production("all", "advisory"))).toEqual([]);
    expect(findConfigProblems(production("all", { enforcementLevel: "advisory" }))).toEqual([]);
  });

  it("suggests nothing for a name far from every known one", () => {
    expect(findConfigProblems(production(`${MIN_BATCHES}.colour`, "blue"))[0].message).not.toContain("did you mean");
  });

  it("refuses a config that is not an object", () => {
    expect(checkPackConfig([])).toEqual(["the policy pack config must be a JSON object keyed by policy name"]);
  });
});

describe("applySharedConfig", () => {
  const engineConfig = (): PackConfig => ({
    // as the engine sends it: every policy's schema defaults, then the file's values
    [SHARED]: { groupSizes: { [GROUP_ID]: 6, "asg-00000002": 2 }, groupsBehindLoadBalancer: ["asg-00000003"], productionStackPattern: "^live$", productionTags: { tier: "gold" } },
    [MIN_BATCHES]: { minBatchNumber: 2, groupSizes: {} },
    "instance-refresh-max-surge": { groupSizes: { "asg-00000002": 3 } },
    "instance-refresh-target-health": { groupsBehindLoadBalancer: ["asg-00000004"] },
    "instance-refresh-production-pause": { productionTags: {}, acceptedBatchPauses: ["FIRST_BATCH_PAUSE"] },
    "instance-refresh-production-rollback": { productionTags: { environment: "production" }, acceptedFailProcesses: ["AUTO_ROLLBACK"] },
    "instance-refresh-fail-process": { discouragedFailProcesses: ["AUTO_CANCEL"] },
  });

  it("gives every policy with groupSizes the shared sizes", () => {
    expect(applySharedConfig(engineConfig())[MIN_BATCHES]).toEqual({ minBatchNumber: 2, groupSizes: { [GROUP_ID]: 6, "asg-00000002": 2 } });
  });

  it("lets a policy's own size of a group win over the shared one", () => {
    expect(applySharedConfig(engineConfig())["instance-refresh-max-surge"].groupSizes).toEqual({ [GROUP_ID]: 6, "asg-00000002": 3 });
  });

  it("adds the shared groups behind a load balancer to the policy's", () => {
    expect(applySharedConfig(engineConfig())["instance-refresh-target-health"].groupsBehindLoadBalancer).toEqual(["asg-00000003", "asg-00000004"]);
  });

  it("takes the shared pattern when the policy sets none, and its own when it does", () => {
    expect(applySharedConfig(engineConfig())["instance-refresh-production-pause"]).toEqual({
      productionStackPattern: "^live$",
      productionTags: { tier: "gold" },
      acceptedBatchPauses: ["FIRST_BATCH_PAUSE"],
    });
    const own = engineConfig();
    own["instance-refresh-production-pause"].productionStackPattern = "^prd";
    expect(applySharedConfig(own)["instance-refresh-production-pause"].productionStackPattern).toBe("^prd");
  });

  it("gives instance-refresh-production-rollback the shared production stacks, its own tags added", () => {
    expect(applySharedConfig(engineConfig())["instance-refresh-production-rollback"]).toEqual({
      productionStackPattern: "^live$",
      productionTags: { tier: "gold", environment: "production" },
      acceptedFailProcesses: ["AUTO_ROLLBACK"],
    });
  });

  it("uses the shared defaults when the shared entry is missing", () => {
    const config = engineConfig();
    delete config[SHARED];
    expect(applySharedConfig(config)["instance-refresh-production-pause"].productionStackPattern).toBe("^(prod|production)(-|$)");
  });

  it("leaves policies without shared fields, and the input, unchanged", () => {
    const config = engineConfig();
    const before = structuredClone(config);
    expect(applySharedConfig(config)["instance-refresh-fail-process"]).toEqual(before["instance-refresh-fail-process"]);
    expect(config).toEqual(before);
  });
});

/** A configure request as the engine builds it: one PolicyConfig per entry, properties as a Struct. */
function configureRequest(config: Record<string, Record<string, unknown>>): ConfigureRequestMessage {
  const request = new analyzerProto.ConfigureAnalyzerRequest();
  for (const [name, properties] of Object.entries(config)) {
    const entry = new analyzerProto.PolicyConfig();
    entry.setEnforcementlevel(analyzerProto.EnforcementLevel.MANDATORY);
    entry.setProperties(Struct.fromJavaScript(properties));
    request.getPolicyconfigMap().set(name, entry);
  }
  return request as ConfigureRequestMessage;
}

function propertiesOf(request: ConfigureRequestMessage): PackConfig {
  const out: PackConfig = {};
  for (const [name, entry] of request.getPolicyconfigMap().entries()) out[name] = entry.getProperties()!.toJavaScript();
  return out;
}

describe("guardConfigure", () => {
  const run = (config: Record<string, Record<string, unknown>>) => {
    const seen: PackConfig[] = [];
    const configure: ConfigureHandler = (call, callback) => {
      seen.push(propertiesOf(call.request));
      callback(null, "configured");
    };
    const results: Array<{ error: Error | null; response?: unknown }> = [];
    guardConfigure(configure, Struct)({ request: configureRequest(config) }, (error, response) => results.push({ error, response }));
    return { seen, result: results[0] };
  };

  it("passes a good config on with the shared settings merged in", () => {
    const { seen, result } = run({ [SHARED]: { groupSizes: { [GROUP_ID]: 6 } }, [MIN_BATCHES]: { minBatchNumber: 3, groupSizes: {} } });
    expect(result).toEqual({ error: null, response: "configured" });
    expect(seen[0][MIN_BATCHES]).toEqual({ minBatchNumber: 3, groupSizes: { [GROUP_ID]: 6 } });
  });

  it("answers a bad config with INVALID_ARGUMENT naming every problem, and never configures", () => {
    const { seen, result } = run({ [MIN_BATCHES]: { minBatchNumbr: 3 }, "instance-refresh-typo": {} });
    expect(seen).toEqual([]);
    expect(result.error).toMatchObject({ code: GRPC_INVALID_ARGUMENT });
    expect(result.error?.message).toContain(`${MIN_BATCHES}: unknown config key "minBatchNumbr"`);
    expect(result.error?.message).toContain('unknown policy "instance-refresh-typo"');
  });
});

describe("withConfigGuard", () => {
  it("wraps the configure handler registered while the pack starts, and restores addService", () => {
    const registered: Array<Record<string, unknown>> = [];
    const original = function (_service: unknown, implementation: Record<string, unknown>) {
      registered.push(implementation);
    };
    const server: GrpcServerPrototype = { addService: original };
    const configure: ConfigureHandler = () => undefined;
    withConfigGuard(server, Struct, () => server.addService("analyzer", { configure, analyze: "kept" }));
    expect(server.addService).toBe(original);
    expect(registered[0].analyze).toBe("kept");
    expect(registered[0].configure).not.toBe(configure);
  });

  it("refuses to start when no configure handler was registered", () => {
    const server: GrpcServerPrototype = { addService: () => undefined };
    expect(() => withConfigGuard(server, Struct, () => server.addService("analyzer", {}))).toThrow(PolicyPackStartError);
  });
});

describe("through @pulumi/policy's own server", () => {
  type Rpc = (call: { request: unknown }, callback: (error: Error | null, response?: unknown) => void) => unknown;
  let implementation: Record<string, Rpc>;

  beforeAll(() => {
    // Start the pack as pack.ts does, but capture the service instead of listening on a port.
    const prototype = grpc.Server.prototype;
    const { addService, bindAsync } = prototype;
    prototype.addService = (_service, impl) => {
      implementation = impl as Record<string, Rpc>;
    };
    prototype.bindAsync = () => undefined;
    try {
      withConfigGuard(prototype, Struct, () => new PolicyPack(PACK_NAME, { policies }));
    } finally {
      Object.assign(prototype, { addService, bindAsync });
    }
  });

  const configure = (config: Record<string, Record<string, unknown>>) =>
    new Promise<Error | null>((resolve) => void implementation.configure({ request: configureRequest(config) }, (error) => resolve(error ?? null)));

  const analyzeStack = (props: Record<string, unknown>) => {
    const resource = new analyzerProto.AnalyzerResource();
    resource.setType(INSTANCE_REFRESH_TYPE);
    resource.setName("web-refresh");
    resource.setUrn(urnOf(INSTANCE_REFRESH_TYPE, "web-refresh"));
    resource.setProperties(Struct.fromJavaScript(props));
    const options = new analyzerProto.AnalyzerResourceOptions();
    options.setProtect(false);
    resource.setOptions(options);
    const request = new analyzerProto.AnalyzeStackRequest();
    request.setResourcesList([resource]);
    return new Promise<string[]>((resolve, reject) =>
      void implementation.analyzeStack({ request }, (error, response) => {
        if (error) return reject(error);
        resolve((response as { getDiagnosticsList(): { getPolicyname(): string }[] }).getDiagnosticsList().map((d) => d.getPolicyname()));
      }),
    );
  };
  const sevenBatches = change(happyProps(), "refreshSettings.rollingUpdateSettings.batchNumber", 7);

  it("the group size set once in the shared config reaches the size checks", async () => {
    expect(await configure({ [SHARED]: { groupSizes: { [GROUP_ID]: 6 } }, "instance-refresh-batch-number-within-group": { groupSizes: {} } })).toBeNull();
    expect(await analyzeStack(sevenBatches)).toContain("instance-refresh-batch-number-within-group");
  });

  it("without it, the size checks have nothing to compare with", async () => {
    expect(await configure({ [SHARED]: { groupSizes: {} }, "instance-refresh-batch-number-within-group": { groupSizes: {} } })).toBeNull();
    expect(await analyzeStack(sevenBatches)).not.toContain("instance-refresh-batch-number-within-group");
  });

  it("a misspelt key fails configure with the key named", async () => {
    const error = await configure({ [MIN_BATCHES]: { minBatchNumbr: 3 } });
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toContain('unknown config key "minBatchNumbr"');
  });
});
