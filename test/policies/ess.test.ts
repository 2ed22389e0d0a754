/**
 * The pack's Alibaba Cloud ESS rules, on this package's AlicloudInstanceRefresh and the bridged
 * alicloud.ess.InstanceRefresh alike: each test starts from the happy path (essProps /
 * bridgedEssProps, which every policy accepts with default config, even in production) and changes one thing.
 */
import { describe, expect, it } from "vitest";
import { ALICLOUD_INSTANCE_REFRESH_TYPE, BRIDGED_ESS_INSTANCE_REFRESH_TYPE } from "../../policies/essResources";
import { productionCheckpoint, skipMatching } from "../../policies/essSafety";
import { maxHealthy, minHealthy } from "../../policies/healthyPercentage";
import { onePerGroup } from "../../policies/stack";
import { validSettings } from "../../policies/validSettings";
import {
  ESS_GROUP_ID,
  UNKNOWN_VALUE,
  bridgedEss,
  bridgedEssProps,
  change,
  essProps,
  essRefresh,
  essScalingGroup,
  refresh,
  resourceArgs,
  runResource,
  stackMessages,
  type FakeArgsOptions,
} from "./fakeArgs";
import type { ResourceValidationPolicy } from "@pulumi/policy";

/** Both kinds, each with its happy props and how messages name it. */
const KINDS = [
  { type: ALICLOUD_INSTANCE_REFRESH_TYPE, props: essProps, label: 'AlicloudInstanceRefresh "web-refresh"' },
  { type: BRIDGED_ESS_INSTANCE_REFRESH_TYPE, props: bridgedEssProps, label: 'ess.InstanceRefresh "web-refresh"' },
] as const;

type Kind = (typeof KINDS)[number];

const run = (policy: ResourceValidationPolicy, kind: Kind, props: Record<string, unknown>, options: FakeArgsOptions = {}) =>
  runResource(policy, resourceArgs(props, { ...options, type: kind.type }));

