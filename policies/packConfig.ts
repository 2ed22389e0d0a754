/**
 * The pack's config as a whole, checked before any resource is: the engine validates each policy's
 * config against its schema, but accepts keys a schema does not declare (`minBatchNumbr: 3`) and
 * passes entries of unknown policy names to the pack untouched. So the pack wraps `@pulumi/policy`'s
 * `configure` handler ({@link withConfigGuard}): the engine's configure request is checked
 * ({@link findConfigProblems}: unknown policies, unknown keys, bad patterns, each named) and refused
 * with every problem — `pulumi preview` then stops before the first resource — or the shared
 * settings of `instance-refresh-shared-config` are merged into each policy's config
 * ({@link applySharedConfig}) and the request goes on to `@pulumi/policy`.
 *
 * {@link checkPackConfig} runs the same checks on a config file's content.
 */
import type { Policies, PolicyConfigSchema } from "@pulumi/policy";
import { CONFIG_DEFAULTS, PolicyConfigError, patternProblem, type ConfigProblem, type SharedConfig } from "./config";
import { ALL_POLICIES, isEnforcementLevel, policies } from "./policies";
import { SHARED_CONFIG_POLICY } from "./sharedConfig";

/** The key of every entry that the engine owns (not a policy's config field). */
export const ENFORCEMENT_LEVEL_KEY = "enforcementLevel";
/** Config keys whose value is a JavaScript regular expression, checked by compiling it. */
export const PATTERN_KEYS: readonly string[] = ["productionStackPattern"];
/** A name or key this close (in edits) to a known one is suggested in the message. */
export const MAX_SUGGESTION_DISTANCE = 3;
/** gRPC status `INVALID_ARGUMENT`, the answer to a `configure` request with a bad config. */
export const GRPC_INVALID_ARGUMENT = 3;

/**
 * How each shared setting combines with a policy's own field of the same name: `merge` (objects:
 * the policy's entries win key by key), `union` (lists), `fallback` (the policy's value when set).
 */
export const SHARED_FIELDS: Readonly<Record<keyof SharedConfig, "merge" | "union" | "fallback">> = {
  groupSizes: "merge",
  groupsBehindLoadBalancer: "union",
  productionStackPattern: "fallback",
  productionTags: "merge",
};

