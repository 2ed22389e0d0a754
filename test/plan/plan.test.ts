import { describe, expect, it } from "vitest";
import { parsePreview, renderPlan, rolloutChanges } from "../../plan";
import { INSTANCE_REFRESH_TYPE } from "../../provider/tencentcloud/tokens";

const URN = "urn:pulumi:dev::quickstart::pulumi-nodejs:dynamic/tencentcloud:InstanceRefresh::web-rollout";

const baseInputs = {
  autoScalingGroupId: "asg-h7tgd87d",
  refreshMode: "ROLLING_UPDATE_RESET",
  refreshSettings: { rollingUpdateSettings: { batchNumber: 3, maxSurge: 1, batchPause: "AUTOMATIC", failProcess: "AUTO_PAUSE" } },
  paused: false,
  approvedBatches: 0,
};

/** What state recorded about the activity (outputs beyond the inputs): a refresh running its first batch. */
const baseRecorded = { refreshActivityId: "asr-swfi680q", status: "RUNNING", currentBatch: 1, batchCount: 3, instanceCounts: { total: 7 } };

function digest(op: string, newInputs: object, extra: object = {}, recorded: object = {}, oldInputs: object = baseInputs) {
  return JSON.stringify({
    steps: [
      {
        op,
        urn: URN,
        oldState: { type: INSTANCE_REFRESH_TYPE, inputs: oldInputs, outputs: { ...oldInputs, ...baseRecorded, ...recorded } },
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

  it("calls a flip of paused to false on a MANUAL_PAUSE a resume", () => {
    const text = digest("update", { ...baseInputs, paused: false }, { diffReasons: ["paused"] }, { status: "MANUAL_PAUSE" }, { ...baseInputs, paused: true });
    expect(rolloutChanges(parsePreview(text))[0].action).toBe("resume");
  });

  it("calls a raised approvedBatches at the AUTO_PAUSE after batch 1 an approval", () => {
    const text = digest("update", { ...baseInputs, approvedBatches: 1 }, { diffReasons: ["approvedBatches"] }, { status: "AUTO_PAUSE" });
    expect(rolloutChanges(parsePreview(text))[0].action).toBe("approve");
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

describe("an in-place update: what `pulumi up` sends, from the status recorded in state", () => {
  /** Unchanged inputs on a refresh running its first batch: `up` only keeps waiting (the baseline). */
  const plan = (change: { inputs?: object; oldInputs?: object; recorded?: object } = {}) => {
    const text = digest("update", { ...baseInputs, ...change.inputs }, {}, change.recorded ?? {}, { ...baseInputs, ...change.oldInputs });
    return { change: rolloutChanges(parsePreview(text))[0], markdown: renderPlan(parsePreview(text)) };
  };

  it("baseline: a running refresh with unchanged inputs is waited for, nothing sent", () => {
    const { change, markdown } = plan();
    expect(change.action).toBe("wait");
    expect(markdown).toContain("`web-rollout` on `asg-h7tgd87d` — sends nothing; waits for the running refresh to settle");
    expect(markdown).toContain("`pulumi up` sends no API call to asr-swfi680q, then waits until it settles.");
    expect(markdown).toContain("Forecast from the status in state: RUNNING at batch 1/3.");
  });

  it.each([
    // [what, change from the baseline, action, text the plan must contain]
    [
      "FAILED_PAUSE with paused false: retries the failed instances",
      { recorded: { status: "FAILED_PAUSE" } },
      "retry",
      "`pulumi up` sends ResumeInstanceRefresh (ResumeMode RETRY) to asr-swfi680q, then waits until it settles.",
    ],
    [
      "FAILED_PAUSE with resumeMode CONTINUE: skips them",
      { recorded: { status: "FAILED_PAUSE" }, inputs: { resumeMode: "CONTINUE" } },
      "skip-failed",
      "sends ResumeInstanceRefresh (ResumeMode CONTINUE)",
    ],
    ["MANUAL_PAUSE with paused false: resumes", { recorded: { status: "MANUAL_PAUSE" } }, "resume", "sends ResumeInstanceRefresh (ResumeMode RETRY)"],
    [
      "AUTO_PAUSE after batch 1 with approvedBatches 1: approves",
      { recorded: { status: "AUTO_PAUSE" }, inputs: { approvedBatches: 1 }, oldInputs: { approvedBatches: 1 } },
      "approve",
      "sends ResumeInstanceRefresh (ResumeMode RETRY)",
    ],
    [
      "RUNNING with paused true: pauses",
      { inputs: { paused: true }, oldInputs: { paused: true } },
      "pause",
      "`pulumi up` sends StopInstanceRefresh to asr-swfi680q.",
    ],
    [
      "SUCCESSFUL with paused flipped to true: sends nothing",
      { recorded: { status: "SUCCESSFUL", currentBatch: 3 }, inputs: { paused: true } },
      "none",
      "`pulumi up` sends no API call to asr-swfi680q (it is SUCCESSFUL; only the inputs in state change).",
    ],
    [
      "CANCELLED with paused flipped to false: sends nothing, only records",
      { recorded: { status: "CANCELLED" }, oldInputs: { paused: true } },
      "none",
      "`pulumi up` sends no API call to asr-swfi680q (it is CANCELLED; only the inputs in state change).",
    ],
    [
      "AUTO_PAUSE after batch 1 not approved: stays paused",
      { recorded: { status: "AUTO_PAUSE" }, inputs: { wait: { until: "settled", timeoutSeconds: 60 } } },
      "none",
      "(it is AUTO_PAUSE; only the inputs in state change)",
    ],
    [
      "RUNNING with approvedBatches 2: waits, passing the gates after batches 1 and 2",
      { inputs: { approvedBatches: 2 } },
      "wait",
      "then waits until it settles, resuming the AUTO_PAUSE after each of batches 1 to 2 (approvedBatches).",
    ],
    [
      "RUNNING with wait.until started: returns at once",
      { inputs: { wait: { until: "started", timeoutSeconds: 60 } } },
      "none",
      "(it is RUNNING; only the inputs in state change)",
    ],
  ])("%s", (_what, change, action, text) => {
    const planned = plan(change);
    expect(planned.change.action).toBe(action);
    expect(planned.markdown).toContain(text);
    expect(planned.markdown).not.toContain("untouched");
  });

  it("names a single approved gate as one batch", () => {
    expect(plan({ inputs: { approvedBatches: 1 } }).markdown).toContain("resuming the AUTO_PAUSE after batch 1 (approvedBatches).");
  });

  it("names the status behind an update the inputs do not explain", () => {
    expect(plan({ recorded: { status: "FAILED_PAUSE" } }).change.reasons).toEqual(["status FAILED_PAUSE and paused is false"]);
  });

  it("does not guess when a new input is unknown at preview", () => {
    const { change, markdown } = plan({ inputs: { paused: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" } });
    expect(change.action).toBe("update");
    expect(markdown).toContain("the plan cannot tell what `pulumi up` sends");
  });
});

describe("rollback: true: what `pulumi up` sends, from the state recorded", () => {
  /**
   * The baseline: `rollback: true` set on a refresh that state records as SUCCESSFUL, all 7
   * instances refreshed; the preview reports the flipped input (`diff`).
   */
  const succeeded = { status: "SUCCESSFUL", currentBatch: 3, batchCount: 3, activityType: "NORMAL", instanceCounts: { successful: 7, failed: 0, total: 7 } };
  const plan = (change: { inputs?: object; oldInputs?: object; recorded?: object; diff?: string[] } = {}) => {
    const text = digest(
      "update",
      { ...baseInputs, rollback: true, ...change.inputs },
      { diffReasons: change.diff ?? ["rollback"] },
      { ...succeeded, ...change.recorded },
      { ...baseInputs, ...change.oldInputs },
    );
    const markdown = renderPlan(parsePreview(text));
    return { change: rolloutChanges(parsePreview(text))[0], markdown, lines: markdown.split("\n") };
  };
  const HEADING = "### `web-rollout` on `asg-h7tgd87d` — rolls back the refresh: the instances it refreshed return to their previous configuration";

  it("baseline: a SUCCESSFUL refresh is rolled back with one RollbackInstanceRefresh, its refreshed instances named", () => {
    const { change, lines } = plan();
    expect(change.action).toBe("rollback");
    expect(change.reasons).toEqual(["`rollback`: (unset) → true"]);
    expect(lines).toContain(HEADING);
    expect(lines).toContain(
      "`pulumi up` sends RollbackInstanceRefresh, which rolls back asr-swfi680q: 7 instances return to the configuration they had before the refresh, " +
        "then waits until the rollback settles.",
    );
    expect(lines).toContain(
      "Forecast from the status in state: SUCCESSFUL at batch 3/3. `pulumi up` reads the live status first and decides the same way; " +
        "run `pulumi refresh` before previewing if the refresh may have moved since.",
    );
  });

  it("passes what state recorded about the activity and its rollback to the forecast", () => {
    const recorded = { rollbackActivityId: "asr-r0llback", rollbackStatus: "RUNNING" };
    expect(plan({ recorded }).change.recorded).toEqual({
      status: "SUCCESSFUL",
      currentBatch: 3,
      batchCount: 3,
      activityType: "NORMAL",
      instanceCounts: { successful: 7, failed: 0, total: 7 },
      rollbackActivityId: "asr-r0llback",
      rollbackStatus: "RUNNING",
      activityId: "asr-swfi680q",
    });
  });

  it.each([
    // [what, change from the baseline, the forecast line]
    [
      "FAILED_PAUSE: the successful and the failed instances return",
      { recorded: { status: "FAILED_PAUSE", currentBatch: 2, instanceCounts: { successful: 2, failed: 1, total: 7 } } },
      "`pulumi up` sends RollbackInstanceRefresh, which rolls back asr-swfi680q: 3 instances return to the configuration they had before the refresh, " +
        "then waits until the rollback settles.",
    ],
    [
      "RUNNING: the refresh is paused first",
      { recorded: { status: "RUNNING", currentBatch: 2, instanceCounts: { successful: 2, failed: 0, total: 7 } } },
      "`pulumi up` pauses the running refresh (StopInstanceRefresh), then sends RollbackInstanceRefresh, which rolls back asr-swfi680q: " +
        "2 instances return to the configuration they had before the refresh, then waits until the rollback settles.",
    ],
    [
      "one instance refreshed",
      { recorded: { status: "MANUAL_PAUSE", currentBatch: 1, instanceCounts: { successful: 1, failed: 0, total: 7 } } },
      "`pulumi up` sends RollbackInstanceRefresh, which rolls back asr-swfi680q: 1 instance returns to the configuration it had before the refresh, " +
        "then waits until the rollback settles.",
    ],
    [
      "wait.until started: returns once the rollback has started",
      { inputs: { wait: { until: "started", timeoutSeconds: 60 } } },
      "`pulumi up` sends RollbackInstanceRefresh, which rolls back asr-swfi680q: 7 instances return to the configuration they had before the refresh; " +
        "it returns once the rollback has started (wait.until started).",
    ],
  ])("%s", (_what, change, line) => {
    const planned = plan(change);
    expect(planned.change.action).toBe("rollback");
    expect(planned.lines).toContain(HEADING);
    expect(planned.lines).toContain(line);
  });

  it.each([
    // [what, change from the baseline, the refusal]
    [
      "a CANCELLED refresh",
      { recorded: { status: "CANCELLED" } },
      "it was CANCELLED; a cancelled refresh cannot be rolled back (only a paused refresh or the group's latest successful one can)",
    ],
    [
      "a refresh that refreshed nothing",
      { recorded: { status: "MANUAL_PAUSE", currentBatch: 1, instanceCounts: { successful: 0, failed: 0, total: 7 } } },
      "nothing to roll back: no instance has been refreshed yet (status MANUAL_PAUSE)",
    ],
    [
      "a rollback activity",
      { recorded: { activityType: "ROLLBACK" } },
      "it is itself a rollback (ROLLBACK), and a rollback cannot be rolled back",
    ],
  ])("refused on %s: a warning that `pulumi up` fails and sends nothing", (_what, change, reason) => {
    const { change: planned, lines } = plan(change);
    expect(planned.action).toBe("rollback-refused");
    expect(planned.forecast?.call).toBeUndefined();
    expect(lines).toContain("### `web-rollout` on `asg-h7tgd87d` — asks for a rollback that `pulumi up` refuses: it fails and sends nothing");
    const warning = lines.indexOf(`⚠️ \`pulumi up\` will fail and send nothing: asr-swfi680q cannot be rolled back: ${reason}.`);
    expect(warning).toBeGreaterThan(0);
    expect(lines[warning + 1]).toBe(""); // a paragraph of its own, then the recorded-status caveat
    expect(lines[warning + 2]).toMatch(/^Forecast from the status in state: /);
  });

  it("an existing rollback still running: no second rollback, waits for it", () => {
    const recorded = { rollbackActivityId: "asr-r0llback", rollbackStatus: "RUNNING" };
    const { change, lines } = plan({ recorded, oldInputs: { rollback: true }, diff: [] });
    expect(change.action).toBe("rollback-wait");
    expect(change.reasons).toEqual(["rollbackStatus RUNNING and rollback is true"]);
    expect(lines).toContain("### `web-rollout` on `asg-h7tgd87d` — waits for the refresh's rollback to settle; sends no second rollback");
    expect(lines).toContain(
      "`pulumi up` sends no second RollbackInstanceRefresh: asr-swfi680q already has rollback asr-r0llback (RUNNING), and waits until the rollback settles.",
    );
  });

  it("an existing rollback that ended: sends nothing, only records the inputs", () => {
    const { change, lines } = plan({ recorded: { rollbackActivityId: "asr-r0llback", rollbackStatus: "SUCCESSFUL" } });
    expect(change.action).toBe("none");
    expect(lines).toContain("`pulumi up` sends no API call to asr-swfi680q (it is SUCCESSFUL; only the inputs in state change).");
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
    expect(renderPlan({ steps: [], violations: [] })).toContain("This change starts, pauses, resumes, rolls back or cancels no instance refresh.");
  });
});
