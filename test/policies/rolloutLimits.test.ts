/**
 * `instance-refresh-rollout-limits`: one config for both clouds. The baseline — a Tencent refresh of
 * 6 instances in 3 batches with maxSurge 1 (2 instances = 33.3 % out, 1 = 16.7 % added) and an ESS
 * refresh of capacity 10 at 80 / 120 (20 % = 2 instances out, 20 % = 2 added) — passes both the
 * percent and the instance config; each test changes one thing.
 */
import { describe, expect, it } from "vitest";
import { rolloutLimits } from "../../policies/rolloutLimits";
import {
  ESS_GROUP_ID,
  UNKNOWN_VALUE,
  bridgedEss,
  bridgedEssProps,
  change,
  essProps,
  essRefresh,
  essScalingGroup,
  happyProps,
  refresh,
  scalingGroup,
  stackMessages,
  type FakeResource,
} from "./fakeArgs";

/** The same limits in both units. */
const PERCENT = { maxUnavailable: "34%", maxSurge: "20%" };
const INSTANCES = { maxUnavailable: 2, maxSurge: 2 };

const BATCH_NUMBER = "refreshSettings.rollingUpdateSettings.batchNumber";
const MAX_SURGE = "refreshSettings.rollingUpdateSettings.maxSurge";

/** The baseline stack with one change to the Tencent or the ESS refresh (or none). */
function stack(change: { tencent?: Record<string, unknown>; ess?: Record<string, unknown>; groups?: boolean } = {}): FakeResource[] {
  const groups = change.groups === false ? [] : [scalingGroup("web"), essScalingGroup("ess-web")];
  return [...groups, refresh("web-refresh", change.tencent ?? happyProps()), essRefresh("ess-refresh", change.ess ?? essProps())];
}

const check = (resources: FakeResource[], config: Record<string, unknown>) => stackMessages(rolloutLimits, resources, { config });

