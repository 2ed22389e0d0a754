// @vitest-environment jsdom
/**
 * The Mermaid diagrams of the rollout plan (`plan/diagram.ts`), checked with Mermaid's own parser:
 * `mermaid.parse` of the `mermaid` package, the parser GitHub's renderer runs. It needs a DOM in
 * Node (its sanitizer, DOMPurify, binds to `window` when it loads), so this file runs in vitest's
 * jsdom environment (the docblock above; `jsdom` is a devDependency) and loads mermaid once, lazily.
 * `@mermaid-js/parser` alone does not cover flowcharts.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { mermaidText, parsePreview, renderPlan, rolloutChanges, type PreviewRecord } from "../../plan";
import { ALICLOUD_INSTANCE_REFRESH_TYPE, BRIDGED_ESS_INSTANCE_REFRESH_TYPE } from "../../provider/alibabacloud/tokens";
import { BRIDGED_START_INSTANCE_REFRESH_TYPE, INSTANCE_REFRESH_TYPE } from "../../provider/tencentcloud/tokens";

type Mermaid = (typeof import("mermaid"))["default"];
let mermaid: Mermaid;

beforeAll(async () => {
  mermaid = (await import("mermaid")).default;
  mermaid.initialize({ startOnLoad: false });
});

/** Throws Mermaid's parse error when the diagram is not valid Mermaid. */
async function expectValid(diagram: string): Promise<void> {
  await expect(mermaid.parse(diagram), diagram).resolves.toMatchObject({ diagramType: "flowchart-v2" });
}

/** The text of every ```mermaid block of a plan. */
function diagramsOf(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((match) => match[1]);
}

/** A plan's Markdown (with diagrams) and its diagrams, each checked by the parser. */
async function planOf(record: PreviewRecord): Promise<{ markdown: string; diagrams: string[] }> {
  const markdown = renderPlan(record);
  const diagrams = diagramsOf(markdown);
  expect(diagrams).toHaveLength(rolloutChanges(record).length);
  for (const diagram of diagrams) await expectValid(diagram);
  return { markdown, diagrams };
}

const step = (op: string, urn: string, type: string, news: object | undefined, olds?: { inputs: object; outputs: object }, extra: object = {}) => ({
  op,
  urn,
  ...(olds ? { oldState: { type, inputs: olds.inputs, outputs: { ...olds.inputs, ...olds.outputs } } } : {}),
  ...(news ? { newState: { type, inputs: news } } : {}),
  ...extra,
});
const record = (...steps: object[]): PreviewRecord => parsePreview(JSON.stringify({ steps }));

const TENCENT_URN = `urn:pulumi:prod::shop::${INSTANCE_REFRESH_TYPE}::web-rollout`;
const ESS_URN = `urn:pulumi:prod::shop::${ALICLOUD_INSTANCE_REFRESH_TYPE}::web-ess`;
const GATE = {
  http: { url: "https://web.example.com/healthz", headers: { Authorization: "Bearer s3cr3t-token" } },
  onFailure: "rollback",
  requireApproval: true,
};
/** A canary InstanceRefresh: 3 batches, a gate after the first, rolled back by the cloud on a failed instance. */
const tencentInputs = {
  autoScalingGroupId: "asg-h7tgd87d",
  refreshMode: "ROLLING_UPDATE_RESET",
  refreshSettings: { rollingUpdateSettings: { batchNumber: 3, maxSurge: 1, batchPause: "FIRST_BATCH_PAUSE", failProcess: "AUTO_ROLLBACK" } },
  gate: GATE,
};
/** The last refresh, done: 7 instances (the batch plan comes from it). */
const tencentRecorded = { refreshActivityId: "asr-swfi680q", status: "SUCCESSFUL", currentBatch: 3, batchCount: 3, instanceCounts: { successful: 7, failed: 0, total: 7 } };
/** A canary ESS refresh: checkpoints at 20 % and 50 %, a gate at each. */
const essInputs = {
  scalingGroupId: "asg-bp1a2b3c4d5e6f7g8h9i",
  minHealthyPercentage: 80,
  maxHealthyPercentage: 120,
  desiredConfiguration: { imageId: "m-bp1abcdefgh" },
  checkpoints: [{ percentage: 20 }, { percentage: 50 }, { percentage: 100 }],
  checkpointPauseTime: 30,
  gate: { http: { url: "https://web.example.com/healthz", bodyContains: "ok" }, soakSeconds: 120, intervalSeconds: 15 },
};

