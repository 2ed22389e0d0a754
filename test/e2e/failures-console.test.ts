/** The failure matrix (test/e2e/failureMatrix.ts) with the real CLI: changes made in the console while `up` waits, and two stacks racing for one group. */
import { describeEndings, describePauseThenCancel, describeRace } from "./failureMatrix";

describeEndings("failures-console", ["a cancel in the console", "a pause in the console"]);
describeRace("failures-console");
describePauseThenCancel("failures-console");
