/**
 * The shape of the content pack, validated with zod when the bot starts and by
 * `npm run content:check`. One item a file: a course lives in
 * `content/courses/<course>/course.yaml`, each lesson with its quiz in
 * `content/courses/<course>/lessons/<lesson>.yaml`.
 *
 * Limits here are the content's own (a lesson step fits one phone screen); the
 * channel limits (button labels, list rows) are checked separately by the
 * content check, because they depend on how a text is rendered.
 */
import { z } from "zod";

/** A language code such as `en`, `de`, `ar` or `prs` (ISO 639-1 or 639-3). */
export const languageCode = z.string().regex(/^[a-z]{2,3}$/, "a language code such as en, de or ar");

/** A text in several languages; English is required because it is the fallback. */
export const localizedText = z
  .record(languageCode, z.string().trim().min(1, "must not be empty"))
  .refine((texts) => typeof texts.en === "string", { message: "English (en) is required" });

/**
 * How far a translation has come: written by hand, machine-translated, or
 * checked by a person. The long form, written by `npm run i18n -- import`,
 * also records a hash of the English it was made from (so a changed English
 * shows it outdated), who reviewed it and when.
 */
export const translationStatus = z.union([
  z.enum(["draft", "machine", "reviewed"]),
  z.object({
    status: z.enum(["machine", "reviewed"]),
    source: z.string().regex(/^[0-9a-f]{10}$/),
    by: z.string().optional(),
    at: z.string().optional(),
  }),
]);

/** An id that is short, stable and safe in a button's callback data. */
export const itemId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,39}$/, "lower-case letters, digits and dashes, 2 to 40 characters");

/** A DigComp competence such as `4.2` (five areas; 1.x to 5.x; the same 21 in DigComp 2.2 and 3.0). */
export const competenceId = z.enum([
  "1.1",
  "1.2",
  "1.3",
  "2.1",
  "2.2",
  "2.3",
  "2.4",
  "2.5",
  "2.6",
  "3.1",
  "3.2",
  "3.3",
  "3.4",
  "4.1",
  "4.2",
  "4.3",
  "4.4",
  "5.1",
  "5.2",
  "5.3",
  "5.4",
]);

/**
 * DigComp 3.0's proficiency levels (JRC, 2025), which replace 2.2's eight levels in four bands.
 * Lessons for newcomers sit at the first two; the others exist so a pack can grow.
 */
export const proficiencyLevel = z.enum(["basic", "intermediate", "advanced", "highly-advanced"]);

const httpsUrl = z.url({ protocol: /^https$/ });

/** One screen of a lesson. */
export const lessonStep = z.object({
  text: localizedText,
  link: httpsUrl.optional(),
  image: httpsUrl.optional(),
  /**
   * A recording of the step per language (a person reading it, for people who read little): sent as a
   * voice message before the text, to people reading that language. https, OGG/Opus or MP3.
   */
  audio: z.record(languageCode, httpsUrl).optional(),
});

/** One answer option of a quiz question, with feedback shown when it is picked. */
export const quizOption = z.object({
  text: localizedText,
  correct: z.boolean().default(false),
  feedback: localizedText,
});

/** A single-choice question: 3 to 4 plausible options, exactly one correct. */
export const quizQuestion = z
  .object({
    id: itemId,
    question: localizedText,
    options: z.array(quizOption).min(3, "at least 3 options: with 2, half the guesses are right").max(4),
    explanation: localizedText,
    /**
     * The competence this question tests, one of its lesson's `competences`; without it, the lesson's
     * first. Coverage counts questions, so a tag alone does not make a competence "taught".
     */
    competence: competenceId.optional(),
  })
  .refine((q) => q.options.filter((o) => o.correct).length === 1, {
    message: "exactly one option must be correct",
    path: ["options"],
  });

/** A lesson: 3 to 6 short steps and a quiz of at least 4 questions. */
export const lesson = z.object({
  id: itemId,
  version: z.number().int().positive(),
  course: itemId,
  title: localizedText,
  summary: localizedText,
  competences: z.array(competenceId).min(1),
  /** What the lesson brings a learner to, on DigComp 3.0's proficiency scale. */
  proficiency: proficiencyLevel,
  translations: z.record(languageCode, translationStatus),
  steps: z.array(lessonStep).min(3).max(6),
  quiz: z.array(quizQuestion).min(4, "at least 4 questions, so the 75% pass mark means something"),
});

/** A course: an ordered list of lesson ids in one DigComp area. */
export const course = z.object({
  id: itemId,
  version: z.number().int().positive(),
  /** Position in the course list; lower first. */
  order: z.number().int().min(0).default(100),
  area: z.number().int().min(1).max(5),
  title: localizedText,
  summary: localizedText,
  lessons: z.array(itemId).min(1),
  translations: z.record(languageCode, translationStatus),
});

/** A placement question: a situation, 3 to 4 options (one right); "I don't know" is added by the bot. */
export const placementQuestion = z
  .object({
    id: itemId,
    area: z.number().int().min(1).max(5),
    competence: competenceId,
    question: localizedText,
    options: z
      .array(z.object({ text: localizedText, correct: z.boolean().default(false) }))
      .min(3)
      .max(4),
  })
  .refine((q) => q.options.filter((o) => o.correct).length === 1, {
    message: "exactly one option must be correct",
    path: ["options"],
  });

/** The placement check: 6 to 8 questions covering all five DigComp areas. */
export const placementCheck = z
  .object({
    id: itemId,
    version: z.number().int().positive(),
    translations: z.record(languageCode, translationStatus),
    questions: z.array(placementQuestion).min(6).max(8),
  })
  .refine((c) => new Set(c.questions.map((q) => q.area)).size === 5, {
    message: "the questions must cover all five DigComp areas",
    path: ["questions"],
  });

export type PlacementQuestion = z.infer<typeof placementQuestion>;
export type PlacementCheck = z.infer<typeof placementCheck>;
export type LocalizedText = z.infer<typeof localizedText>;
export type TranslationStatus = z.infer<typeof translationStatus>;
export type LessonStep = z.infer<typeof lessonStep>;
export type QuizOption = z.infer<typeof quizOption>;
export type QuizQuestion = z.infer<typeof quizQuestion>;
export type Lesson = z.infer<typeof lesson>;
export type Course = z.infer<typeof course>;

/** Limits of the content itself, in characters, whatever the language. */
export const contentLimits = {
  /** A step must fit one phone screen: in English (the source, written short) ... */
  stepText: 350,
  /** ... and in any other language (translations run longer). */
  stepTextTranslated: 500,
  /** Course and lesson titles appear as WhatsApp list rows (24) and buttons. */
  title: 24,
  /** Summaries appear as WhatsApp list row descriptions. */
  summary: 72,
  /** A question with its lettered options must fit an interactive body (1024). */
  question: 300,
  option: 120,
  feedback: 300,
  explanation: 400,
} as const;
