/**
 * The steps of a browser walk, each a test of its own and run in order: once one fails, the later
 * ones (which build on it) are skipped, not failed, so the first failure is the one to read.
 */
import { it } from "vitest";

/**
 * A `step(name, run)` for one walk (call it once per `describe`).
 *
 * @example
 * const step = walkSteps();
 * step("a teacher signs in", async () => { ... });
 * step("she creates a class", async () => { ... }); // skipped if signing in failed
 */
export function walkSteps(): (name: string, run: () => Promise<void>) => void {
  let failedStep: string | undefined;
  return (name, run) =>
    it(name, async (context) => {
      // Skipped only after an earlier step failed: that failure is the one to read, not its knock-on effects.
      if (failedStep) context.skip(`an earlier step failed: ${failedStep}`);
      try {
        await run();
      } catch (error) {
        failedStep = name;
        throw error;
      }
    });
}