describe("the diagram of a Tencent rollout", () => {
  const replaced = record(
    step("replace", TENCENT_URN, INSTANCE_REFRESH_TYPE, tencentInputs, { inputs: { ...tencentInputs, triggers: { image: "img-1" } }, outputs: tencentRecorded }, { replaceReasons: ["triggers"] }),
  );

  it("draws the batches with their sizes and surge, the gate after batch 1 with its checks, and both failure paths (exact)", async () => {
    const { diagrams } = await planOf(replaced);
    expect(diagrams[0].split("\n")).toEqual([
      "flowchart TD",
      '  up(["pulumi up: cancels the current refresh (if it is still running) and starts a new one"])',
      '  s1["batch 1: 3 instances, + up to 1 surge"]',
      '  g1{{"AUTO_PAUSE after batch 1 (FIRST_BATCH_PAUSE)<br/>GET https://web.example.com/healthz → 200, soak 60 s every 10 s<br/>headers: Authorization (values not shown)<br/>human approval: approvedBatches ≥ 1"}}',
      '  s2["batch 2: 2 instances, + up to 1 surge"]',
      '  s3["batch 3: 2 instances, + up to 1 surge"]',
      '  done(["done: 7 instances refreshed"])',
      '  gateFailed("gate fails: 2 unhealthy samples in a row<br/>onFailure rollback: the refresh is rolled back<br/>pulumi up fails with the probe\'s evidence")',
      '  failed("an instance fails: failProcess AUTO_ROLLBACK<br/>the cloud rolls the refreshed instances back")',
      "  up --> s1",
      "  s1 --> g1",
      '  g1 -->|"healthy for 60 s and approved"| s2',
      "  s2 --> s3",
      "  s3 --> done",
      '  g1 -.->|"unhealthy"| gateFailed',
      '  s1 & s2 & s3 -.->|"an instance fails"| failed',
      "  classDef gate fill:#fff8c5,stroke:#9a6700,color:#1f2328",
      "  classDef failure fill:#ffebe9,stroke:#cf222e,color:#1f2328",
      "  classDef now stroke:#0969da,stroke-width:4px",
      "  class g1 gate",
      "  class gateFailed,failed failure",
    ]);
  });

  it("is the example plan/README.md shows", async () => {
    const readme = readFileSync(join(__dirname, "../../plan/README.md"), "utf8");
    expect(diagramsOf(readme)).toEqual((await planOf(replaced)).diagrams);
  });

  it("never shows a header's value, only its name", async () => {
    const { markdown } = await planOf(replaced);
    expect(markdown).toContain("headers: Authorization (values not shown)");
    expect(markdown).not.toContain("s3cr3t");
  });

  it("comes at the end of the change's section; without it the text plan is unchanged", async () => {
    const { markdown } = await planOf(replaced);
    const text = renderPlan(replaced, { diagram: false });
    expect(text).not.toContain("```mermaid");
    // The text plan, with each diagram and the blank line after it taken out (the plan ends with one newline either way).
    expect(`${markdown.replace(/```mermaid\n[\s\S]*?\n```\n\n?/g, "").trimEnd()}\n`).toBe(text);
    expect(markdown.indexOf("```mermaid")).toBeGreaterThan(markdown.indexOf("Why:"));
  });

  it("marks where state records the refresh, and what `pulumi up` sends there: an approval at the AUTO_PAUSE after batch 1", async () => {
    const inputs = { ...tencentInputs, approvedBatches: 1 };
    const recorded = { ...tencentRecorded, status: "AUTO_PAUSE", currentBatch: 1 };
    const { diagrams } = await planOf(record(step("update", TENCENT_URN, INSTANCE_REFRESH_TYPE, inputs, { inputs: tencentInputs, outputs: recorded }, { diffReasons: ["approvedBatches"] })));
    expect(diagrams[0]).toContain('  up -->|"ResumeInstanceRefresh (RETRY)"| g1');
    expect(diagrams[0]).toContain("  class g1 now");
  });

  it("a rollback: what returns, from the refresh state records", async () => {
    const inputs = { ...tencentInputs, rollback: true };
    const { diagrams } = await planOf(record(step("update", TENCENT_URN, INSTANCE_REFRESH_TYPE, inputs, { inputs: tencentInputs, outputs: tencentRecorded }, { diffReasons: ["rollback"] })));
    expect(diagrams[0]).toContain('  change("RollbackInstanceRefresh: 7 instances return to their previous configuration")');
    expect(diagrams[0]).toContain("  up --> change");
    expect(diagrams[0]).toContain("  class done now");
  });

  it("a rollback that `pulumi up` refuses: a failure node with the reason", async () => {
    const inputs = { ...tencentInputs, rollback: true };
    const recorded = { ...tencentRecorded, status: "CANCELLED" };
    const { diagrams } = await planOf(record(step("update", TENCENT_URN, INSTANCE_REFRESH_TYPE, inputs, { inputs: tencentInputs, outputs: recorded }, { diffReasons: ["rollback"] })));
    expect(diagrams[0]).toContain("refused: pulumi up fails and sends nothing<br/>it was CANCELLED; a cancelled refresh cannot be rolled back");
    expect(diagrams[0]).toContain("  class gateFailed,failed,change failure");
  });

  it("a human gate: without `gate`, each BATCH_INTERVAL_PAUSE waits for approvedBatches; a long rollout is drawn shortened", async () => {
    const inputs = { ...tencentInputs, gate: undefined, refreshSettings: { rollingUpdateSettings: { batchNumber: 20, batchPause: "BATCH_INTERVAL_PAUSE" } } };
    const { diagrams } = await planOf(record(step("create", TENCENT_URN, INSTANCE_REFRESH_TYPE, inputs)));
    expect(diagrams[0]).toContain('  g2{{"AUTO_PAUSE after batch 2 (BATCH_INTERVAL_PAUSE)<br/>human approval: approvedBatches ≥ 2"}}');
    expect(diagrams[0]).toContain('  s3_19["batches 3 to 19"]');
    expect(diagrams[0]).toContain("human approval: approvedBatches ≥ 3 … 19, one more per batch");
    expect(diagrams[0]).toContain('  g3_19 -->|"approved"| s20');
    expect(diagrams[0]).toContain("failProcess AUTO_PAUSE<br/>the cloud pauses the refresh (FAILED_PAUSE)");
    expect(diagrams[0]).not.toContain("gateFailed");
  });

  it("a gate that never runs (batchPause AUTOMATIC) is said so", async () => {
    const inputs = { ...tencentInputs, refreshSettings: { rollingUpdateSettings: { batchNumber: 2, batchPause: "AUTOMATIC" } } };
    const { diagrams } = await planOf(record(step("create", TENCENT_URN, INSTANCE_REFRESH_TYPE, inputs)));
    expect(diagrams[0]).toContain("⚠️ the health gate never runs: batchPause AUTOMATIC does not pause between batches");
    expect(diagrams[0]).toContain("  s1 --> s2");
  });

  it("values unknown at preview or secret are named so, and still parse", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
    const inputs = { ...tencentInputs, gate: { http: { url: "[secret]", headers: unknown } }, refreshSettings: { rollingUpdateSettings: { batchNumber: unknown } } };
    const { diagrams } = await planOf(record(step("create", TENCENT_URN, INSTANCE_REFRESH_TYPE, inputs)));
    expect(diagrams[0]).toContain('  steps["batches: (known after apply)"]');
    const gated = { ...tencentInputs, gate: { http: { url: "[secret]", headers: unknown }, onFailure: unknown } };
    const [diagram] = (await planOf(record(step("create", TENCENT_URN, INSTANCE_REFRESH_TYPE, gated)))).diagrams;
    expect(diagram).toContain("GET (secret) → 200, soak 60 s every 10 s<br/>headers: (known after apply) (values not shown)");
    expect(diagram).toContain("onFailure (known after apply)");
  });

  it("escapes what Mermaid would read as syntax: quotes, brackets, #, |, HTML and backticks in a URL", async () => {
    const url = 'https://web.example.com/health?q="a|b"&x=[1]{2}(3)<br>#frag;`x`';
    const inputs = { ...tencentInputs, gate: { ...GATE, http: { url, bodyContains: 'he said "ok" #quot;' } } };
    const { diagrams } = await planOf(record(step("create", TENCENT_URN, INSTANCE_REFRESH_TYPE, inputs)));
    expect(diagrams[0]).toContain(`GET ${mermaidText(url)} → 200`);
    expect(mermaidText(url)).toBe("https://web.example.com/health?q=#quot;a#124;b#quot;#amp;x=[1]{2}(3)#lt;br#gt;#35;frag;#96;x#96;");
    expect(diagrams[0]).toContain("body contains #quot;he said #quot;ok#quot; #35;quot;#quot;");
  });
});