/** A whole pack config: entry name (policy or `all`) → its config fields (without the enforcement level). */
export type PackConfig = Record<string, Record<string, unknown>>;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** ` (did you mean "x"?)` for the closest known name within {@link MAX_SUGGESTION_DISTANCE}, else "". */
function suggestion(given: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = MAX_SUGGESTION_DISTANCE + 1;
  for (const name of known) {
    const d = distance(given.toLowerCase(), name.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best === undefined ? "" : ` (did you mean "${best}"?)`;
}

function schemaKeys(schema: PolicyConfigSchema | undefined): string[] {
  return Object.keys(schema?.properties ?? {});
}

/**
 * Every problem of a pack config, each naming the entry and the key: not an object, unknown policy
 * names, unknown enforcement levels, config keys the policy does not declare (with the allowed
 * ones), `all` with anything but a level, and patterns that do not compile. Takes the
 * `--policy-pack-config` file's content (levels as strings or in `enforcementLevel`) or the config
 * as the engine sends it. Empty when the config is fine.
 * @example findConfigProblems({ "instance-refresh-min-batches": { minBatchNumbr: 3 } })[0].code // "UNKNOWN_KEY"
 */
export function findConfigProblems(config: unknown, list: Policies = policies): ConfigProblem[] {
  if (!isObject(config)) return [{ code: "NOT_AN_OBJECT", message: "the policy pack config must be a JSON object keyed by policy name" }];
  const schemas = new Map<string, PolicyConfigSchema | undefined>(list.map((p) => [p.name, p.configSchema]));
  const names = [...schemas.keys()];
  const problems: ConfigProblem[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (name !== ALL_POLICIES && !schemas.has(name)) {
      problems.push({
        code: "UNKNOWN_POLICY",
        policy: name,
        message:
          `unknown policy "${name}"${suggestion(name, names)}; ` +
          `the policies are ${names.join(", ")} (or "${ALL_POLICIES}" for every policy's level)`,
      });
      continue;
    }
    if (typeof value === "string") {
      if (!isEnforcementLevel(value)) problems.push(levelProblem(name, value));
      continue;
    }
    if (!isObject(value)) {
      problems.push({ code: "NOT_A_LEVEL_OR_OBJECT", policy: name, message: `${name}: must be an enforcement level or an object, got ${JSON.stringify(value)}` });
      continue;
    }
    const allowed = name === ALL_POLICIES ? [] : schemaKeys(schemas.get(name));
    for (const [key, setting] of Object.entries(value)) {
      if (key === ENFORCEMENT_LEVEL_KEY) {
        if (!isEnforcementLevel(setting)) problems.push(levelProblem(name, setting));
      } else if (name === ALL_POLICIES) {
        problems.push({
          code: "ALL_TAKES_A_LEVEL_ONLY",
          policy: name,
          key,
          message: `${name}: takes only ${ENFORCEMENT_LEVEL_KEY}, got key "${key}"; settings every policy shares go in "${SHARED_CONFIG_POLICY}"`,
        });
      } else if (!allowed.includes(key)) {
        problems.push({
          code: "UNKNOWN_KEY",
          policy: name,
          key,
          message: `${name}: unknown config key "${key}"${suggestion(key, allowed)}; allowed: ${[ENFORCEMENT_LEVEL_KEY, ...allowed].join(", ")}`,
        });
      } else if (PATTERN_KEYS.includes(key)) {
        const problem = patternProblem(name, key, setting);
        if (problem) problems.push(problem);
      }
    }
  }
  return problems;
}

function levelProblem(name: string, level: unknown): ConfigProblem {
  return {
    code: "UNKNOWN_LEVEL",
    policy: name,
    key: ENFORCEMENT_LEVEL_KEY,
    message: `${name}: unknown enforcement level ${JSON.stringify(level)}; one of advisory, mandatory, remediate, disabled`,
  };
}

/**
 * The problems of a `--policy-pack-config` file's content, as messages (empty when it is fine).
 * @example checkPackConfig({ "instance-refresh-min-batches": { minBatchNumber: 3 } }) // []
 */
export function checkPackConfig(config: unknown, list: Policies = policies): string[] {
  return findConfigProblems(config, list).map((problem) => problem.message);
}

/**
 * Each policy's config with the shared settings merged in (see {@link SHARED_FIELDS}); entries are
 * copied, never changed in place. The shared entry's missing fields take their defaults.
 * @example applySharedConfig({ "instance-refresh-shared-config": { groupSizes: { "asg-9dn1a5y6": 5 } }, "instance-refresh-max-surge": { groupSizes: {} } })["instance-refresh-max-surge"].groupSizes // { "asg-9dn1a5y6": 5 }
 */
export function applySharedConfig(config: PackConfig, list: Policies = policies): PackConfig {
  const shared: Json = { ...CONFIG_DEFAULTS.sharedConfig };
  for (const [key, value] of Object.entries(config[SHARED_CONFIG_POLICY] ?? {})) if (value !== undefined && value !== null) shared[key] = value;
  const result: PackConfig = { ...config };
  for (const policy of list) {
    const own = config[policy.name];
    if (policy.name === SHARED_CONFIG_POLICY || own === undefined) continue;
    const merged: Json = { ...own };
    for (const key of schemaKeys(policy.configSchema)) {
      if (!Object.prototype.hasOwnProperty.call(SHARED_FIELDS, key)) continue;
      const mine = own[key];
      const common = shared[key];
      switch (SHARED_FIELDS[key as keyof SharedConfig]) {
        case "merge":
          merged[key] = { ...(isObject(common) ? common : {}), ...(isObject(mine) ? mine : {}) };
          break;
        case "union":
          merged[key] = [...new Set([...(Array.isArray(common) ? common : []), ...(Array.isArray(mine) ? mine : [])])];
          break;
        case "fallback":
          merged[key] = mine ?? common;
          break;
      }
    }
    result[policy.name] = merged;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// The engine's configure request (protobuf objects of @pulumi/pulumi/proto/analyzer_pb)

/** A `google.protobuf.Struct` message. */
export interface StructMessage {
  toJavaScript(): Json;
}
/** The `Struct` class, to build a message from plain data. */
export interface StructClass {
  fromJavaScript(value: Json): StructMessage;
}
/** One `PolicyConfig` of a configure request. */
export interface PolicyConfigMessage {
  getProperties(): StructMessage | undefined;
  setProperties(value: StructMessage): unknown;
}
/** A `ConfigureAnalyzerRequest`. */
export interface ConfigureRequestMessage {
  getPolicyconfigMap(): { entries(): Iterable<[string, PolicyConfigMessage]> };
}
/** A gRPC unary handler, as `@pulumi/policy` registers `configure`. */
export type ConfigureHandler = (call: { request: ConfigureRequestMessage }, callback: (error: Error | null, response?: unknown) => void) => unknown;

/** The config fields of each entry of a configure request. */
export function readConfigureRequest(request: ConfigureRequestMessage): PackConfig {
  const config: PackConfig = {};
  for (const [name, entry] of request.getPolicyconfigMap().entries()) config[name] = entry.getProperties()?.toJavaScript() ?? {};
  return config;
}

/** Replaces the config fields of the request's entries that `config` has (entries are never added). */
export function writeConfigureRequest(request: ConfigureRequestMessage, config: PackConfig, Struct: StructClass): void {
  for (const [name, entry] of request.getPolicyconfigMap().entries()) {
    if (config[name] !== undefined) entry.setProperties(Struct.fromJavaScript(config[name]));
  }
}

/**
 * Wraps `configure`: a config with problems is answered with gRPC INVALID_ARGUMENT and a
 * {@link PolicyConfigError}'s message (the engine stops with it before checking any resource); a
 * good one gets the shared settings merged in, then goes to `configure`.
 */
export function guardConfigure(configure: ConfigureHandler, Struct: StructClass, list: Policies = policies): ConfigureHandler {
  return (call, callback) => {
    try {
      const config = readConfigureRequest(call.request);
      const problems = findConfigProblems(config, list);
      if (problems.length > 0) throw new PolicyConfigError(problems);
      writeConfigureRequest(call.request, applySharedConfig(config, list), Struct);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      callback(Object.assign(new Error(message), { code: GRPC_INVALID_ARGUMENT, details: message }));
      return undefined;
    }
    return configure(call, callback);
  };
}

/** The pack cannot run as tested: `@pulumi/policy` does not serve the way {@link withConfigGuard} expects. */
export class PolicyPackStartError extends Error {
  /** Always `CONFIG_GUARD_NOT_INSTALLED`. */
  readonly code = "CONFIG_GUARD_NOT_INSTALLED";

  constructor(message: string) {
    super(message);
    this.name = "PolicyPackStartError";
  }
}

/** What {@link withConfigGuard} patches: `grpc.Server.prototype` of the grpc-js copy `@pulumi/policy` uses. */
export interface GrpcServerPrototype {
  addService(service: unknown, implementation: Record<string, unknown>): void;
}

/**
 * Runs `start` (which builds the `PolicyPack`, whose constructor registers the analyzer service
 * synchronously) with `server.addService` wrapping the service's `configure` in
 * {@link guardConfigure}; restores `addService` afterwards.
 * @throws PolicyPackStartError when no `configure` handler was registered: the pack would run without its config
 *   checks and shared settings, so it refuses to start.
 * @example withConfigGuard(grpc.Server.prototype, Struct, () => new PolicyPack(PACK_NAME, { policies }));
 */
export function withConfigGuard<T>(server: GrpcServerPrototype, Struct: StructClass, start: () => T, list: Policies = policies): T {
  const original = server.addService;
  let guarded = false;
  server.addService = function (this: unknown, service: unknown, implementation: Record<string, unknown>) {
    const configure = implementation?.configure;
    if (typeof configure === "function") {
      guarded = true;
      return original.call(this, service, { ...implementation, configure: guardConfigure(configure as ConfigureHandler, Struct, list) });
    }
    return original.call(this, service, implementation);
  };
  let result: T;
  try {
    result = start();
  } finally {
    server.addService = original;
  }
  if (!guarded) {
    throw new PolicyPackStartError(
      "instance-refresh-safety: @pulumi/policy registered no `configure` handler, so the pack cannot check its config " +
        "or apply instance-refresh-shared-config; use @pulumi/policy 1.21 (the version this pack is tested with)",
    );
  }
  return result;
}
