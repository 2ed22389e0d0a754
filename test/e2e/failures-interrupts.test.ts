/** The failure matrix (test/e2e/failureMatrix.ts) with the real CLI: interrupted waits: timeout, API outage, Ctrl-C, SIGKILL. */
import { describeEndings, describeSigkill } from "./failureMatrix";

describeEndings("failures-interrupts", ["the wait timing out", "an API outage past the tolerance", "Ctrl-C"]);
describeSigkill("failures-interrupts");
