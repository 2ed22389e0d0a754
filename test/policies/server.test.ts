/**
 * The pack's policies run by `@pulumi/policy`'s own analyzer service (the functions `new PolicyPack`
 * serves over gRPC), fed protobuf requests as the engine sends them: unknown values arrive as the
 * engine's sentinels, config is the schema-free default, violations come back as diagnostics.
 */
import { describe, expect, it } from "vitest";
import { policies, PACK_NAME } from "../../policies/policies";
import { INSTANCE_REFRESH_TYPE, SCALING_GROUP_TYPE } from "../../policies/resources";
import { GROUP_ID, UNKNOWN_VALUE, change, happyProps, scalingGroupProps, urnOf } from "./fakeArgs";

const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const server = require("@pulumi/policy/server");

interface Diagnostic {
  policy: string;
  level: number;
  message: string;
  urn: string;
}

const MANDATORY = analyzerProto.EnforcementLevel.MANDATORY;
const ADVISORY = analyzerProto.EnforcementLevel.ADVISORY;

function options() {
  const opts = new analyzerProto.AnalyzerResourceOptions();
  opts.setProtect(false);
  return opts;
}

function call<R>(rpc: (call: unknown, callback: (err: unknown, res: R) => void) => void, request: unknown): Promise<Diagnostic[]> {
  return new Promise((resolve, reject) => {
    rpc({ request }, (err, res) => {
      if (err) return reject(err);
      const list = (res as { getDiagnosticsList(): { getPolicyname(): string; getEnforcementlevel(): number; getMessage(): string; getUrn(): string }[] })
        .getDiagnosticsList()
        .map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage(), urn: d.getUrn() }));
      resolve(list);
    });
  });
}

function analyze(name: string, props: Record<string, unknown>, type = INSTANCE_REFRESH_TYPE): Promise<Diagnostic[]> {
  const request = new analyzerProto.AnalyzeRequest();
  request.setType(type);
  request.setName(name);
  request.setUrn(urnOf(type, name));
  request.setProperties(Struct.fromJavaScript(props));
  request.setOptions(options());
  return call(server.makeAnalyzeRpcFun(PACK_NAME, "0.1.0", "advisory", policies), request);
}

interface StackEntry {
  type: string;
  name: string;
  props: Record<string, unknown>;
  dependsOn?: Record<string, string[]>;
}

function analyzeStack(entries: StackEntry[]): Promise<Diagnostic[]> {
  const resources = entries.map((entry) => {
    const resource = new analyzerProto.AnalyzerResource();
    resource.setType(entry.type);
    resource.setName(entry.name);
    resource.setUrn(urnOf(entry.type, entry.name));
    resource.setProperties(Struct.fromJavaScript(entry.props));
    resource.setOptions(options());
    const deps: string[] = [];
    for (const [property, names] of Object.entries(entry.dependsOn ?? {})) {
      const urns = names.map((n) => urnOf(entries.find((e) => e.name === n)!.type, n));
      const pd = new analyzerProto.AnalyzerPropertyDependencies();
      pd.setUrnsList(urns);
      resource.getPropertydependenciesMap().set(property, pd);
      deps.push(...urns);
    }
    resource.setDependenciesList(deps);
    return resource;
  });
  const request = new analyzerProto.AnalyzeStackRequest();
  request.setResourcesList(resources);
  return call(server.makeAnalyzeStackRpcFun(PACK_NAME, "0.1.0", "advisory", policies), request);
}

