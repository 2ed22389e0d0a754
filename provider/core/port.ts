/**
 * The backend port: everything the cloud-neutral lifecycle (`lifecycle.ts`) needs from one cloud's
 * instance-refresh API. A cloud implements it once (see docs/adding-a-cloud.md); the flows, waits,
 * retries of mutations, outage handling and messages are the core's.
 */
import type { NormalizedGate } from "./gateSettings";
import type { GateDecision } from "./gate";
import type { ActivityView, DecisionWords, Desired } from "./model";
import type { SharedPoller } from "./poller";

/** How the core treats a failed call. */
export type ErrorClass =
  /** The activity or group does not exist. */
  | "notFound"
  /** The activity's status forbids the operation. */
  | "conflict"
  /** The group already runs another activity. */
  | "groupBusy"
  /** The credentials were refused. */
  | "auth"
  /** Slow down and try again. */
  | "throttled"
  /** The outcome is unknown (transport error, timeout, 5xx): look before sending again. */
  | "transient"
  /** Any other refusal: never retried. */
  | "client";

/** A classified error: its class, and the action and code to name in messages when it has them. */
export interface ErrorInfo {
  readonly class: ErrorClass;
  readonly action?: string;
  readonly code?: string;
}

/** True for the classes worth another attempt. */
export const isRetryable = (info: ErrorInfo): boolean => info.class === "throttled" || info.class === "transient";

/** What the core reads of a resource's normalized inputs. */
export interface Intent extends Desired {
  readonly groupId: string;
  /** `wait` input. */
  readonly wait: { readonly until: "started" | "settled"; readonly timeoutSeconds: number };
  /** Take over this existing activity instead of starting one. */
  readonly adoptActivityId?: string;
  /** Roll the refresh back (explicit rollback). */
  readonly rollback: boolean;
  /** The health gate at every automatic pause, when the inputs have one. */
  readonly gate?: NormalizedGate;
  /** The resume mode to name in messages (`RETRY`); undefined for a cloud whose resume has none. */
  readonly resumeMode?: string;
}

/** Names of a cloud that the core puts in its messages. */
export interface CloudWords extends DecisionWords {
  /** Input paths: the group, the adoption, the rollback. */
  readonly groupIdProperty: string;
  readonly adoptProperty: string;
  readonly rollbackProperty: string;
  /** API action names. */
  readonly actions: {
    readonly start: string;
    readonly pause: string;
    readonly resume: string;
    readonly cancel: string;
    readonly rollback: string;
    readonly describe: string;
  };
  /** The API's error code for a group that already runs an activity. */
  readonly groupBusyCode: string;
}

/** Extra facts reported beside an activity in outputs. */
export interface OutputExtras {
  /** The rollback of this activity, when there is one. */
  readonly rollback?: ActivityView;
  /** Its id, when only the id is known. */
  readonly rollbackActivityId?: string;
  /** The health gate's decisions of this operation. */
  readonly gateDecisions?: readonly GateDecision[];
}

/** One input violation: the property path and why. */
export interface PortViolation {
  readonly property: string;
  readonly reason: string;
}

/**
 * One cloud's instance-refresh API, as the core drives it.
 * - `N`: the cloud's activity record; `I`: its normalized inputs; `O`: its outputs.
 * Calls are sent once: the core decides on retries of mutations after looking at the state.
 */
export interface RefreshBackend<N, I, O extends object> {
  readonly words: CloudWords;
  /** The shared poller of this region's activities (describes many ids per call). */
  readonly poller: SharedPoller<N>;
  /**
   * True when a start is idempotent (a client token derived from the resource and its inputs): a
   * refresh in flight on the group that a start with the same token returns is this resource's own,
   * so create takes it back instead of refusing it.
   */
  readonly idempotentStart: boolean;
  /** True when the cloud ends a gate by itself after a while (a timed checkpoint pause): a failed health gate then pauses the activity to hold it. */
  readonly gateEndsByItself: boolean;
  /** The core's view of a record. */
  view(record: N): ActivityView;
  /** What the core reads of the inputs. */
  intent(inputs: I): Intent;
  /** One activity (coalesced with other resources' reads); undefined when the API does not know it. Throws on errors. */
  describe(id: string): Promise<N | undefined>;
  /** The activities in flight (not ended) on a group. */
  inFlight(groupId: string): Promise<N[]>;
  /** In-service instances of the group; throws a rejection naming the group when it does not exist. */
  capacity(groupId: string): Promise<number>;
  /** Checks of the inputs that need the group's size. */
  validateAgainstGroup(inputs: I, capacity: number): PortViolation[];
  /** True when an existing activity was started with these inputs' settings. */
  matches(record: N, inputs: I): boolean;
  /** Starts a refresh; returns its id. */
  start(inputs: I): Promise<string>;
  pause(view: ActivityView): Promise<void>;
  resume(view: ActivityView, inputs: I): Promise<void>;
  cancel(view: ActivityView): Promise<void>;
  /** Rolls `origin` back; returns the id of the activity to watch. */
  rollback(origin: N, inputs: I): Promise<string>;
  /** The rollback of `origin`, if one exists. */
  rollbackOf(origin: ActivityView): Promise<string | undefined>;
  /** True when the cloud rolls a failed refresh back by itself with these inputs (a fail-process setting). */
  rollsBackOnFailure(inputs: I): boolean;
  /**
   * How delete stops an activity that has not ended: `pauseFirst` (pause, let the running step end,
   * then cancel), `cancel` (cancel at once, then wait out the cancelling), or `waitForEnd` (the API
   * refuses both; wait until it ends by itself).
   */
  cancelPlan(view: ActivityView): "pauseFirst" | "cancel" | "waitForEnd";
  /** One line of progress for the activity. */
  progressLine(record: N): string;
  /**
   * Why the cloud refuses to roll `origin` back, as far as its record tells (undefined when nothing
   * does); the API's own refusals still apply. Most clouds use `core/rollback.ts`'s `refusalOf`.
   */
  rollbackRefusal(origin: N): string | undefined;
  /** Classifies anything a call threw. */
  classify(error: unknown): ErrorInfo;
  /** A clearer error for a refused start (naming the input), or the error itself. */
  explainStartError(groupId: string, error: unknown): unknown;
  /** Extra reasons and what to do next, for an activity that ended in a failure phase. */
  failureHint(view: ActivityView, inputs: I, rollbackActivityId: string | undefined): string;
  /** The resource's outputs. */
  outputs(inputs: I, record: N, extras?: OutputExtras): O;
  /** Outputs when only the id is known (the describe failed). */
  placeholder(inputs: I, id: string): N;
}
