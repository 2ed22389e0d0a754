import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { CONFIG_DEFAULTS, CONFIG_SCHEMAS } from "../../policies/config";
import { checkPackConfig } from "../../policies/packConfig";
import { PACK_NAME, checkPolicies, describeLevel, policies } from "../../policies/policies";

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
  "instance-refresh-production-rollback": { level: "advisory", kind: "resource", config: "productionRollback" },
  "instance-refresh-min-healthy": { level: "mandatory", kind: "resource", config: "minHealthy" },
  "instance-refresh-max-healthy": { level: "mandatory", kind: "resource", config: "maxHealthy" },
  "instance-refresh-skip-matching": { level: "advisory", kind: "resource", config: "skipMatching" },
  "instance-refresh-production-checkpoint": { level: "advisory", kind: "resource", config: "productionCheckpoint" },
  "instance-refresh-gate-before-second-batch": { level: "advisory", kind: "resource", config: "gateBeforeSecondBatch" },
  "instance-refresh-rollout-limits": { level: "mandatory", kind: "stack", config: "rolloutLimits" },
  "instance-refresh-one-per-group": { level: "mandatory", kind: "stack", config: "onePerGroup" },
  "instance-refresh-shared-config": { level: "advisory", kind: "stack", config: "sharedConfig" },
};

/** Optional limits: no schema default and no entry in CONFIG_DEFAULTS (unset: not checked). */
const OPTIONAL_LIMITS = new Set(["maxSurge.maxSurge", "maxHealthy.maxHealthyPercentage", "rolloutLimits.maxUnavailable", "rolloutLimits.maxSurge"]);
/** Per-policy fields without a schema default: the optional limits, and the pattern inherited from the shared config. */
const NO_DEFAULT = new Set([
  ...OPTIONAL_LIMITS,
  "productionPause.productionStackPattern",
  "productionRollback.productionStackPattern",
  "productionCheckpoint.productionStackPattern",
  "gateBeforeSecondBatch.productionStackPattern",
]);

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

  it("documents a default for every config field but the optional limits and the inherited pattern, equal to CONFIG_DEFAULTS", () => {
    for (const [key, schema] of Object.entries(CONFIG_SCHEMAS)) {
      const defaults = CONFIG_DEFAULTS[key as keyof typeof CONFIG_DEFAULTS] as Record<string, unknown>;
      const fields = Object.entries(schema.properties as Record<string, { default?: unknown; description?: string }>);
      for (const [field, property] of fields) {
        expect(property.description, `${key}.${field}`).toBeTruthy();
        if (NO_DEFAULT.has(`${key}.${field}`)) expect(property.default, `${key}.${field}`).toBeUndefined();
        else expect(defaults[field], `${key}.${field}`).toEqual(property.default);
      }
      expect(Object.keys(defaults).sort(), key).toEqual(fields.map(([f]) => f).filter((f) => !OPTIONAL_LIMITS.has(`${key}.${f}`)).sort());
    }
  });

  it("takes the inherited pattern's fallback default from the shared config's default", () => {
    expect(CONFIG_DEFAULTS.productionPause.productionStackPattern).toBe(CONFIG_SCHEMAS.sharedConfig.properties.productionStackPattern.default);
    expect(CONFIG_DEFAULTS.productionRollback.productionStackPattern).toBe(CONFIG_SCHEMAS.sharedConfig.properties.productionStackPattern.default);
    expect(CONFIG_DEFAULTS.productionCheckpoint.productionStackPattern).toBe(CONFIG_SCHEMAS.sharedConfig.properties.productionStackPattern.default);
    expect(CONFIG_DEFAULTS.gateBeforeSecondBatch.productionStackPattern).toBe(CONFIG_SCHEMAS.sharedConfig.properties.productionStackPattern.default);
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

  it("production is strict: every policy that checks something is mandatory", () => {
    const config = readJson("policies/config/production.json") as Record<string, string | { enforcementLevel?: string }>;
    for (const [name, value] of Object.entries(config)) {
      if (name === "instance-refresh-shared-config") continue; // holds settings, reports nothing
      expect(typeof value === "string" ? value : value.enforcementLevel, name).toBe("mandatory");
    }
  });

  it("sets the production stacks once, in the shared config", () => {
    const config = readJson("policies/config/production.json") as Record<string, Record<string, unknown>>;
    expect(config["instance-refresh-shared-config"]).toMatchObject({ productionTags: { environment: "production" } });
    expect(config["instance-refresh-production-pause"]).not.toHaveProperty("productionTags");
    expect(config["instance-refresh-production-pause"]).not.toHaveProperty("productionStackPattern");
    expect(config["instance-refresh-production-rollback"]).not.toHaveProperty("productionTags");
    expect(config["instance-refresh-production-rollback"]).not.toHaveProperty("productionStackPattern");
    expect(config["instance-refresh-production-checkpoint"]).toBe("mandatory");
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
