import { describe, expect, it } from "vitest";
import { parsePreview, renderPlan, rolloutChanges } from "../../plan";
import { INSTANCE_REFRESH_TYPE } from "../../provider/tokens";

const URN = "urn:pulumi:dev::quickstart::pulumi-nodejs:dynamic/tencentcloud:InstanceRefresh::web-rollout";

const baseInputs = {
  autoScalingGroupId: "asg-h7tgd87d",
  refreshMode: "ROLLING_UPDATE_RESET",
  refreshSettings: { rollingUpdateSettings: { batchNumber: 3, maxSurge: 1, batchPause: "AUTOMATIC", failProcess: "AUTO_PAUSE" } },
  paused: false,
  approvedBatches: 0,
};

function digest(op: string, newInputs: object, extra: object = {}) {
  return JSON.stringify({
    steps: [
      {
        op,
        urn: URN,
        oldState: { type: INSTANCE_REFRESH_TYPE, inputs: baseInputs, outputs: { ...baseInputs, instanceCounts: { total: 7 } } },
        newState: { type: INSTANCE_REFRESH_TYPE, inputs: newInputs },
        ...extra,
      },
    ],
  });
}

describe("parsePreview", () => {
  it("reads the preview digest of `pulumi preview --json`", () => {
    const record = parsePreview(digest("update", { ...baseInputs, paused: true }, { diffReasons: ["paused"] }));
    expect(record.steps).toHaveLength(1);
    expect(record.steps[0]).toMatchObject({ op: "update", type: INSTANCE_REFRESH_TYPE, diffKeys: ["paused"] });
  });

  it("reads the streamed engine events, policy violations included", () => {
    const events = [
      { sequence: 0, preludeEvent: { config: {} } },
      {
        sequence: 1,
        resourcePreEvent: {
          metadata: { op: "create", urn: URN, type: INSTANCE_REFRESH_TYPE, new: { inputs: baseInputs }, diffs: [], detailedDiff: null },
        },
      },
      {
        sequence: 2,
        policyEvent: {
          resourceUrn: URN,
          message: "batchNumber 1 is below the minimum of 2",
          policyName: "instance-refresh-min-batches",
          policyPackName: "instance-refresh-safety",
          enforcementLevel: "mandatory",
        },
      },
    ];
    const record = parsePreview(events.map((event) => JSON.stringify(event)).join("\n"));
    expect(record.steps.map((step) => step.op)).toEqual(["create"]);
    expect(record.violations).toEqual([
      expect.objectContaining({ policyName: "instance-refresh-min-batches", enforcementLevel: "mandatory", urn: URN }),
    ]);
  });

  it("names the line that is not JSON", () => {
    expect(() => parsePreview('{"sequence":0}\nnot json')).toThrow(/line 2/);
  });

  it("explains an empty input", () => {
    expect(() => parsePreview("  \n")).toThrow(/pulumi preview --json/);
  });
});

describe("rolloutChanges", () => {
  it("calls a flip of paused to true a pause", () => {
    const [change] = rolloutChanges(parsePreview(digest("update", { ...baseInputs, paused: true }, { diffReasons: ["paused"] })));
    expect(change.action).toBe("pause");
    expect(change.reasons).toEqual(["`paused`: false → true"]);
  });

  it("calls a flip of paused to false a resume", () => {
    const record = parsePreview(digest("update", { ...baseInputs, paused: false }, { diffReasons: ["paused"] }));
    record.steps[0].oldInputs = { ...baseInputs, paused: true };
    expect(rolloutChanges(record)[0].action).toBe("resume");
  });

  it("calls a raised approvedBatches an approval", () => {
    const record = parsePreview(digest("update", { ...baseInputs, approvedBatches: 1 }, { diffReasons: ["approvedBatches"] }));
    expect(rolloutChanges(record)[0].action).toBe("approve");
  });

  it("calls a replacement a restart and plans the batches from the last known group size", () => {
    const newInputs = { ...baseInputs, refreshSettings: { rollingUpdateSettings: { ...baseInputs.refreshSettings.rollingUpdateSettings, batchNumber: 2 } } };
    const [change] = rolloutChanges(parsePreview(digest("replace", newInputs, { replaceReasons: ["refreshSettings"] })));
    expect(change.action).toBe("restart");
    expect(change.batchPlan).toEqual([4, 3]);
  });

  it("ignores resources that are not instance refreshes, and unchanged refreshes", () => {
    const text = JSON.stringify({
      steps: [
        { op: "create", urn: "urn:pulumi:dev::p::random:index:RandomId::x", newState: { type: "random:index:RandomId", inputs: {} } },
        { op: "same", urn: URN, newState: { type: INSTANCE_REFRESH_TYPE, inputs: baseInputs } },
      ],
    });
    expect(rolloutChanges(parsePreview(text))).toEqual([]);
  });
});

describe("renderPlan", () => {
  it("writes the group, the batch plan, the settings and the reason", () => {
    const newInputs = { ...baseInputs, refreshSettings: { rollingUpdateSettings: { ...baseInputs.refreshSettings.rollingUpdateSettings, batchNumber: 2 } } };
    const markdown = renderPlan(parsePreview(digest("replace", newInputs, { replaceReasons: ["refreshSettings"] })));
    expect(markdown).toContain("`web-rollout` on `asg-h7tgd87d` — cancels the current refresh");
    expect(markdown).toContain("| batches | 2 (4 + 3 instances) |");
    expect(markdown).toContain("| max surge | 1 |");
    expect(markdown).toContain("- `refreshSettings`:");
  });

  it("says so when nothing changes", () => {
    expect(renderPlan({ steps: [], violations: [] })).toContain("starts, pauses, resumes or cancels no instance refresh");
  });
});
