import { describe, expect, it } from "vitest";
import { parsePreview, renderPlan, rolloutChanges } from "../../plan";
import { ALICLOUD_INSTANCE_REFRESH_TYPE, BRIDGED_ESS_INSTANCE_REFRESH_TYPE } from "../../provider/alibabacloud/tokens";
import { INSTANCE_REFRESH_TYPE } from "../../provider/tencentcloud/tokens";

/** The text plan alone, as `--no-diagram` writes it (test/plan/diagram.test.ts checks the diagrams). */
const TEXT_PLAN = { diagram: false } as const;

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
    expect(change.cloud === "tencentcloud" && change.batchPlan).toEqual([4, 3]);
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
    return { change: rolloutChanges(parsePreview(text))[0], markdown: renderPlan(parsePreview(text), TEXT_PLAN) };
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
    const markdown = renderPlan(parsePreview(text), TEXT_PLAN);
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
    const markdown = renderPlan(parsePreview(digest("replace", newInputs, { replaceReasons: ["refreshSettings"] })), TEXT_PLAN);
    expect(markdown).toContain("`web-rollout` on `asg-h7tgd87d` — cancels the current refresh");
    expect(markdown).toContain("| batches | 2 (4 + 3 instances) |");
    expect(markdown).toContain("| max surge | 1 |");
    expect(markdown).toContain("- `refreshSettings`:");
  });

  it("says so when nothing changes", () => {
    expect(renderPlan({ steps: [], violations: [] }, TEXT_PLAN)).toContain("This change starts, pauses, resumes, rolls back or cancels no instance refresh.");
  });
});

