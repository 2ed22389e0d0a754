/** The failure matrix (test/e2e/failureMatrix.ts) with the real CLI: failed instances: FAILED_PAUSE, AUTO_CANCEL, AUTO_ROLLBACK. */
import { describeEndings } from "./failureMatrix";

describeEndings("failures-instances", ["failed instances, failProcess AUTO_PAUSE", "failed instances, failProcess AUTO_CANCEL", "failed instances, failProcess AUTO_ROLLBACK"]);