describe("the diagram of an ESS rollout", () => {
  it("draws the checkpoints with their percentages and pause time, the gate at each, its failure path", async () => {
    const { diagrams } = await planOf(record(step("create", ESS_URN, ALICLOUD_INSTANCE_REFRESH_TYPE, essInputs)));
    const lines = diagrams[0].split("\n");
    expect(lines).toContain('  s1["refresh to 20 % of the group<br/>≤ 20 % out at once, ≤ 20 % surge"]');
    expect(lines).toContain(
      '  g1{{"CheckpointPause at 20 % (checkpoint 1)<br/>GET https://web.example.com/healthz → 200, body contains #quot;ok#quot;, soak 120 s every 15 s<br/>' +
        'ESS resumes by itself after 30 min (checkpointPauseTime)"}}',
    );
    expect(lines).toContain('  g2 -->|"healthy for 120 s"| s3');
    expect(lines).toContain('  g1 & g2 -.->|"unhealthy"| gateFailed');
    expect(lines).toContain('  gateFailed("gate fails: 2 unhealthy samples in a row<br/>onFailure pause: the refresh stays paused<br/>pulumi up fails with the probe\'s evidence")');
    expect(lines).toContain("  up --> s1");
  });

  it("without a gate: approvedCheckpoints or the pause time resumes it; at a CheckpointPause, the approval is marked", async () => {
    const inputs = { ...essInputs, gate: undefined, approvedCheckpoints: 1 };
    const recorded = { instanceRefreshTaskId: "ir-bp1xyz1234567", status: "CheckpointPause", currentCheckpoint: 1, checkpointCount: 2 };
    const { diagrams } = await planOf(
      record(step("update", ESS_URN, ALICLOUD_INSTANCE_REFRESH_TYPE, inputs, { inputs: { ...essInputs, gate: undefined }, outputs: recorded }, { diffReasons: ["approvedCheckpoints"] })),
    );
    expect(diagrams[0]).toContain("human approval: approvedCheckpoints ≥ 1, or<br/>ESS resumes by itself after 30 min (checkpointPauseTime)");
    expect(diagrams[0]).toContain('  up -->|"ResumeInstanceRefresh"| g1');
    expect(diagrams[0]).toContain("  class g1 now");
  });

  it("a rollback refused when nothing was refreshed", async () => {
    const recorded = { instanceRefreshTaskId: "ir-bp1xyz1234567", status: "Paused", finishedUpdateCapacity: 0 };
    const { diagrams } = await planOf(
      record(step("update", ESS_URN, ALICLOUD_INSTANCE_REFRESH_TYPE, { ...essInputs, rollback: true }, { inputs: essInputs, outputs: recorded }, { diffReasons: ["rollback"] })),
    );
    expect(diagrams[0]).toContain('change("refused: pulumi up fails and sends nothing<br/>nothing to roll back: no instance has been refreshed yet (status Paused)")');
  });

  it("a gate with no checkpoint below 100 % never runs, and says so", async () => {
    const { diagrams } = await planOf(record(step("create", ESS_URN, ALICLOUD_INSTANCE_REFRESH_TYPE, { ...essInputs, checkpoints: undefined })));
    expect(diagrams[0]).toContain("⚠️ the health gate never runs: no checkpoint below 100 %");
    expect(diagrams[0]).toContain("  s1 --> done");
  });
});