describe("Alibaba Cloud ESS: an AlicloudInstanceRefresh", () => {
  const ESS_URN = `urn:pulumi:prod::shop::${ALICLOUD_INSTANCE_REFRESH_TYPE}::web-ess`;
  const GROUP = "asg-bp1a2b3c4d5e6f7g8h9i";
  const TASK = "ir-bp1xyz1234567";
  const HEADING = `### \`web-ess\` on \`${GROUP}\` — `;
  /** A canary refresh: pauses at 20 %, then the rest. */
  const essInputs = {
    scalingGroupId: GROUP,
    minHealthyPercentage: 80,
    maxHealthyPercentage: 120,
    desiredConfiguration: { imageId: "m-bp1abcdefgh" },
    skipMatching: true,
    checkpoints: [{ percentage: 20 }, { percentage: 100 }],
    checkpointPauseTime: 60,
    paused: false,
    approvedCheckpoints: 0,
  };
  /** What state recorded: the task running toward its checkpoint, 1 of 10 refreshed. */
  const essRecorded = { instanceRefreshTaskId: TASK, status: "InProgress", currentCheckpoint: 0, checkpointCount: 1, finishedUpdateCapacity: 1, totalNeedUpdateCapacity: 10 };
  const TABLE = [
    "| setting | value |",
    "|---|---|",
    "| desired configuration | image `m-bp1abcdefgh` |",
    "| healthy capacity | min 80 %, max 120 %: keeps ≥ 80 % of capacity in service (≤ 20 % out at once), adds ≤ 20 % surge |",
    "| checkpoints | pauses at 20 % for 60 min (approvedCheckpoints resumes it early), then 100 % |",
    "| skip matching | true: instances already on the desired configuration are skipped |",
  ];

  const plan = (op: string, change: { inputs?: object; oldInputs?: object; recorded?: object; diff?: string[]; replace?: string[] } = {}) => {
    const newInputs = op === "delete" ? undefined : { ...essInputs, ...change.inputs };
    const oldInputs = op === "create" ? undefined : { ...essInputs, ...change.oldInputs };
    const step = {
      op,
      urn: ESS_URN,
      ...(oldInputs ? { oldState: { type: ALICLOUD_INSTANCE_REFRESH_TYPE, inputs: oldInputs, outputs: { ...oldInputs, ...essRecorded, ...change.recorded } } } : {}),
      ...(newInputs ? { newState: { type: ALICLOUD_INSTANCE_REFRESH_TYPE, inputs: newInputs } } : {}),
      diffReasons: change.diff ?? [],
      replaceReasons: change.replace ?? [],
    };
    const record = parsePreview(JSON.stringify({ steps: [step] }));
    const markdown = renderPlan(record, TEXT_PLAN);
    return { change: rolloutChanges(record)[0], markdown, lines: markdown.split("\n") };
  };

  it("baseline: a create sends StartInstanceRefresh; the settings are told in words", () => {
    const { change, lines } = plan("create");
    expect(change.action).toBe("start");
    expect(lines).toEqual([
      "## Instance refresh plan",
      "",
      `${HEADING}starts a new refresh`,
      "",
      `\`pulumi up\` sends StartInstanceRefresh to ${GROUP}, then waits until the task settles.`,
      "",
      ...TABLE,
      "",
    ]);
  });

  it.each([
    // [what, inputs changed from the baseline, the table line]
    ["unset healthy percentages are the API's defaults", { minHealthyPercentage: undefined, maxHealthyPercentage: undefined }, "| healthy capacity | min 80 % (default), max 120 % (default): keeps ≥ 80 % of capacity in service (≤ 20 % out at once), adds ≤ 20 % surge |"],
    ["Min = Max = 100 is one instance at a time", { minHealthyPercentage: 100, maxHealthyPercentage: 100 }, "| healthy capacity | min 100 %, max 100 %: keeps ≥ 100 % of capacity in service (≤ 0 % out at once), adds ≤ 0 % surge (Min = Max = 100: one instance at a time) |"],
    ["two checkpoints", { checkpoints: [{ percentage: 10 }, { percentage: 50 }, { percentage: 100 }], checkpointPauseTime: 30 }, "| checkpoints | pauses at 10 % and 50 % for 30 min each (approvedCheckpoints resumes each early), then 100 % |"],
    ["no checkpoint", { checkpoints: undefined }, "| checkpoints | none: refreshes to 100 % without pausing |"],
    ["skipMatching false", { skipMatching: false }, "| skip matching | false: instances already on the desired configuration are refreshed too |"],
    ["skipMatching unset", { skipMatching: undefined }, "| skip matching | true (unset: the API's default): instances already on the desired configuration are skipped |"],
    ["a launch template", { desiredConfiguration: { launchTemplateId: "lt-bp1abc", launchTemplateVersion: "3", launchTemplateOverrides: [{ instanceType: "ecs.g7.large" }] } }, "| desired configuration | launch template `lt-bp1abc` version `3` (instance types `ecs.g7.large`) |"],
    ["no desired configuration", { desiredConfiguration: undefined }, "| desired configuration | the group's active configuration (unset) |"],
    ["a value unknown at preview", { minHealthyPercentage: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, "| healthy capacity | min (known after apply), max 120 % |"],
  ])("%s", (_what, inputs, line) => {
    expect(plan("create", { inputs }).lines).toContain(line);
  });

  it("wait.until started: StartInstanceRefresh returns once the task has started", () => {
    expect(plan("create", { inputs: { wait: { until: "started", timeoutSeconds: 60 } } }).lines).toContain(
      `\`pulumi up\` sends StartInstanceRefresh to ${GROUP}; it returns once the task has started (wait.until started).`,
    );
  });

  it("a replacement cancels the current task first, then starts a new one", () => {
    const { change, lines } = plan("replace", { inputs: { minHealthyPercentage: 90 }, replace: ["minHealthyPercentage"] });
    expect(change.action).toBe("restart");
    expect(lines).toContain(`${HEADING}cancels the current refresh (if it is still running) and starts a new one`);
    expect(lines).toContain(
      `\`pulumi up\` first deletes the current task: it sends CancelInstanceRefresh to ${TASK} (InProgress in state) and waits until it has ended. ` +
        `Then it sends StartInstanceRefresh to ${GROUP}, then waits until the task settles.`,
    );
    expect(lines).toContain("- `minHealthyPercentage`: 80 → 90");
  });

  it.each([
    // [recorded status, the sentence]
    ["InProgress", `\`pulumi up\` sends CancelInstanceRefresh to ${TASK} (InProgress in state) and waits until it has ended.`],
    ["Successful", `\`pulumi up\` sends nothing to ${TASK}, which is Successful (nothing to cancel).`],
    ["RollbackInProgress", `\`pulumi up\` sends nothing to ${TASK} while it is RollbackInProgress (the API cancels no rollback in progress) and waits for it to end.`],
  ])("a delete of a task %s", (status, sentence) => {
    const { change, lines } = plan("delete", { recorded: { status } });
    expect(change.action).toBe("cancel");
    expect(lines).toContain(`${HEADING}cancels the refresh if it is still running`);
    expect(lines).toContain(sentence);
  });

  it.each([
    // [what, change from the baseline (InProgress, 1 of 10 refreshed), action, heading, the forecast line, the caveat's status]
    [
      "paused flips to true on a running task: SuspendInstanceRefresh",
      { inputs: { paused: true }, diff: ["paused"] },
      "pause",
      "pauses the running refresh",
      `\`pulumi up\` sends SuspendInstanceRefresh to ${TASK}.`,
      "InProgress (0 of 1 checkpoints reached)",
    ],
    [
      "paused flips to false on a Paused task: ResumeInstanceRefresh",
      { oldInputs: { paused: true }, recorded: { status: "Paused" }, diff: ["paused"] },
      "resume",
      "resumes the paused refresh",
      `\`pulumi up\` sends ResumeInstanceRefresh to ${TASK}, then waits until it settles.`,
      "Paused (0 of 1 checkpoints reached)",
    ],
    [
      "approvedCheckpoints opens the current CheckpointPause: ResumeInstanceRefresh",
      { inputs: { approvedCheckpoints: 1 }, recorded: { status: "CheckpointPause", currentCheckpoint: 1, finishedUpdateCapacity: 2 }, diff: ["approvedCheckpoints"] },
      "approve",
      "resumes the canary refresh from its checkpoint pause (approvedCheckpoints)",
      `\`pulumi up\` sends ResumeInstanceRefresh to ${TASK}, then waits until it settles, resuming the CheckpointPause at checkpoint 1 (approvedCheckpoints).`,
      "CheckpointPause (1 of 1 checkpoints reached)",
    ],
    [
      "rollback flips to true on a running task: suspends it, then RollbackInstanceRefresh",
      { inputs: { rollback: true }, diff: ["rollback"] },
      "rollback",
      "rolls back the refresh",
      `\`pulumi up\` suspends the running task (SuspendInstanceRefresh), then sends RollbackInstanceRefresh, which rolls back ${TASK} ` +
        "(capacity 1 of 10 refreshed so far), then waits until the rollback settles.",
      "InProgress (0 of 1 checkpoints reached)",
    ],
    [
      "rollback flips to true on a Successful task: RollbackInstanceRefresh",
      { inputs: { rollback: true }, recorded: { status: "Successful", currentCheckpoint: 1, finishedUpdateCapacity: 10 }, diff: ["rollback"] },
      "rollback",
      "rolls back the refresh",
      `\`pulumi up\` sends RollbackInstanceRefresh, which rolls back ${TASK} (capacity 10 of 10 refreshed so far), then waits until the rollback settles.`,
      "Successful (1 of 1 checkpoints reached)",
    ],
    [
      "rollback already in progress: no second RollbackInstanceRefresh",
      { inputs: { rollback: true }, oldInputs: { rollback: true }, recorded: { status: "RollbackInProgress" } },
      "rollback-wait",
      "waits for the task's rollback to settle; sends no second rollback",
      `\`pulumi up\` sends no second RollbackInstanceRefresh: ${TASK} is already RollbackInProgress (a rollback is the task's own status), and waits until the rollback settles.`,
      "RollbackInProgress (0 of 1 checkpoints reached)",
    ],
    [
      "unchanged inputs on a running task: nothing sent, waits",
      {},
      "wait",
      "sends nothing; waits for the running refresh to settle",
      `\`pulumi up\` sends no API call to ${TASK}, then waits until it settles.`,
      "InProgress (0 of 1 checkpoints reached)",
    ],
    [
      "paused flips to true on a Successful task: nothing sent",
      { inputs: { paused: true }, recorded: { status: "Successful", currentCheckpoint: 1 }, diff: ["paused"] },
      "none",
      "sends nothing to the refresh",
      `\`pulumi up\` sends no API call to ${TASK} (it is Successful; only the inputs in state change).`,
      "Successful (1 of 1 checkpoints reached)",
    ],
    [
      "a CheckpointPause that approvedCheckpoints does not open: nothing sent",
      { inputs: { wait: { until: "settled", timeoutSeconds: 60 } }, recorded: { status: "CheckpointPause", currentCheckpoint: 1 }, diff: ["wait"] },
      "none",
      "sends nothing to the refresh",
      `\`pulumi up\` sends no API call to ${TASK} (it is CheckpointPause; only the inputs in state change).`,
      "CheckpointPause (1 of 1 checkpoints reached)",
    ],
  ])("%s", (_what, change, action, heading, line, status) => {
    const { change: planned, lines } = plan("update", change);
    expect(planned.action).toBe(action);
    expect(lines).toContain(`${HEADING}${heading}`);
    expect(lines).toContain(line);
    expect(lines).toContain(
      `Forecast from the status in state: ${status}. \`pulumi up\` reads the live status first and decides the same way; ` +
        "run `pulumi refresh` before previewing if the refresh may have moved since.",
    );
  });

  it("names the status behind an update the inputs do not explain", () => {
    expect(plan("update", { oldInputs: { paused: false }, recorded: { status: "Paused" } }).change.reasons).toEqual(["status Paused and paused is false"]);
  });

  it("rollback refused when nothing was refreshed: a warning that `pulumi up` fails and sends nothing", () => {
    const { change, lines } = plan("update", { inputs: { rollback: true }, recorded: { status: "Paused", finishedUpdateCapacity: 0 }, diff: ["rollback"] });
    expect(change.action).toBe("rollback-refused");
    expect(change.forecast?.call).toBeUndefined();
    const warning = lines.indexOf(
      `⚠️ \`pulumi up\` will fail and send nothing: ${TASK} cannot be rolled back: nothing to roll back: no instance has been refreshed yet (status Paused).`,
    );
    expect(warning).toBeGreaterThan(0);
    expect(lines[warning + 1]).toBe("");
    expect(lines[warning + 2]).toMatch(/^Forecast from the status in state: Paused/);
  });

  it("does not guess when a new input is unknown at preview", () => {
    const { change, markdown } = plan("update", { inputs: { paused: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, diff: ["paused"] });
    expect(change.action).toBe("update");
    expect(markdown).toContain("the plan cannot tell what `pulumi up` sends");
  });
});

describe("Alibaba Cloud ESS: the bridged alicloud.ess.InstanceRefresh", () => {
  const URN_BRIDGED = `urn:pulumi:prod::shop::${BRIDGED_ESS_INSTANCE_REFRESH_TYPE}::tf-ess`;
  const GROUP = "asg-bp1a2b3c4d5e6f7g8h9i";
  const HEADING = `### \`tf-ess\` on \`${GROUP}\` — `;
  const args = { scalingGroupId: GROUP, desiredConfigurationImageId: "m-bp1abcdefgh", checkpoints: [{ percentage: 20 }, { percentage: 100 }] };

  const plan = (op: string, inputs: object = args, diff: string[] = []) => {
    const step = {
      op,
      urn: URN_BRIDGED,
      ...(op === "create" ? {} : { oldState: { type: BRIDGED_ESS_INSTANCE_REFRESH_TYPE, inputs: args, outputs: { ...args, status: "InProgress" } } }),
      ...(op === "delete" ? {} : { newState: { type: BRIDGED_ESS_INSTANCE_REFRESH_TYPE, inputs } }),
      diffReasons: diff,
    };
    const record = parsePreview(JSON.stringify({ steps: [step] }));
    return { change: rolloutChanges(record)[0], lines: renderPlan(record, TEXT_PLAN).split("\n") };
  };

  it("a create: StartInstanceRefresh through the bridged provider, which sends SkipMatching false when unset", () => {
    const { change, lines } = plan("create");
    expect(change.action).toBe("start");
    expect(lines).toEqual([
      "## Instance refresh plan",
      "",
      `${HEADING}starts a new refresh`,
      "",
      `\`pulumi up\` sends StartInstanceRefresh to ${GROUP} (through the bridged alicloud provider).`,
      "",
      "| setting | value |",
      "|---|---|",
      "| desired configuration | image `m-bp1abcdefgh` |",
      "| healthy capacity | min 80 % (default), max 120 % (default): keeps ≥ 80 % of capacity in service (≤ 20 % out at once), adds ≤ 20 % surge |",
      "| checkpoints | pauses at 20 % for 60 min, then 100 % |",
      "| skip matching | false (unset: the bridged provider sends false): instances already on the desired configuration are refreshed too |",
      "",
    ]);
  });

  it.each([
    ["Cancelled", "cancel", "cancels the refresh if it is still running", '`pulumi up` sends CancelInstanceRefresh (status "Cancelled") and waits out Cancelling.'],
    [
      "RollbackSuccessful",
      "rollback",
      "rolls back the refresh",
      '`pulumi up` sends RollbackInstanceRefresh (status "RollbackSuccessful") and waits out RollbackInProgress; it fails on RollbackFailed.',
    ],
    ["Paused", "none", "sends nothing to the refresh", '`pulumi up` sends no API call: the bridged provider acts only on status "Cancelled" or "RollbackSuccessful" (status "Paused").'],
  ])("an update of status to %s", (status, action, heading, line) => {
    const { change, lines } = plan("update", { ...args, status }, ["status"]);
    expect(change.action).toBe(action);
    expect(lines).toContain(`${HEADING}${heading}`);
    expect(lines).toContain(line);
  });

  it("a delete sends nothing: the bridged provider only forgets the task", () => {
    const { change, lines } = plan("delete");
    expect(change.action).toBe("forget");
    expect(lines).toContain(`${HEADING}removes the refresh from state only; sends nothing to the cloud`);
    expect(lines).toContain("`pulumi up` sends nothing: the bridged provider's delete only removes the task from state; a task that still runs goes on.");
  });

  it("a replacement starts a new task without cancelling the old one", () => {
    const { change, lines } = plan("replace", { ...args, desiredConfigurationImageId: "m-bp1newimage" }, ["desiredConfigurationImageId"]);
    expect(change.action).toBe("restart");
    expect(lines).toContain(
      `\`pulumi up\` sends StartInstanceRefresh to ${GROUP} for the new task. The old task is not cancelled: the bridged provider's delete only ` +
        "removes it from state, and while it still runs the API refuses the new one (one task per group).",
    );
    expect(lines).toContain('- `desiredConfigurationImageId`: "m-bp1abcdefgh" → "m-bp1newimage"');
  });
});
