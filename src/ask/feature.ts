/**
 * Questions typed anywhere: the "ask" flow and the answers it shows, from
 * the city's services, the lessons, the upcoming meetings and the
 * voluntary-return information, in whatever language the question is in.
 * Deep links `service_<id>` and `return_<page>` open what was picked.
 */
import { askFlow } from "../../flows/ask.ts";
import type { ContentPack } from "../content/pack.ts";
import type { Answer, FlowRegistry } from "../engine/registry.ts";
import type { Translator } from "../i18n/index.ts";
import { upcomingMeetings } from "../meetings/repository.ts";
import { isClosed } from "../services/overrides.ts";
import { answerScore, queryWords, scoreTerms, searchServices, termsOfTexts } from "../services/search.ts";
import type { SearchWords } from "../services/search-words.ts";
import { TermIndex } from "../services/term-index.ts";

/** A closed place's name with the sign people know from its card. */
function closedLabel(name: Record<string, string>): Record<string, string> & { en: string } {
  return Object.fromEntries(Object.entries(name).map(([lang, text]) => [lang, `⛔ ${text}`])) as Record<
    string,
    string
  > & { en: string };
}

/** What the answers are looked up in. */
export interface QuestionSources {
  pack: ContentPack;
  words: SearchWords;
  translator: Translator;
}

/**
 * Registers the ask flow, its deep links and its answer sources.
 *
 * @example
 * registerQuestions(registry, { pack, words, translator });
 */
export function registerQuestions(registry: FlowRegistry, { pack, words, translator }: QuestionSources): FlowRegistry {
  const lessonIndex = new TermIndex(
    pack.courses
      .flatMap((course) => pack.lessonsOf(course.id))
      .map((lesson) => ({
        item: lesson,
        terms: termsOfTexts([
          ...Object.values(lesson.title).map((t): [string, number] => [t, 2]),
          ...Object.values(lesson.summary).map((t): [string, number] => [t, 1]),
        ]),
      })),
  );
  const returnWords = translator.languages.flatMap((lang) => translator.words(lang, "search.returnWords"));
  const returnIndex = new TermIndex([{ item: "return", terms: termsOfTexts(returnWords.map((w) => [w, 3] as const)) }]);
  const returnLabel = Object.fromEntries(
    translator.languages.map((lang) => [lang, translator.t(lang, "return.menuEntry")]),
  );
  return registry
    .addFlow(askFlow)
    .onLink("service", (id) => (pack.service(id) ? { flowId: "services", params: { service: id } } : undefined))
    .onLink("return", (page) =>
      page === "home" || pack.returnInfo.some((p) => p.id === page)
        ? { flowId: "return", params: page === "home" ? ({} as Record<string, string>) : { page } }
        : undefined,
    )
    .onQuestion(async (_tx, user, question) =>
      // Closed places too, marked: someone asking for the library learns it is closed.
      searchServices(pack.allServices, user.city ?? "", question, words)
        // A question must hit a service's category word, keyword or name, not a stray word of its description.
        .filter((f) => f.score >= answerScore)
        .slice(0, 5)
        .map(
          (f): Answer => ({
            kind: "service",
            label: isClosed(f.service) ? closedLabel(f.service.shortName) : f.service.shortName,
            link: `service_${f.service.id}`,
            score: f.score,
          }),
        ),
    )
    .onQuestion(async (_tx, _user, question) => {
      const typed = queryWords(question, words);
      if (typed.length === 0) return [];
      return lessonIndex
        .score(typed)
        .map(
          ({ item: lesson, score }): Answer => ({
            kind: "lesson",
            label: lesson.title,
            link: `lesson_${lesson.id}`,
            score: score / typed.length,
          }),
        )
        .filter((a) => a.score >= 1.5);
    })
    .onQuestion(async (_tx, _user, question) => {
      const typed = queryWords(question, words);
      const score = typed.length > 0 ? (returnIndex.score(typed)[0]?.score ?? 0) : 0;
      return score >= 2.4 ? [{ kind: "return", label: returnLabel, link: "return_home", score }] : [];
    })
    .onQuestion(async (tx, user, question, now) => {
      const typed = queryWords(question, words);
      if (typed.length === 0) return [];
      const meetings = await upcomingMeetings(tx.db, { now, city: user.city, limit: 20 });
      return meetings
        .map(
          (m): Answer => ({
            kind: "meeting",
            label: m.title,
            link: `meeting_${m.id}`,
            score: scoreTerms(typed, termsOfTexts(Object.values(m.title).map((t) => [t, 2] as const))),
          }),
        )
        .filter((a) => a.score >= 1.6);
    });
}
