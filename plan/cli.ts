#!/usr/bin/env node
/**
 * `instance-refresh-plan < preview.json > plan.md`: reads `pulumi preview --json` output (the digest,
 * or the event stream of `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true`, which also carries policy
 * violations) on standard input and writes the rollout plan as Markdown on standard output.
 */
import { parsePreview } from "./preview";
import { renderPlan } from "./render";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

readStdin()
  .then((text) => process.stdout.write(renderPlan(parsePreview(text))))
  .catch((error: unknown) => {
    console.error(`instance-refresh-plan: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
