/**
 * Cross-file checks of the content pack: duplicate ids, broken references,
 * texts over their limits in any language, and missing translations.
 */
import { cities } from "../domain/cities.ts";
import { distanceMetres } from "../services/search.ts";
import type { ContentProblem, RawContent, Sourced } from "./load.ts";
import { type Course, contentLimits, type Lesson, type LocalizedText } from "./schema.ts";
import { type ReturnInfo, returnCountries, type Service, serviceCategories, serviceLimits } from "./services-schema.ts";

/** The languages the pack must be complete in; others may be partial. */
export const requiredLanguages = ["en", "de", "ar"] as const;

/** WhatsApp's interactive body, the tightest place a quiz question is shown. */
const interactiveBodyLimit = 1024;

/**
 * Runs every cross-file check and returns the problems found (errors and warnings).
 *
 * @example
 * const problems = checkContent(await readContentFiles("content"));
 */
export function checkContent(raw: RawContent): ContentProblem[] {
  const problems: ContentProblem[] = [];
  checkDuplicates(raw.courses, problems);
  checkDuplicates(raw.lessons, problems);
  const lessonIds = new Set(raw.lessons.map((l) => l.value.id));
  const courseIds = new Set(raw.courses.map((c) => c.value.id));
  for (const { file, value } of raw.courses) {
    for (const [i, id] of value.lessons.entries()) {
      if (!lessonIds.has(id)) problems.push(err(file, value.id, `lessons.${i}`, `no lesson with id "${id}"`));
    }
    checkCourseTexts(file, value, problems);
  }
  checkDuplicates(raw.services, problems);
  checkDuplicates(raw.returnInfo, problems);
  for (const { file, value } of raw.services) {
    checkServiceTexts(file, value, problems);
    checkServicePlace(file, value, problems);
  }
  checkCityCoverage(raw.services, problems);
  for (const { file, value } of raw.returnInfo) {
    checkReturnTexts(file, value, problems);
    checkReturnCountry(file, value, problems);
  }
  checkReturnCoverage(raw.returnInfo, problems);
  for (const { file, value } of raw.lessons) {
    if (!courseIds.has(value.course))
      problems.push(err(file, value.id, "course", `no course with id "${value.course}"`));
    checkLessonTexts(file, value, problems);
    checkQuizIds(file, value, problems);
  }
  return problems;
}

/** A course fails when its right answers are the unique longest option more often than this. */
export const maxLengthCue = 0.35;

/** How guessable a course's quiz is: right answers that are the unique longest option, and where right answers sit. */
export interface QuizCues {
  course: string;
  questions: number;
  /** Share of questions whose right answer is the unique longest option (English). */
  longestRight: number;
  /** Share whose right answer is the unique shortest option: reported, so fixing one cue does not make the other. */
  shortestRight: number;
  /** How many right answers are option 1, 2, 3, 4 in the content (people see them shuffled). */
  positions: number[];
}

/**
 * The length cue and position counts of each course's quiz, in English.
 *
 * @example
 * quizCues(raw).find((c) => c.course === "safe-online")?.longestRight; // 0.19
 */
export function quizCues(raw: RawContent): QuizCues[] {
  return raw.courses.map(({ value: course }) => {
    const questions = raw.lessons.filter((l) => l.value.course === course.id).flatMap((l) => l.value.quiz);
    let longest = 0;
    let shortest = 0;
    const positions = [0, 0, 0, 0];
    for (const q of questions) {
      const lengths = q.options.map((o) => [...(o.text.en ?? "")].length);
      const right = q.options.findIndex((o) => o.correct);
      const max = Math.max(...lengths);
      if (lengths[right] === max && lengths.filter((n) => n === max).length === 1) longest += 1;
      const min = Math.min(...lengths);
      if (lengths[right] === min && lengths.filter((n) => n === min).length === 1) shortest += 1;
      positions[right] = (positions[right] ?? 0) + 1;
    }
    return {
      course: course.id,
      questions: questions.length,
      longestRight: questions.length > 0 ? longest / questions.length : 0,
      shortestRight: questions.length > 0 ? shortest / questions.length : 0,
      positions,
    };
  });
}