describe("a plan of several changes, both clouds and the bridged resources", () => {
  it("has one diagram per change, each valid", async () => {
    const bridgedTencent = {
      autoScalingGroupId: "asg-9dn1a5y6",
      refreshSettings: { rollingUpdateSettings: { batchNumber: 2, batchPause: "FIRST_BATCH_PAUSE", failProcess: "" } },
    };
    const bridgedEss = { scalingGroupId: "asg-bp1zzzzzzzzzzzzzz", desiredConfigurationImageId: "m-bp1abcdefgh", checkpoints: [{ percentage: 30 }, { percentage: 100 }] };
    const preview = record(
      step("create", TENCENT_URN, INSTANCE_REFRESH_TYPE, tencentInputs),
      step("create", `urn:pulumi:prod::shop::${BRIDGED_START_INSTANCE_REFRESH_TYPE}::tf-rollout`, BRIDGED_START_INSTANCE_REFRESH_TYPE, bridgedTencent),
      step("create", ESS_URN, ALICLOUD_INSTANCE_REFRESH_TYPE, essInputs),
      step("delete", `urn:pulumi:prod::shop::${BRIDGED_ESS_INSTANCE_REFRESH_TYPE}::tf-ess`, BRIDGED_ESS_INSTANCE_REFRESH_TYPE, undefined, { inputs: bridgedEss, outputs: { status: "InProgress" } }),
    );
    const { diagrams } = await planOf(preview);
    expect(diagrams).toHaveLength(4);
    expect(diagrams[1]).toContain("AUTO_PAUSE after batch 1 (FIRST_BATCH_PAUSE)<br/>human: someone resumes it (ResumeInstanceRefresh)");
    expect(diagrams[1]).toContain("failProcess AUTO_PAUSE"); // Terraform's "" for unset
    expect(diagrams[3]).toContain('  g1{{"CheckpointPause at 30 % (checkpoint 1)<br/>ESS resumes by itself after 60 min (checkpointPauseTime)"}}');
    expect(diagrams[3]).toContain('  change("removed from state only: a task that still runs goes on")');
  });
});

describe("the parser can fail", () => {
  it("rejects a diagram whose label quote is not escaped (the negative control)", async () => {
    const inputs = { ...tencentInputs, gate: { ...GATE, http: { url: 'https://web.example.com/health?q="a"' } } };
    const [diagram] = diagramsOf(renderPlan(record(step("create", TENCENT_URN, INSTANCE_REFRESH_TYPE, inputs))));
    await expectValid(diagram);
    const unescaped = diagram.replace(/#quot;/g, '"');
    await expect(mermaid.parse(unescaped)).rejects.toThrow(/Parse error/);
    await expect(mermaid.parse("flowchart TD\n  up --> end")).rejects.toThrow(/Parse error/);
  });
});