describe.each(KINDS)("$type", (kind) => {
  const withSetting = (path: string, value: unknown) => change(kind.props(), path, value);

  it("baseline: every ESS policy accepts the happy path, even in a production stack", async () => {
    for (const policy of [validSettings, minHealthy, maxHealthy, skipMatching, productionCheckpoint]) {
      expect(await run(policy, kind, kind.props(), { stack: "prod", config: { maxHealthyPercentage: 120 } }), policy.name).toEqual([]);
    }
  });

  describe("instance-refresh-valid-settings", () => {
    it("reports what the provider's validateAlicloudInputs rejects", async () => {
      expect(await run(validSettings, kind, withSetting("minHealthyPercentage", 120))).toEqual([
        `${kind.label}: minHealthyPercentage must be an integer from 0 to 100; got 120`,
      ]);
      expect(await run(validSettings, kind, withSetting("checkpoints", [{ percentage: 20 }]))).toEqual([
        `${kind.label}: checkpoints must end with percentage 100 (the API requires the last checkpoint to be the whole group); got 20`,
      ]);
    });

    it("skips unknown values", async () => {
      expect(await run(validSettings, kind, withSetting("minHealthyPercentage", UNKNOWN_VALUE.number))).toEqual([]);
    });
  });

  describe("instance-refresh-min-healthy", () => {
    it("is mandatory, with a floor of 50 by default", async () => {
      expect(minHealthy.enforcementLevel).toBe("mandatory");
      expect(await run(minHealthy, kind, withSetting("minHealthyPercentage", 50))).toEqual([]);
    });

    it("reports a floor below the minimum, naming property, value, limit, config key and the allowed range", async () => {
      expect(await run(minHealthy, kind, withSetting("minHealthyPercentage", 30))).toEqual([
        `${kind.label}: minHealthyPercentage 30 is below the minimum of 50 (policy config minHealthyPercentage): ` +
          "it lets 70% of the group's capacity be out of service at once; use 50 to 100",
      ]);
    });

    it("counts unset as the API's 80", async () => {
      const unset = withSetting("minHealthyPercentage", undefined);
      expect(await run(minHealthy, kind, unset)).toEqual([]);
      expect(await run(minHealthy, kind, unset, { config: { minHealthyPercentage: 90 } })).toEqual([
        `${kind.label}: minHealthyPercentage unset (the API's default 80) is below the minimum of 90 (policy config minHealthyPercentage): ` +
          "it lets 20% of the group's capacity be out of service at once; use 90 to 100",
      ]);
    });

    it("skips unknown and invalid values", async () => {
      for (const value of [UNKNOWN_VALUE.number, 120, "30"]) expect(await run(minHealthy, kind, withSetting("minHealthyPercentage", value))).toEqual([]);
    });
  });

  describe("instance-refresh-max-healthy", () => {
    it("has no cap by default", async () => {
      expect(await run(maxHealthy, kind, withSetting("maxHealthyPercentage", 200))).toEqual([]);
    });

    it("reports a surge above the configured cap", async () => {
      expect(await run(maxHealthy, kind, withSetting("maxHealthyPercentage", 180), { config: { maxHealthyPercentage: 150 } })).toEqual([
        `${kind.label}: maxHealthyPercentage 180 is above the maximum of 150 (policy config maxHealthyPercentage): ` +
          "it adds up to 80% of the group's capacity as extra instances during the refresh; use 100 to 150",
      ]);
    });

    it("counts unset as the API's 120", async () => {
      expect(await run(maxHealthy, kind, withSetting("maxHealthyPercentage", undefined), { config: { maxHealthyPercentage: 110 } })).toEqual([
        `${kind.label}: maxHealthyPercentage unset (the API's default 120) is above the maximum of 110 (policy config maxHealthyPercentage): ` +
          "it adds up to 20% of the group's capacity as extra instances during the refresh; use 100 to 110",
      ]);
    });

    it("skips unknown values", async () => {
      expect(await run(maxHealthy, kind, withSetting("maxHealthyPercentage", UNKNOWN_VALUE.number), { config: { maxHealthyPercentage: 100 } })).toEqual([]);
    });
  });

  describe("instance-refresh-skip-matching", () => {
    it("is advisory", () => {
      expect(skipMatching.enforcementLevel).toBe("advisory");
    });

    it("reports skipMatching false", async () => {
      expect(await run(skipMatching, kind, withSetting("skipMatching", false))).toEqual([
        `${kind.label}: skipMatching false also replaces the instances that already run the desired configuration ` +
          "(the API matches them by scaling configuration); set skipMatching: true to refresh only the instances that differ",
      ]);
    });

    it("skips unknown values", async () => {
      expect(await run(skipMatching, kind, withSetting("skipMatching", UNKNOWN_VALUE.boolean))).toEqual([]);
    });
  });

  describe("instance-refresh-production-checkpoint", () => {
    const prod = { stack: "prod" };

    it("reports a refresh without a checkpoint below 100 % in a production stack", async () => {
      expect(await run(productionCheckpoint, kind, withSetting("checkpoints", undefined), prod)).toEqual([
        `${kind.label}: checkpoints unset has no checkpoint below 100%, so the whole group is refreshed without a pause, ` +
          'and stack "prod" matches productionStackPattern "^(prod|production)(-|$)": add a canary checkpoint, e.g. ' +
          "checkpoints: [{ percentage: 20 }, { percentage: 100 }], where the refresh pauses for checkpointPauseTime minutes (default 60) before the rest",
      ]);
      expect(await run(productionCheckpoint, kind, withSetting("checkpoints", [{ percentage: 100 }]), prod)).toEqual([
        expect.stringContaining(`${kind.label}: checkpoints [100] has no checkpoint below 100%`),
      ]);
    });

    it("uses the production tags", async () => {
      const options = { stackTags: { environment: "production" }, config: { productionTags: { environment: "production" } } };
      expect(await run(productionCheckpoint, kind, withSetting("checkpoints", undefined), options)).toEqual([
        expect.stringContaining("and the stack is tagged environment=production (policy config productionTags)"),
      ]);
    });

    it("says nothing in other stacks, or when a checkpoint is unknown", async () => {
      expect(await run(productionCheckpoint, kind, withSetting("checkpoints", undefined))).toEqual([]);
      expect(await run(productionCheckpoint, kind, withSetting("checkpoints", [{ percentage: UNKNOWN_VALUE.number }, { percentage: 100 }]), prod)).toEqual([]);
      expect(await run(productionCheckpoint, kind, withSetting("checkpoints", UNKNOWN_VALUE.array), prod)).toEqual([]);
    });
  });
});

