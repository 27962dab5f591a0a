/**
 * A broadcast's audience as a combination: cities, languages, channels, course progress, a
 * meeting's guests and a class's learners, every filter a set of allowed values (a person matches it
 * with any of them; an empty set does not restrict), all filters together (AND). People must want
 * news, except a meeting's guests, who hear about the meeting they answered, and a class's learners,
 * who hear from their teacher. The chat flow and the old API build
 * the older single-kind audiences ({"kind":"city","city":"leipzig"}); {@link toFilter} turns them
 * into this form, so one query (audience.ts) serves them all.
 */
import { z } from "zod";
import type { ContentPack } from "../content/pack.ts";
import { cities, otherCity } from "../domain/cities.ts";
import { languages } from "../domain/languages.ts";

/** The channels an audience can be narrowed to. */
export const audienceChannels = ["telegram", "whatsapp", "web"] as const;
export type AudienceChannel = (typeof audienceChannels)[number];

/** A course-progress condition: `started:<course>`, `finished:<course>`, or `none` (no lesson started). */
export type ProgressCondition = `started:${string}` | `finished:${string}` | "none";

/** The combination form, as stored in `broadcasts.audience`. */
export interface AudienceFilter {
  kind: "filter";
  cities: string[];
  languages: string[];
  channels: AudienceChannel[];
  progress: ProgressCondition[];
  /** Only the guests (yes or maybe) of this meeting; they need not want news. */
  meetingId: number | null;
  /** Only the learners of this class (a teacher's class message); they need not want news. */
  classId: number | null;
}

/** The older single-kind audiences the chat flow and the old API build. */
export const legacyAudienceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("news") }),
  z.object({ kind: z.literal("city"), city: z.string().min(2) }),
  z.object({ kind: z.literal("language"), language: z.string().regex(/^[a-z]{2,3}$/) }),
  z.object({ kind: z.literal("course"), course: z.string().min(2) }),
  z.object({ kind: z.literal("meeting"), meetingId: z.number().int().positive() }),
]);
export type LegacyAudience = z.infer<typeof legacyAudienceSchema>;

/** The shape of the combination form (values are checked against what exists by {@link filterProblems}). */
export const audienceFilterSchema = z.object({
  kind: z.literal("filter"),
  cities: z.array(z.string().min(1).max(40)).max(50).default([]),
  languages: z
    .array(z.string().regex(/^[a-z]{2,3}$/))
    .max(50)
    .default([]),
  channels: z.array(z.enum(audienceChannels)).max(3).default([]),
  progress: z
    .array(
      z
        .string()
        .regex(/^(none|(started|finished):[a-z0-9_-]{1,80})$/)
        .transform((p) => p as ProgressCondition),
    )
    .max(100)
    .default([]),
  meetingId: z.number().int().positive().nullable().default(null),
  classId: z.number().int().positive().nullable().default(null),
});

/** Any audience a broadcast may carry: the combination, or one of the older kinds. */
export const audienceSchema = z.union([audienceFilterSchema, legacyAudienceSchema]);
export type Audience = LegacyAudience | AudienceFilter;

/** An audience with no filter: everyone who wants news. */
export const everyone: AudienceFilter = {
  kind: "filter",
  cities: [],
  languages: [],
  channels: [],
  progress: [],
  meetingId: null,
  classId: null,
};

/**
 * The combination form of any audience; the older kinds become one filter each.
 *
 * @example
 * toFilter({ kind: "city", city: "leipzig" }); // { kind: "filter", cities: ["leipzig"], languages: [], ... }
 */
export function toFilter(audience: Audience): AudienceFilter {
  switch (audience.kind) {
    case "filter":
      return audience;
    case "news":
      return everyone;
    case "city":
      return { ...everyone, cities: [audience.city] };
    case "language":
      return { ...everyone, languages: [audience.language] };
    case "course":
      return { ...everyone, progress: [`started:${audience.course}`] };
    case "meeting":
      return { ...everyone, meetingId: audience.meetingId };
  }
}

/** A filter value refused: which field, and what is allowed instead. */
export interface FilterProblem {
  field: "cities" | "languages" | "channels" | "progress" | "meetingId";
  value: string;
  allowed: string[];
}

/** The city ids an audience may name: the starter cities and "other". */
export const knownCityIds = (): string[] => [...cities.map((c) => c.id), otherCity];

/**
 * The values of a filter that name nothing we know: an unknown city (such as "Mainz" typed as a name
 * instead of the id "mainz"), language or course. Empty when the filter is good. A meeting is checked
 * by the caller, which reads the meetings.
 *
 * @example
 * filterProblems({ ...everyone, cities: ["Mainz"] }, pack); // [{ field: "cities", value: "Mainz", allowed: ["mainz", ...] }]
 */
export function filterProblems(filter: AudienceFilter, pack: ContentPack): FilterProblem[] {
  const problems: FilterProblem[] = [];
  const cityIds = knownCityIds();
  for (const city of filter.cities)
    if (!cityIds.includes(city)) problems.push({ field: "cities", value: city, allowed: cityIds });
  const codes = languages.map((l) => l.code);
  for (const language of filter.languages)
    if (!codes.includes(language)) problems.push({ field: "languages", value: language, allowed: codes });
  for (const channel of filter.channels)
    if (!(audienceChannels as readonly string[]).includes(channel))
      problems.push({ field: "channels", value: channel, allowed: [...audienceChannels] });
  const courses = pack.courses.map((c) => c.id);
  const progress = ["none", ...courses.flatMap((c) => [`started:${c}`, `finished:${c}`])];
  for (const condition of filter.progress)
    if (!progress.includes(condition)) problems.push({ field: "progress", value: condition, allowed: progress });
  return problems;
}

/**
 * Reads a stored audience (`broadcasts.audience`), old or new form, as a filter.
 *
 * @example
 * storedFilter('{"kind":"news"}'); // everyone
 */
export function storedFilter(json: string): AudienceFilter {
  return toFilter(audienceSchema.parse(JSON.parse(json)));
}