/**
 * Fails each course whose quiz can be guessed by length. Run by `npm run content:check`, not at start:
 * a guessable quiz is a fault of the teaching, not a reason for the bot to stop.
 *
 * @example
 * const problems = checkQuizCues(raw);
 */
export function checkQuizCues(raw: RawContent): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const cue of quizCues(raw)) {
    if (cue.longestRight <= maxLengthCue) continue;
    const file = raw.courses.find((c) => c.value.id === cue.course)?.file ?? cue.course;
    problems.push(
      err(
        file,
        cue.course,
        "quiz",
        `the right answer is the unique longest option in ${Math.round(cue.longestRight * 100)}% of ${cue.questions} questions (at most ${maxLengthCue * 100}%): people can guess it by its length`,
      ),
    );
  }
  return problems;
}

function checkDuplicates(items: Sourced<{ id: string }>[], problems: ContentProblem[]): void {
  const seen = new Map<string, string>();
  for (const { file, value } of items) {
    const first = seen.get(value.id);
    if (first) problems.push(err(file, value.id, "id", `duplicate id, also used in ${first}`));
    else seen.set(value.id, file);
  }
}

function checkCourseTexts(file: string, c: Course, problems: ContentProblem[]): void {
  const check = textChecker(file, c.id, problems);
  check("title", c.title, contentLimits.title);
  check("summary", c.summary, contentLimits.summary);
}

function checkLessonTexts(file: string, l: Lesson, problems: ContentProblem[]): void {
  const check = textChecker(file, l.id, problems);
  check("title", l.title, contentLimits.title);
  check("summary", l.summary, contentLimits.summary);
  for (const [i, s] of l.steps.entries()) {
    check(`steps.${i}.text`, s.text, contentLimits.stepTextTranslated);
    const en = [...(s.text.en ?? "")].length;
    if (en > contentLimits.stepText) {
      problems.push(
        err(
          file,
          l.id,
          `steps.${i}.text.en`,
          `${en} characters, over ${contentLimits.stepText} in English (one phone screen)`,
        ),
      );
    }
    for (const lang of Object.keys(s.audio ?? {})) {
      if (!s.text[lang]) {
        problems.push(
          err(file, l.id, `steps.${i}.audio.${lang}`, `a recording in ${lang} for a step with no ${lang} text`),
        );
      }
    }
  }
  l.quiz.forEach((q, i) => {
    check(`quiz.${i}.question`, q.question, contentLimits.question);
    check(`quiz.${i}.explanation`, q.explanation, contentLimits.explanation);
    q.options.forEach((o, j) => {
      check(`quiz.${i}.options.${j}.text`, o.text, contentLimits.option);
      check(`quiz.${i}.options.${j}.feedback`, o.feedback, contentLimits.feedback);
    });
    for (const lang of requiredLanguages) {
      const body = quizBodyLength(
        q.question,
        q.options.map((o) => o.text),
        lang,
      );
      if (body > interactiveBodyLimit) {
        problems.push(
          err(
            file,
            l.id,
            `quiz.${i}`,
            `question with options is ${body} characters in ${lang}, over ${interactiveBodyLimit}`,
          ),
        );
      }
    }
  });
}

function checkServiceTexts(file: string, s: Service, problems: ContentProblem[]): void {
  const check = textChecker(file, s.id, problems);
  check("shortName", s.shortName, serviceLimits.shortName);
  check("helpsWith", s.helpsWith, serviceLimits.helpsWith);
  if (s.hours) check("hours", s.hours, serviceLimits.hours);
  if (!s.hours && !s.byAppointment && s.category !== "emergency") {
    problems.push({
      level: "warning",
      file,
      item: s.id,
      field: "hours",
      message: "no opening hours and not by appointment",
    });
  }
  if (s.lastVerified !== undefined && ageInMonths(s.lastVerified) > 12) {
    problems.push({
      level: "warning",
      file,
      item: s.id,
      field: "lastVerified",
      message: "facts are older than twelve months",
    });
  }
}

/** How far from its city's centre a service in that city may be; further away it must be marked remote. */
export const maxServiceDistanceKm = 30;