describe("through @pulumi/policy's analyzer service", () => {
  it("the happy path yields no diagnostics", async () => {
    expect(await analyze("web-refresh", happyProps())).toEqual([]);
    expect(await analyzeStack([
      { type: SCALING_GROUP_TYPE, name: "web", props: scalingGroupProps() },
      { type: INSTANCE_REFRESH_TYPE, name: "web-refresh", props: happyProps() },
    ])).toEqual([]);
  });

  it("a mandatory violation comes back as the description, then the message naming resource, value and limit", async () => {
    const props = change(happyProps(), "refreshSettings.rollingUpdateSettings.batchNumber", 0);
    expect(await analyze("web-refresh", props)).toEqual([
      {
        policy: "instance-refresh-valid-settings",
        level: MANDATORY,
        message:
          "Rejects instance refresh settings that the InstanceRefresh providers (and the APIs) would reject.\n" +
          'InstanceRefresh "web-refresh": refreshSettings.rollingUpdateSettings.batchNumber must be an integer from 1 to 2000; got 0',
        urn: "", // the engine attaches resource-policy diagnostics to the analyzed resource
      },
    ]);
  });

  it("advisories come back as advisory", async () => {
    const props = change(happyProps(), "refreshSettings.rollingUpdateSettings.failProcess", "AUTO_CANCEL");
    expect(await analyze("web-refresh", props)).toEqual([expect.objectContaining({ policy: "instance-refresh-fail-process", level: ADVISORY })]);
  });

  it("unknown values produce neither violations nor \"can't run policy during preview\" notes", async () => {
    let props = change(happyProps(), "autoScalingGroupId", UNKNOWN_VALUE.string);
    props = change(props, "refreshSettings.rollingUpdateSettings.batchNumber", UNKNOWN_VALUE.number);
    props = change(props, "refreshSettings.rollingUpdateSettings.batchPause", UNKNOWN_VALUE.string);
    expect(await analyze("web-refresh", props)).toEqual([]);
    expect(await analyze("web-refresh", change(happyProps(), "refreshSettings", UNKNOWN_VALUE.object))).toEqual([]);
    expect(await analyzeStack([
      { type: SCALING_GROUP_TYPE, name: "web", props: scalingGroupProps({ id: UNKNOWN_VALUE.string, desiredCapacity: UNKNOWN_VALUE.number }) },
      { type: INSTANCE_REFRESH_TYPE, name: "web-refresh", props, dependsOn: { autoScalingGroupId: ["web"] } },
    ])).toEqual([]);
  });

  it("stack policies see scaling groups and dependencies at preview", async () => {
    const unknownGroup = change(change(happyProps(), "autoScalingGroupId", UNKNOWN_VALUE.string), "refreshSettings.rollingUpdateSettings.batchNumber", 1);
    const diagnostics = await analyzeStack([
      { type: SCALING_GROUP_TYPE, name: "web", props: scalingGroupProps({ id: UNKNOWN_VALUE.string }) },
      { type: INSTANCE_REFRESH_TYPE, name: "a", props: unknownGroup, dependsOn: { autoScalingGroupId: ["web"] } },
      { type: INSTANCE_REFRESH_TYPE, name: "b", props: unknownGroup, dependsOn: { autoScalingGroupId: ["web"] } },
    ]);
    const policiesHit = diagnostics.map((d) => `${d.policy} ${d.urn.split("::").pop()}`).sort();
    expect(policiesHit).toEqual([
      "instance-refresh-max-batch-size a",
      "instance-refresh-max-batch-size b",
      "instance-refresh-min-batches a",
      "instance-refresh-min-batches b",
      "instance-refresh-one-per-group b",
    ]);
    expect(diagnostics.every((d) => d.level === MANDATORY)).toBe(true);
  });

  it("known group ids match config-free scaling groups by id", async () => {
    const diagnostics = await analyzeStack([
      { type: SCALING_GROUP_TYPE, name: "web", props: scalingGroupProps({ desiredCapacity: 2 }) },
      { type: INSTANCE_REFRESH_TYPE, name: "web-refresh", props: happyProps() },
    ]);
    expect(diagnostics.map((d) => d.policy)).toEqual(["instance-refresh-batch-number-within-group"]);
    expect(diagnostics[0].message).toContain(`batchNumber 3 is above the group's 2 instances`);
    expect(GROUP_ID).toBe(scalingGroupProps().id);
  });
});
