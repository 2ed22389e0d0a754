/**
 * The dynamic provider of one cloud, built from its {@link CloudProviderSpec}: configuration and
 * credentials held in memory, one flow context (backend, poller, client) per region, the core's
 * flows, and the engine-facing details every cloud needs the same way — partial failures that keep
 * `__provider`, progress flushed to the engine before an operation ends, state that a stricter
 * release no longer accepts still read back.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { CancelSignal } from "./cancellation";
import { PROVIDER_KEY, checkWith, pickInputs, tryNormalizeWith, type DiffOutcome, type InputSchema } from "./check";
import type { FlowContext } from "./context";
import { engineLogger } from "./engineLog";
import { InstanceRefreshFailure, InstanceRefreshRejected } from "./errors";
import { mergeDecisions } from "./gate";
import { engineCancelSignal } from "./hostHooks";
import { createFlow, readFlow, updateFlow } from "./lifecycle";
import { guardAgainstOrphaning } from "./orphanGuard";
import type { RefreshBackend } from "./port";
import { RateLimiter } from "./rateLimit";
import { realSleep, type Random, type Sleep } from "./retry";
import { deleteFlow } from "./teardown";

/** What every cloud's configuration holds. */
export interface BaseConfig {
  /** Default region; the `region` input overrides it per resource. */
  readonly region?: string;
  /** How long a wait rides out an API that does not answer, seconds. */
  readonly outageToleranceSeconds: number;
}

/** What a region's backend is built with. */
export interface SharedParts {
  readonly limiter: RateLimiter;
  readonly sleep: Sleep;
  readonly random: Random;
  readonly now: () => number;
}

/** One cloud, as the provider needs it. */
export interface CloudProviderSpec<N, I, O extends object, C extends BaseConfig> {
  readonly schema: InputSchema<I>;
  /** The cloud's diff (the core's skeleton with its status forecast). */
  diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): DiffOutcome;
  /** Configuration from stack config (`get`) and the environment. */
  resolveConfig(get: (key: string) => string | undefined, env: NodeJS.ProcessEnv): C;
  /** The backend of one region; throws a clear error when the credentials are missing. */
  backendFor(config: C, region: string, shared: SharedParts): RefreshBackend<N, I, O>;
  /** The error when no region is known. */
  missingRegionMessage(): string;
  /** One clear error for refused credentials, or undefined when `error` is something else. */
  explainAuth(error: unknown, config: C): Error | undefined;
  /** Inputs as recorded in state, normalized whatever a stricter release says of them. */
  normalizeLoose(plain: Record<string, unknown>): I;
  /** The input's region and group; the `wait` timeout; the recorded rollback. */
  regionOf(inputs: I): string | undefined;
  waitTimeoutSeconds(inputs: I | undefined): number;
  /** The rollback recorded in the outputs, if any. */
  recordedRollbackId(props: Record<string, unknown>): string | undefined;
}

/** Options of {@link createDynamicProvider}; all optional, for tests and embedding. */
export interface DynamicProviderOptions<C> {
  /** Environment used when configure has not run or a config key is unset. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Configuration used instead of `configure`'s (tests). */
  readonly config?: Partial<C>;
  /** Where progress lines go. @default the engine's log, attached to the resource (console.log where that is not possible) */
  readonly log?: (line: string) => void;
  /** Per-action rate limiter shared by every client of this provider. @default one per process */
  readonly limiter?: RateLimiter;
  /** @default realSleep */
  readonly sleep?: Sleep;
  /** @default Math.random */
  readonly random?: Random;
  /** @default Date.now */
  readonly now?: () => number;
  /** Fires when the operation is cancelled. @default the engine's Cancel call (Ctrl-C), see `hostHooks.ts` */
  readonly cancel?: CancelSignal;
}

/** A dynamic provider with every method defined. */
export type InstanceRefreshProvider = Required<pulumi.dynamic.ResourceProvider>;

/** Process-wide limiter: an API's limit is per action, whatever the number of providers. */
const processLimiter = new RateLimiter();

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Builds the provider of one cloud.
 * @example const provider = createDynamicProvider(myCloudSpec(), { config: { region: "region-1" } });
 */
