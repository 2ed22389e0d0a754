/**
 * Reads the output of `pulumi preview --json` — either the single preview digest, or the stream of
 * engine events that `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true` produces (the only form that carries
 * policy violations) — into one neutral shape: resource steps and policy violations.
 */

/** One step the engine plans for a resource. */
export interface PlannedStep {
  /** Engine operation: `create`, `update`, `replace`, `create-replacement`, `delete-replaced`, `delete`, `same`, … */
  op: string;
  urn: string;
  type: string;
  oldInputs?: Record<string, unknown>;
  oldOutputs?: Record<string, unknown>;
  newInputs?: Record<string, unknown>;
  /** Top-level input keys that differ. */
  diffKeys: string[];
  /** Keys that force a replacement. */
  replaceKeys: string[];
}

/** A policy violation reported during the preview. */
export interface PlannedViolation {
  urn?: string;
  policyName: string;
  policyPackName: string;
  enforcementLevel: string;
  message: string;
}

/** Everything the plan needs from a preview. */
export interface PreviewRecord {
  steps: PlannedStep[];
  violations: PlannedViolation[];
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);
const topLevel = (keys: string[]): string[] => [...new Set(keys.map((key) => key.split(/[.[]/)[0]))];

/**
 * Parses preview output in either form.
 * @throws Error naming the line when the text is neither a digest nor a stream of events.
 * @example parsePreview(fs.readFileSync("preview.json", "utf8")).steps.length
 */
export function parsePreview(text: string): PreviewRecord {
  const trimmed = text.trim();
  if (trimmed === "") throw new Error("the preview is empty: pipe the output of `pulumi preview --json` into this command");
  try {
    const whole = JSON.parse(trimmed) as unknown;
    const digest = asObject(whole);
    if (digest && !("sequence" in digest)) return fromDigest(digest);
  } catch {
    // not a single JSON document: a stream of events, one per line
  }
  return fromEvents(trimmed.split("\n"));
}

function fromDigest(digest: Json): PreviewRecord {
  const steps = (Array.isArray(digest.steps) ? digest.steps : []).flatMap((raw): PlannedStep[] => {
    const step = asObject(raw);
    if (!step) return [];
    const oldState = asObject(step.oldState);
    const newState = asObject(step.newState);
    const detailed = Object.keys(asObject(step.detailedDiff) ?? {});
    return [
      {
        op: String(step.op),
        urn: String(step.urn),
        type: String(newState?.type ?? oldState?.type ?? ""),
        oldInputs: asObject(oldState?.inputs),
        oldOutputs: asObject(oldState?.outputs),
        newInputs: asObject(newState?.inputs),
        diffKeys: topLevel([...asStrings(step.diffReasons), ...detailed]),
        replaceKeys: topLevel(asStrings(step.replaceReasons)),
      },
    ];
  });
  return { steps, violations: [] };
}

function fromEvents(lines: string[]): PreviewRecord {
  const record: PreviewRecord = { steps: [], violations: [] };
  lines.forEach((line, index) => {
    if (line.trim() === "") return;
    let event: Json | undefined;
    try {
      event = asObject(JSON.parse(line));
    } catch {
      throw new Error(`line ${index + 1} of the preview is not JSON: ${line.slice(0, 80)}`);
    }
    const pre = asObject(asObject(event?.resourcePreEvent)?.metadata);
    if (pre) {
      const oldState = asObject(pre.old);
      const newState = asObject(pre.new);
      const detailed = Object.keys(asObject(pre.detailedDiff) ?? {});
      record.steps.push({
        op: String(pre.op),
        urn: String(pre.urn),
        type: String(pre.type),
        oldInputs: asObject(oldState?.inputs),
        oldOutputs: asObject(oldState?.outputs),
        newInputs: asObject(newState?.inputs),
        diffKeys: topLevel([...asStrings(pre.diffs), ...detailed]),
        replaceKeys: String(pre.op).includes("replace") ? topLevel(asStrings(pre.keys)) : [],
      });
    }
    const policy = asObject(event?.policyEvent);
    if (policy) {
      record.violations.push({
        urn: typeof policy.resourceUrn === "string" ? policy.resourceUrn : undefined,
        policyName: String(policy.policyName),
        policyPackName: String(policy.policyPackName),
        enforcementLevel: String(policy.enforcementLevel),
        message: String(policy.message).trim(),
      });
    }
  });
  return record;
}