describe("skipMatching unset", () => {
  it("is the API's true for an AlicloudInstanceRefresh", async () => {
    expect(await run(skipMatching, KINDS[0], change(essProps(), "skipMatching", undefined))).toEqual([]);
  });

  it("is reported on the bridged resource, whose provider sends false", async () => {
    expect(await run(skipMatching, KINDS[1], change(bridgedEssProps(), "skipMatching", undefined))).toEqual([
      'ess.InstanceRefresh "web-refresh": skipMatching unset is sent as false by the bridged alicloud provider (the API\'s own default is true), ' +
        "so the refresh also replaces the instances that already run the desired configuration (the API matches them by scaling configuration); " +
        "set skipMatching: true to refresh only the instances that differ",
    ]);
  });
});

describe("bridged arguments", () => {
  it("count Terraform's empty strings and lists as unset", async () => {
    const props = { ...bridgedEssProps(), desiredConfigurationLaunchTemplateId: "", desiredConfigurationContainers: [] };
    expect(await run(validSettings, KINDS[1], props)).toEqual([]);
  });

  it("are checked as desiredConfiguration members", async () => {
    const props = { ...bridgedEssProps(), desiredConfigurationLaunchTemplateId: "lt-bp1abc" };
    expect(await run(validSettings, KINDS[1], props)).toEqual([
      'ess.InstanceRefresh "web-refresh": desiredConfiguration must set at most one of imageId, scalingConfigurationId, launchTemplateId, containers ' +
        "(the API refuses them together); got imageId and launchTemplateId",
    ]);
  });
});

describe("instance-refresh-one-per-group with ESS refreshes", () => {
  const check = (resources: Parameters<typeof stackMessages>[1]) => stackMessages(onePerGroup, resources);

  it("baseline: one refresh per ESS group", async () => {
    const other = change(essProps(), "scalingGroupId", "asg-bp1zzzzzzzzzzzzzzzzz");
    expect(await check([essScalingGroup("ess-web"), essRefresh("a"), essRefresh("b", other)])).toEqual([]);
  });

  it("reports the second refresh of a group across both ESS kinds", async () => {
    expect(await check([essRefresh("a"), bridgedEss("tf")])).toEqual([
      `ess.InstanceRefresh "tf": 2 refreshes target scaling group ${ESS_GROUP_ID} (AlicloudInstanceRefresh "a", ess.InstanceRefresh "tf"), ` +
        "but a group runs one instance refresh task at a time (StartInstanceRefresh refuses a second while one runs); keep one",
    ]);
  });

  it("finds duplicates at preview through the ESS scaling group the unknown id comes from", async () => {
    const unknownGroup = change(essProps(), "scalingGroupId", UNKNOWN_VALUE.string);
    const messages = await check([
      essScalingGroup("ess-web", { id: UNKNOWN_VALUE.string }),
      essRefresh("a", unknownGroup, { scalingGroupId: ["ess-web"] }),
      essRefresh("b", unknownGroup, { scalingGroupId: ["ess-web"] }),
    ]);
    expect(messages).toEqual([expect.stringContaining("target the scaling group urn:pulumi:dev::shop::alicloud:ess/scalingGroup:ScalingGroup::ess-web")]);
  });

  it("never mixes a Tencent group with an ESS group of the same id", async () => {
    const tencent = refresh("tc", { autoScalingGroupId: ESS_GROUP_ID, refreshSettings: { rollingUpdateSettings: { batchNumber: 2 } } });
    expect(await check([tencent, essRefresh("a")])).toEqual([]);
  });
});