export function createDynamicProvider<N, I, O extends object, C extends BaseConfig>(
  spec: CloudProviderSpec<N, I, O, C>,
  options: DynamicProviderOptions<C> = {},
): InstanceRefreshProvider {
  const engineLog = options.log ? undefined : engineLogger();
  const log = options.log ?? engineLog!;
  const shared: SharedParts = {
    limiter: options.limiter ?? processLimiter,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
  };
  const cancel = options.cancel ?? engineCancelSignal();
  const env = options.env ?? process.env;
  let config: C | undefined;
  const regions = new Map<string, FlowContext<N, I, O>>();

  const currentConfig = (): C => (config ??= { ...spec.resolveConfig(() => undefined, env), ...stripUndefined(options.config ?? {}) });

  const contextFor = (region: string | undefined): FlowContext<N, I, O> => {
    const cfg = currentConfig();
    const resolved = region ?? cfg.region;
    if (!resolved) throw new Error(spec.missingRegionMessage());
    const existing = regions.get(resolved);
    if (existing) return existing;
    const backend = spec.backendFor(cfg, resolved, shared);
    const ctx: FlowContext<N, I, O> = { backend, classify: backend.classify, log, ...shared, cancel, outageToleranceMs: cfg.outageToleranceSeconds * 1000 };
    regions.set(resolved, ctx);
    return ctx;
  };

  const inputsOf = (props: Record<string, unknown>, what: string): I => {
    const plain = pickInputs(spec.schema, props);
    const violations = spec.schema.validate(plain, { isUnknown: () => false });
    if (violations.length > 0) {
      throw new InstanceRefreshRejected(`${what}: invalid inputs: ${violations.map((v) => `${v.property} ${v.reason}`).join("; ")}`, violations[0].property);
    }
    return spec.schema.normalize(plain);
  };

  /**
   * Runs a flow. A partial failure also records the engine-owned `__provider`: without it the
   * engine could not load the provider again to refresh, update or delete the recorded resource.
   */
  const guard = async <T>(run: () => Promise<T>, props: Record<string, unknown> = {}): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof InstanceRefreshFailure && props[PROVIDER_KEY] !== undefined) {
        throw error.withProperties({ [PROVIDER_KEY]: props[PROVIDER_KEY] });
      }
      throw spec.explainAuth(error, currentConfig()) ?? error;
    } finally {
      // Every progress line reaches the engine before the operation it belongs to ends.
      await engineLog?.flush();
    }
  };

  /**
   * Inputs recorded in state, for read: validated when possible, but a record that a stricter
   * release no longer accepts is still read back (with a notice), so `pulumi refresh` never breaks
   * on existing state.
   */
  const recordedInputs = (props: Record<string, unknown>, id: string): I => {
    const normalized = tryNormalizeWith(spec.schema, props);
    if (normalized) return normalized;
    const plain = pickInputs(spec.schema, props);
    const violations = spec.schema.validate(plain, { isUnknown: () => false }).map((v) => `${v.property} ${v.reason}`);
    log(
      `${String(plain[spec.schema.groupKey] ?? "")} ${id}: the inputs recorded in state no longer pass validation (${violations.join("; ")}); reading the refresh back anyway. Fix them in the program before the next \`pulumi up\`.`,
    );
    return spec.normalizeLoose(plain);
  };

  return {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
      guardAgainstOrphaning();
      config = { ...spec.resolveConfig((key) => req.config.get(key), env), ...stripUndefined(options.config ?? {}) };
      regions.clear();
    },

    async check(olds: Record<string, unknown>, news: Record<string, unknown>) {
      return checkWith(spec.schema, news, olds);
    },

    async diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      return spec.diff(id, olds, news);
    },

    async create(props: Record<string, unknown>) {
      const inputs = inputsOf(props, "create");
      return guard(() => createFlow(contextFor(spec.regionOf(inputs)), inputs), props);
    },

    async read(id: string, props?: Record<string, unknown>) {
      const inputs = recordedInputs(props ?? {}, id);
      const result = await guard(() => readFlow(contextFor(spec.regionOf(inputs)), id, inputs));
      // An empty id tells the engine the resource is gone.
      if (!result) return { id: "", props: {} };
      const gateDecisions = mergeDecisions(props?.gateDecisions, undefined);
      return { id, props: { ...result.outs, paused: result.paused, ...(gateDecisions ? { gateDecisions } : {}) }, inputs: { ...inputs, paused: result.paused } };
    },

    async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>) {
      const inputs = inputsOf(news, "update");
      // The health gate's earlier decisions stay in the outputs beside this update's.
      const withDecisions = (fresh: unknown) => {
        const gateDecisions = mergeDecisions(olds.gateDecisions, fresh);
        return gateDecisions ? { gateDecisions } : {};
      };
      try {
        const { outs } = await guard(() => updateFlow(contextFor(spec.regionOf(inputs)), id, inputs), news);
        return { outs: { ...outs, ...withDecisions((outs as Record<string, unknown>).gateDecisions) } };
      } catch (error) {
        if (error instanceof InstanceRefreshFailure) throw error.withProperties(withDecisions(error.properties.gateDecisions));
        throw error;
      }
    },

    async delete(id: string, props: Record<string, unknown>) {
      const inputs = tryNormalizeWith(spec.schema, props);
      const groupId = String(props[spec.schema.groupKey] ?? "");
      const region = inputs ? spec.regionOf(inputs) : typeof props.region === "string" ? props.region : undefined;
      const rollback = props[spec.schema.rollbackKey] === true;
      await guard(() =>
        deleteFlow(contextFor(region), {
          id,
          groupId,
          timeoutSeconds: spec.waitTimeoutSeconds(inputs),
          rollback,
          rollbackActivityId: rollback ? spec.recordedRollbackId(props) : undefined,
        }),
      );
    },
  };
}
