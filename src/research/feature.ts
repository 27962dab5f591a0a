/**
 * The research consent in the chat: the settings show and change it, and the quiz asks it once,
 * when the person leaves the result of their first finished quiz (after they have seen what a quiz
 * answer is, and not during onboarding, which already asks enough before the first lesson).
 */
import type { QuizData } from "../../flows/learning/quiz.ts";
import type { FlowRegistry } from "../engine/registry.ts";
import { markResearchAsked, researchConsent, setResearchConsent } from "./consent.ts";

/**
 * Registers the research consent's effects and the data the settings and the quiz read.
 *
 * @example
 * registerResearch(registry);
 */
export function registerResearch(registry: FlowRegistry): FlowRegistry {
  return registry
    .onInput("settings", async (tx, user) => ({ research: (await researchConsent(tx.db, user.address)).consent }))
    .onInput("quiz", async (tx, user): Promise<QuizData> => {
      const { answeredAt } = await researchConsent(tx.db, user.address);
      return { askResearch: answeredAt === null };
    })
    .onEffect("feature.research.set", async (tx, user, effect, now) => {
      const consent = "data" in effect && effect.data.consent === true;
      await setResearchConsent(tx.db, user.address, consent, now);
      return undefined;
    })
    .onEffect("feature.research.asked", async (tx, user, _effect, now) => {
      await markResearchAsked(tx.db, user.address, now);
      return undefined;
    });
}