describe("instance-refresh-rollout-limits", () => {
  it("is a mandatory stack policy that checks nothing until a limit is set", async () => {
    expect(rolloutLimits.enforcementLevel).toBe("mandatory");
    const risky = { tencent: change(happyProps(), BATCH_NUMBER, 1), ess: change(essProps(), "minHealthyPercentage", 0) };
    expect(await check(stack(risky), {})).toEqual([]);
  });

  it.each([
    ["percent", PERCENT],
    ["instances", INSTANCES],
  ])("baseline: both clouds pass the %s config", async (_unit, config) => {
    expect(await check(stack(), config)).toEqual([]);
  });

  it("reports what policies/README.md shows for its one config of both clouds", async () => {
    const resources = [
      scalingGroup("web"),
      essScalingGroup("ess-web"),
      refresh("web-refresh", change(happyProps(), BATCH_NUMBER, 2)),
      essRefresh("web", change(essProps(), "maxHealthyPercentage", 140)),
    ];
    expect(await check(resources, { maxUnavailable: "25%", maxSurge: 2 })).toEqual([
      'InstanceRefresh "web-refresh": batchNumber 2 takes ceil(6/2) = 3 of the group\'s 6 instances (50%) out of service at once ' +
        '(group size from scaling group "web" in this stack (desiredCapacity)), above maxUnavailable "25%" (policy config maxUnavailable); ' +
        "use batchNumber 6 or more",
      'AlicloudInstanceRefresh "web": maxHealthyPercentage 140 adds up to 140 − 100 = 40% of the group\'s capacity at once: ' +
        'up to ceil(10 × 40 / 100) = 4 of its 10 instances (group size from scaling group "ess-web" in this stack (desiredCapacity)), ' +
        "above maxSurge 2 instances (policy config maxSurge); use maxHealthyPercentage 120 or less",
    ]);
  });

  describe("Tencent", () => {
    it("percent: a batch above maxUnavailable, converted with the group's size", async () => {
      expect(await check(stack({ tencent: change(happyProps(), BATCH_NUMBER, 2) }), PERCENT)).toEqual([
        'InstanceRefresh "web-refresh": batchNumber 2 takes ceil(6/2) = 3 of the group\'s 6 instances (50%) out of service at once ' +
          '(group size from scaling group "web" in this stack (desiredCapacity)), above maxUnavailable "34%" (policy config maxUnavailable); ' +
          "use batchNumber 3 or more",
      ]);
    });

    it("instances: a batch above maxUnavailable", async () => {
      expect(await check(stack({ tencent: change(happyProps(), BATCH_NUMBER, 2) }), INSTANCES)).toEqual([
        'InstanceRefresh "web-refresh": batchNumber 2 takes ceil(6/2) = 3 of the group\'s 6 instances (50%) out of service at once ' +
          '(group size from scaling group "web" in this stack (desiredCapacity)), above maxUnavailable 2 instances (policy config maxUnavailable); ' +
          "use batchNumber 3 or more",
      ]);
    });

    it("percent: a surge above maxSurge, converted with the group's size", async () => {
      expect(await check(stack({ tencent: change(happyProps(), MAX_SURGE, 2) }), PERCENT)).toEqual([
        'InstanceRefresh "web-refresh": maxSurge 2 adds 2 instances at once (33.3% of the group\'s 6 instances, ' +
          'group size from scaling group "web" in this stack (desiredCapacity)), above maxSurge "20%" (policy config maxSurge); use maxSurge 1 or less',
      ]);
    });

    it("instances: a surge above maxSurge, without needing the group's size", async () => {
      expect(await check(stack({ tencent: change(happyProps(), MAX_SURGE, 3), groups: false }), INSTANCES)).toEqual([
        'InstanceRefresh "web-refresh": maxSurge 3 adds 3 instances at once, above maxSurge 2 instances (policy config maxSurge); use maxSurge 2 or less',
      ]);
    });

    it("says when not even one instance per batch fits a percent", async () => {
      expect(await check([scalingGroup("web"), refresh("web-refresh")], { maxUnavailable: "10%" })).toEqual([
        expect.stringMatching(/above maxUnavailable "10%" \(policy config maxUnavailable\); not even one instance per batch fits \(1 of 6 instances is 16\.7%\)$/),
      ]);
    });

    it("skips what needs the group's size when nothing tells it, and unknown values", async () => {
      const tencent = change(change(happyProps(), BATCH_NUMBER, 1), MAX_SURGE, 5);
      const ess = essProps();
      expect(await check(stack({ tencent, ess, groups: false }), PERCENT)).toEqual([]);
      expect(await check(stack({ tencent: change(happyProps(), BATCH_NUMBER, UNKNOWN_VALUE.number) }), INSTANCES)).toEqual([]);
    });

    it("uses config groupSizes for the size", async () => {
      const messages = await check(stack({ tencent: change(happyProps(), BATCH_NUMBER, 2), groups: false }), {
        ...PERCENT,
        groupSizes: { "asg-9dn1a5y6": 6 },
      });
      expect(messages).toEqual([expect.stringContaining('(group size from policy config groupSizes["asg-9dn1a5y6"])')]);
    });
  });

  describe("Alibaba", () => {
    it("percent: 100 − minHealthyPercentage above maxUnavailable, without needing the capacity", async () => {
      expect(await check(stack({ ess: change(essProps(), "minHealthyPercentage", 60), groups: false }), PERCENT)).toEqual([
        'AlicloudInstanceRefresh "ess-refresh": minHealthyPercentage 60 lets 100 − 60 = 40% of the group\'s capacity be out of service at once, ' +
          'above maxUnavailable "34%" (policy config maxUnavailable); use minHealthyPercentage 66 or more',
      ]);
    });

    it("instances: the unavailable share converted with the group's capacity, rounded up", async () => {
      expect(await check(stack({ ess: change(essProps(), "minHealthyPercentage", 75) }), INSTANCES)).toEqual([
        'AlicloudInstanceRefresh "ess-refresh": minHealthyPercentage 75 lets 100 − 75 = 25% of the group\'s capacity be out of service at once: ' +
          'up to ceil(10 × 25 / 100) = 3 of its 10 instances (group size from scaling group "ess-web" in this stack (desiredCapacity)), ' +
          "above maxUnavailable 2 instances (policy config maxUnavailable); use minHealthyPercentage 80 or more",
      ]);
    });

    it("percent: maxHealthyPercentage − 100 above maxSurge", async () => {
      expect(await check(stack({ ess: change(essProps(), "maxHealthyPercentage", 130) }), PERCENT)).toEqual([
        'AlicloudInstanceRefresh "ess-refresh": maxHealthyPercentage 130 adds up to 130 − 100 = 30% of the group\'s capacity at once, ' +
          'above maxSurge "20%" (policy config maxSurge); use maxHealthyPercentage 120 or less',
      ]);
    });

    it("instances: the surge converted with the capacity from config groupSizes", async () => {
      expect(
        await check(stack({ ess: change(essProps(), "maxHealthyPercentage", 130), groups: false }), { ...INSTANCES, groupSizes: { [ESS_GROUP_ID]: 10 } }),
      ).toEqual([
        'AlicloudInstanceRefresh "ess-refresh": maxHealthyPercentage 130 adds up to 130 − 100 = 30% of the group\'s capacity at once: ' +
          `up to ceil(10 × 30 / 100) = 3 of its 10 instances (group size from policy config groupSizes["${ESS_GROUP_ID}"]), ` +
          "above maxSurge 2 instances (policy config maxSurge); use maxHealthyPercentage 120 or less",
      ]);
    });

    it("instances: skipped without the capacity", async () => {
      expect(await check(stack({ ess: change(essProps(), "minHealthyPercentage", 0), groups: false }), INSTANCES)).toEqual([]);
    });

    it("counts unset as the API's 80 / 120", async () => {
      const ess = change(change(essProps(), "minHealthyPercentage", undefined), "maxHealthyPercentage", undefined);
      expect(await check(stack({ ess }), PERCENT)).toEqual([]);
      expect(await check([essRefresh("ess-refresh", ess)], { maxUnavailable: "10%", maxSurge: "10%" })).toEqual([
        'AlicloudInstanceRefresh "ess-refresh": minHealthyPercentage unset (the API\'s default 80) lets 100 − 80 = 20% of the group\'s capacity ' +
          'be out of service at once, above maxUnavailable "10%" (policy config maxUnavailable); use minHealthyPercentage 90 or more',
        'AlicloudInstanceRefresh "ess-refresh": maxHealthyPercentage unset (the API\'s default 120) adds up to 120 − 100 = 20% of the group\'s capacity ' +
          'at once, above maxSurge "10%" (policy config maxSurge); use maxHealthyPercentage 110 or less',
      ]);
    });

    it("checks the bridged ess.InstanceRefresh the same way, and skips unknown values", async () => {
      const resources = [essScalingGroup("ess-web"), bridgedEss("tf", change(bridgedEssProps(), "minHealthyPercentage", 60))];
      expect(await check(resources, PERCENT)).toEqual([expect.stringMatching(/^ess\.InstanceRefresh "tf": minHealthyPercentage 60 lets 100 − 60 = 40%/)]);
      const unknown = [essScalingGroup("ess-web"), bridgedEss("tf", change(bridgedEssProps(), "minHealthyPercentage", UNKNOWN_VALUE.number))];
      expect(await check(unknown, PERCENT)).toEqual([]);
    });
  });
});
