#!/usr/bin/env node
/**
 * `instance-refresh-plan [--no-diagram] < preview.json > plan.md`: reads `pulumi preview --json`
 * output (the digest, or the event stream of `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true`, which also
 * carries policy violations) on standard input and writes the rollout plan as Markdown on standard
 * output, with a Mermaid diagram of each change's rollout; `--no-diagram` writes the text plan alone.
 */
import { parsePreview } from "./preview";
import { renderPlan } from "./render";

/** The command's usage, printed by `--help` and after a wrong argument. */
const USAGE = [
  "usage: instance-refresh-plan [--no-diagram] < preview.json > plan.md",
  "",
  "Reads `pulumi preview --json` output on standard input and writes the rollout plan as Markdown.",
  "  --no-diagram  leave out the Mermaid diagram of each rollout (the text plan alone, for terminals)",
  "  -h, --help    print this help",
].join("\n");

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const args = process.argv.slice(2);
if (args.includes("-h") || args.includes("--help")) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const unknown = args.filter((arg) => arg !== "--no-diagram");
if (unknown.length > 0) {
  console.error(`instance-refresh-plan: unknown argument ${JSON.stringify(unknown[0])}\n${USAGE}`);
  process.exit(2);
}

readStdin()
  .then((text) => process.stdout.write(renderPlan(parsePreview(text), { diagram: !args.includes("--no-diagram") })))
  .catch((error: unknown) => {
    console.error(`instance-refresh-plan: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