/** Each city's directory must cover every category: people ask for all of them. */
export const minServicesPerCity = 12;

function checkServicePlace(file: string, s: Service, problems: ContentProblem[]): void {
  const city = cities.find((c) => c.id === s.city);
  if (!city || !s.coordinates || s.remote) return;
  const km = distanceMetres(city.centre, s.coordinates) / 1000;
  if (km > maxServiceDistanceKm) {
    problems.push(
      err(
        file,
        s.id,
        "coordinates",
        `${Math.round(km)} km from the centre of ${city.name} (more than ${maxServiceDistanceKm}): fix the coordinates, or mark the service remote: true if it really is elsewhere`,
      ),
    );
  }
}

function checkCityCoverage(services: Sourced<Service>[], problems: ContentProblem[]): void {
  for (const city of cities) {
    const here = services.filter((s) => s.value.city === city.id).map((s) => s.value);
    const file = `content/cities/${city.id}`;
    if (here.length < minServicesPerCity) {
      problems.push(err(file, city.id, "services", `${here.length} services, fewer than ${minServicesPerCity}`));
    }
    const missing = serviceCategories.filter((c) => !here.some((s) => s.category === c));
    if (missing.length > 0) {
      problems.push(err(file, city.id, "category", `no service in: ${missing.join(", ")}`));
    }
  }
}

function checkReturnCountry(file: string, r: ReturnInfo, problems: ContentProblem[]): void {
  for (const [i, region] of (r.regions ?? []).entries()) {
    if (!region.startsWith(`${r.country}-`)) {
      problems.push(err(file, r.id, `regions.${i}`, `${region} is not a part of ${r.country}`));
    }
  }
  // A person in Palermo once read "In Germany, the federal states are responsible ..."
  if (r.country !== "DE" && /\bin germany\b/i.test(r.body.en ?? "")) {
    problems.push(err(file, r.id, "body.en", `says "in Germany" on a page for ${r.country}`));
  }
}

function checkReturnCoverage(pages: Sourced<ReturnInfo>[], problems: ContentProblem[]): void {
  for (const country of returnCountries) {
    if (!pages.some((p) => p.value.country === country)) {
      problems.push(err(`content/return/${country.toLowerCase()}`, country, "country", "no return page"));
    }
  }
}

function checkReturnTexts(file: string, r: ReturnInfo, problems: ContentProblem[]): void {
  const check = textChecker(file, r.id, problems);
  check("title", r.title, serviceLimits.returnTitle);
  check("body", r.body, serviceLimits.returnBody);
}

function ageInMonths(isoDate: string): number {
  return (Date.now() - new Date(`${isoDate}T00:00:00Z`).getTime()) / (30.44 * 86_400_000);
}

function checkQuizIds(file: string, l: Lesson, problems: ContentProblem[]): void {
  const ids = new Set<string>();
  l.quiz.forEach((q, i) => {
    if (ids.has(q.id)) problems.push(err(file, l.id, `quiz.${i}.id`, `duplicate question id "${q.id}"`));
    ids.add(q.id);
  });
}

/** Length of a question shown with its lettered options ("A) ..."), as the quiz renders it. */
export function quizBodyLength(question: LocalizedText, options: LocalizedText[], lang: string): number {
  const pick = (t: LocalizedText) => t[lang] ?? t.en ?? "";
  return [...pick(question)].length + options.reduce((n, o) => n + 4 + [...pick(o)].length, 0) + 2;
}

function textChecker(file: string, item: string, problems: ContentProblem[]) {
  return (field: string, text: LocalizedText, limit: number): void => {
    for (const [lang, value] of Object.entries(text)) {
      const length = [...value].length;
      if (length > limit)
        problems.push(err(file, item, `${field}.${lang}`, `${length} characters, over the limit of ${limit}`));
    }
    for (const lang of requiredLanguages) {
      if (!text[lang])
        problems.push({
          level: "warning",
          file,
          item,
          field: `${field}.${lang}`,
          message: `missing ${lang} translation`,
        });
    }
  };
}

function err(file: string, item: string, field: string, message: string): ContentProblem {
  return { level: "error", file, item, field, message };
}
