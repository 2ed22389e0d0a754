import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { CONFIG_DEFAULTS, CONFIG_SCHEMAS } from "../../policies/config";
import { PACK_NAME, checkPackConfig, checkPolicies, describeLevel, policies } from "../../policies/policies";

const root = join(__dirname, "../..");
const readJson = (path: string) => JSON.parse(readFileSync(join(root, path), "utf8")) as unknown;

/** Each policy's name, level and kind, the contract the README documents. */
const EXPECTED: Record<string, { level: EnforcementLevel; kind: "resource" | "stack"; config: keyof typeof CONFIG_SCHEMAS }> = {
  "instance-refresh-valid-settings": { level: "mandatory", kind: "resource", config: "validSettings" },
  "instance-refresh-min-batches": { level: "mandatory", kind: "stack", config: "minBatches" },
  "instance-refresh-batch-number-within-group": { level: "mandatory", kind: "stack", config: "batchNumberWithinGroup" },
  "instance-refresh-max-batch-size": { level: "mandatory", kind: "stack", config: "batchSize" },
  "instance-refresh-max-surge": { level: "mandatory", kind: "stack", config: "maxSurge" },
  "instance-refresh-surge-on-reset": { level: "advisory", kind: "resource", config: "surgeOnReset" },
  "instance-refresh-fail-process": { level: "advisory", kind: "resource", config: "failProcess" },
  "instance-refresh-target-health": { level: "advisory", kind: "stack", config: "targetHealth" },
  "instance-refresh-production-pause": { level: "advisory", kind: "resource", config: "productionPause" },
  "instance-refresh-one-per-group": { level: "mandatory", kind: "stack", config: "onePerGroup" },
};

describe("the policy list", () => {
  it("is the pack instance-refresh-safety", () => {
    expect(PACK_NAME).toBe("instance-refresh-safety");
  });

  it("has every policy with its level, kind and config schema", () => {
    expect(policies.map((p) => p.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const policy of policies) {
      const expected = EXPECTED[policy.name];
      expect(policy.enforcementLevel, policy.name).toBe(expected.level);
      expect("validateStack" in policy ? "stack" : "resource", policy.name).toBe(expected.kind);
      expect(policy.configSchema, policy.name).toBe(CONFIG_SCHEMAS[expected.config]);
      expect(policy.description, policy.name).toMatch(/^[A-Z][^\n]*\.$/);
    }
  });

  it("documents a default for every config field but the optional cost cap, equal to CONFIG_DEFAULTS", () => {
    for (const [key, schema] of Object.entries(CONFIG_SCHEMAS)) {
      const defaults = CONFIG_DEFAULTS[key as keyof typeof CONFIG_DEFAULTS] as Record<string, unknown>;
      const withDefault = Object.entries(schema.properties as Record<string, { default?: unknown; description?: string }>);
      for (const [field, property] of withDefault) {
        expect(property.description, `${key}.${field}`).toBeTruthy();
        if (key === "maxSurge" && field === "maxSurge") {
          expect(property.default).toBeUndefined();
          continue;
        }
        expect(defaults[field], `${key}.${field}`).toEqual(property.default);
      }
      expect(Object.keys(defaults).sort(), key).toEqual(withDefault.map(([f]) => f).filter((f) => f !== "maxSurge").sort());
    }
  });

  it("rejects duplicate, reserved and non-kebab-case names", () => {
    const one = policies[0];
    expect(() => checkPolicies([one, one] as Policies)).toThrow(/duplicate policy name/);
    expect(() => checkPolicies([{ ...one, name: "all" }] as Policies)).toThrow(/kebab-case/);
    expect(() => checkPolicies([{ ...one, name: "BatchCount" }] as Policies)).toThrow(/kebab-case/);
    expect(() => checkPolicies([{ ...one, enforcementLevel: "strict" as EnforcementLevel }] as Policies)).toThrow(/unknown enforcement level/);
  });

  it("describes every enforcement level", () => {
    for (const level of ["advisory", "mandatory", "remediate", "disabled"] as const) expect(describeLevel(level)).toBeTruthy();
  });
});

describe("--policy-pack-config files", () => {
  it.each(["policies/config/production.json", "policies/config/dev.json"])("%s is valid and covers every policy", (path) => {
    const config = readJson(path) as Record<string, unknown>;
    expect(checkPackConfig(config)).toEqual([]);
    expect(Object.keys(config).sort()).toEqual(policies.map((p) => p.name).sort());
  });

  it("production is strict: every policy mandatory", () => {
    const config = readJson("policies/config/production.json") as Record<string, string | { enforcementLevel: string }>;
    for (const value of Object.values(config)) expect(typeof value === "string" ? value : value.enforcementLevel).toBe("mandatory");
  });

  it("finds unknown policies, levels and config fields", () => {
    expect(
      checkPackConfig({
        "instance-refresh-min-batch": "mandatory",
        "instance-refresh-min-batches": { enforcementLevel: "strict", minBatches: 3 },
        "instance-refresh-max-surge": "blocking",
        all: "advisory",
      }),
    ).toEqual([
      "unknown policy instance-refresh-min-batch",
      "instance-refresh-min-batches: unknown enforcement level strict",
      "instance-refresh-min-batches: unknown config field minBatches",
      "instance-refresh-max-surge: unknown enforcement level blocking",
    ]);
    expect(checkPackConfig([])).toEqual(["the config must be a JSON object"]);
  });
});

describe("packaging", () => {
  it("PulumiPolicy.yaml declares the nodejs runtime and a description", () => {
    const yaml = readFileSync(join(root, "policies/PulumiPolicy.yaml"), "utf8");
    expect(yaml).toMatch(/^runtime: nodejs$/m);
    expect(yaml).toMatch(/^description: \S/m);
  });

  it("package.json has a name, a version and main pointing at the compiled pack", () => {
    const pkg = readJson("policies/package.json") as Record<string, string>;
    expect(pkg.name).toBeTruthy();
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.main).toBe("../dist/policies/pack.js");
  });
});
