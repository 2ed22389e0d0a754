/**
 * Stale-build guard. Type-checking resolves `pulumi-instance-refresh` to the sources (tsconfig
 * `paths`), but Pulumi programs load the package that `scripts/build.sh` installed into
 * `node_modules/pulumi-instance-refresh`: after a source change without a rebuild, real-CLI tests
 * would silently exercise the old code. So build.sh stamps the installed package with a hash of the
 * sources it was built from (`node dist/test/helpers/buildStamp.js write`), and real-CLI suites
 * check it first ({@link assertFreshBuild}).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Folders compiled into the installed package, and the files besides them that shape its output. */
export const PACKAGE_SOURCE_DIRS = ["provider", "policies", "plan", "emulator"] as const;
const PACKAGE_SOURCE_FILES = ["tsconfig.json", "tsconfig.build.json", "package.json", "policies/PulumiPolicy.yaml", "policies/package.json"];
/** The stamp's file name inside the installed package. */
export const STAMP_FILE = ".source-hash";

function filesUnder(root: string, dir: string): string[] {
  const out: string[] = [];
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return out;
  for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") out.push(...filesUnder(root, rel));
    } else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) {
      out.push(rel);
    }
  }
  return out;
}

/** SHA-256 over the path and content of every source the installed package is built from. */
export function sourceHash(root: string): string {
  const files = [...PACKAGE_SOURCE_DIRS.flatMap((d) => filesUnder(root, d)), ...PACKAGE_SOURCE_FILES.filter((f) => fs.existsSync(path.join(root, f)))]
    .map((f) => f.split(path.sep).join("/"))
    .sort();
  const hash = crypto.createHash("sha256");
  for (const f of [...new Set(files)]) {
    hash.update(`${f}\0`);
    hash.update(fs.readFileSync(path.join(root, f)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** The installed package of the repository at `root`. */
export function installedPackageDir(root: string): string {
  return path.join(root, "node_modules", "pulumi-instance-refresh");
}

/**
 * Throws unless `node_modules/pulumi-instance-refresh` was built from the current sources, with the
 * command that fixes it. Takes a few milliseconds.
 */
export function assertFreshBuild(root: string): void {
  const stamp = path.join(installedPackageDir(root), STAMP_FILE);
  const fix = "run `scripts/with-tools --no-pulumi bash scripts/build.sh` (npm test does) before the real-CLI tests";
  if (!fs.existsSync(stamp)) throw new Error(`${installedPackageDir(root)} is missing or was not installed by scripts/build.sh: ${fix}`);
  const built = fs.readFileSync(stamp, "utf8").trim();
  if (built !== sourceHash(root)) {
    throw new Error(`${installedPackageDir(root)} is stale: provider/, policies/, plan/ or emulator/ changed since it was built; ${fix}`);
  }
}

// Called by scripts/build.sh: `node dist/test/helpers/buildStamp.js hash <repo root>` prints the hash
// (before compiling, to detect a source edited during the build); `… write <repo root> [<hash>]`
// stamps the installed package, unless the sources changed since `<hash>` was taken.
if (require.main === module) {
  const [command, root, before] = process.argv.slice(2);
  if ((command !== "write" && command !== "hash") || !root) {
    process.stderr.write("usage: node buildStamp.js hash|write <repository root> [<hash before the build>]\n");
    process.exit(2);
  }
  const now = sourceHash(root);
  if (command === "hash") {
    process.stdout.write(now + "\n");
  } else if (before && before !== now) {
    process.stderr.write("buildStamp: sources changed during the build; the package is left unstamped (real-CLI tests will ask for a rebuild)\n");
  } else {
    fs.writeFileSync(path.join(installedPackageDir(root), STAMP_FILE), now + "\n");
  }
}
