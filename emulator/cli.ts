#!/usr/bin/env node
/**
 * Command line: `instance-refresh-emulator` (the package's bin; `node dist/emulator/cli.js` in a checkout)
 * `[--host 127.0.0.1] [--port N] [--secret-id ID --secret-key KEY]
 * [--token T] [--seconds-per-batch S] [--ess-wave-seconds S] [--state-file F] [--fixture F] [--no-rate-limit] [--request-log-limit N]`.
 * One port serves both clouds (Tencent Cloud AS and Alibaba Cloud ESS, with its default AccessKey).
 * Prints exactly `listening on http://HOST:PORT` on stdout once ready (everything else goes to
 * stderr); SIGINT/SIGTERM flush the state file and exit 0; bad flags exit 2.
 */
import { parseArgs } from "node:util";
import { DEFAULT_HOST, startEmulator, type EmulatorOptions } from "./emulator";
import { DEFAULT_SECONDS_PER_BATCH } from "./pace";
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY } from "./tencentcloud/signature";

/** Exit status for bad command-line usage. */
export const EXIT_USAGE = 2;
/** Exit status when the emulator cannot start (port in use, corrupt state file…). */
export const EXIT_START_FAILED = 1;
/** Default port of the CLI (the programmatic API defaults to 0). */
export const DEFAULT_CLI_PORT = 9100;

const USAGE = `usage: instance-refresh-emulator [options]   (in a checkout: node dist/emulator/cli.js [options])
  --host H                listen address (default ${DEFAULT_HOST})
  --port N                port, 0 = any free port (default ${DEFAULT_CLI_PORT})
  --secret-id ID          accepted SecretId (default ${DEFAULT_SECRET_ID})
  --secret-key KEY        its SecretKey (default ${DEFAULT_SECRET_KEY})
  --token T               require this X-TC-Token (temporary credential)
  --seconds-per-batch S   seconds one batch takes, fractions allowed (default ${DEFAULT_SECONDS_PER_BATCH})
  --ess-wave-seconds S    seconds one Alibaba Cloud ESS wave takes, fractions allowed (default ${DEFAULT_SECONDS_PER_BATCH})
  --state-file F          persist state to F and reload it on start
  --fixture F             initial groups from JSON file F (replaces the built-in fixture)
  --no-fixture            start with no groups
  --no-rate-limit         do not enforce 20 requests/second per action
  --request-log-limit N   request log ring buffer size (default 10000)
  --help                  show this help`;

class UsageError extends Error {}

/** Parses argv into emulator options; throws a usage error with a clear message. */
export function parseCli(argv: readonly string[]): EmulatorOptions & { help?: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        host: { type: "string" },
        port: { type: "string" },
        "secret-id": { type: "string" },
        "secret-key": { type: "string" },
        token: { type: "string" },
        "seconds-per-batch": { type: "string" },
        "ess-wave-seconds": { type: "string" },
        "state-file": { type: "string" },
        fixture: { type: "string" },
        "no-fixture": { type: "boolean" },
        "no-rate-limit": { type: "boolean" },
        "request-log-limit": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) return { help: true };
  const num = (name: string, v: string | undefined, check: (n: number) => boolean, what: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n) || !check(n)) throw new UsageError(`--${name} must be ${what}, got "${v}"`);
    return n;
  };
  const port = num("port", values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, "an integer between 0 and 65535");
  const secondsPerBatch = num("seconds-per-batch", values["seconds-per-batch"], (n) => n > 0, "a number > 0");
  const essWaveSeconds = num("ess-wave-seconds", values["ess-wave-seconds"], (n) => n > 0, "a number > 0");
  const requestLogLimit = num("request-log-limit", values["request-log-limit"], (n) => Number.isInteger(n) && n >= 1, "an integer >= 1");
  if ((values["secret-id"] === undefined) !== (values["secret-key"] === undefined)) {
    throw new UsageError("--secret-id and --secret-key must be given together");
  }
  if (values.fixture !== undefined && values["no-fixture"]) throw new UsageError("--fixture and --no-fixture conflict");
  const secretId = values["secret-id"] ?? DEFAULT_SECRET_ID;
  const secretKey = values["secret-key"] ?? DEFAULT_SECRET_KEY;
  return {
    host: values.host ?? DEFAULT_HOST,
    port: port ?? DEFAULT_CLI_PORT,
    credentials: [{ secretId, secretKey, ...(values.token !== undefined ? { token: values.token } : {}) }],
    secondsPerBatch: secondsPerBatch ?? DEFAULT_SECONDS_PER_BATCH,
    essWaveSeconds: essWaveSeconds ?? DEFAULT_SECONDS_PER_BATCH,
    stateFile: values["state-file"],
    fixture: values["no-fixture"] ? false : values.fixture,
    rateLimit: !values["no-rate-limit"],
    requestLogLimit,
  };
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseCli>;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`emulator: ${(e as Error).message}\n${USAGE}\n`);
    process.exit(EXIT_USAGE);
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let emu;
  try {
    emu = await startEmulator(options);
  } catch (e) {
    process.stderr.write(`emulator: cannot start: ${(e as Error).message}\n`);
    process.exit(EXIT_START_FAILED);
  }
  process.stderr.write(
    `emulator: secretId ${emu.secretId}, ${options.secondsPerBatch} s per batch, rate limit ${options.rateLimit ? "on" : "off"}` +
      `${options.stateFile ? `, state file ${options.stateFile}` : ""}; ESS AccessKey ${emu.ess.accessKeyId}, ${options.essWaveSeconds} s per wave\n`,
  );
  process.stdout.write(`listening on ${emu.url}\n`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`emulator: ${signal}, stopping\n`);
    emu.stop().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`emulator: error while stopping: ${String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

if (require.main === module) void main();
