/**
 * The content pack as the running bot uses it: validated at start (a broken
 * file stops the start with the file, item and field named), then read-only
 * lookups for flows.
 */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { LotseError } from "../domain/errors.ts";
import { type DirectoryService, isClosed, type ServiceOverride, withOverride } from "../services/overrides.ts";
import { checkContent } from "./check.ts";
import { formatProblem } from "./check-run.ts";
import { readContentFiles } from "./load.ts";
import type { Course, Lesson, PlacementCheck, QuizQuestion } from "./schema.ts";
import type { ReturnInfo, Service } from "./services-schema.ts";

/** Courses in order, lessons by id, with the lookups flows need. */
export interface ContentPack {
  courses: readonly Course[];
  course(id: string): Course | undefined;
  lesson(id: string): Lesson | undefined;
  question(lessonId: string, questionId: string): QuizQuestion | undefined;
  /** The lesson after this one in its course, if any. */
  nextLesson(lessonId: string): Lesson | undefined;
  /** Lessons of a course in course order. */
  lessonsOf(courseId: string): Lesson[];
  /** Every open city service, with staff corrections applied (a closed one is not searched or listed). */
  readonly services: readonly DirectoryService[];
  /** Every service with its correction, closed ones too: a typed search finds a closed place and says so. */
  readonly allServices: readonly DirectoryService[];
  /** A service by id with its correction, closed ones too (a card opened from an old message says so). */
  service(id: string): DirectoryService | undefined;
  /** Every service as the content files have it, closed ones too, for staff. */
  readonly contentServices: readonly Service[];
  /**
   * Replaces the staff corrections applied over the content (all of them: one missing here is gone).
   * Flows read `services` and `service()` on each message, so the next card shows the change.
   */
  applyServiceOverrides(overrides: readonly ServiceOverride[]): void;
  /** Voluntary-return information pages in order. */
  returnInfo: readonly ReturnInfo[];
  /** The placement check, when the pack has one (flows/placement.ts). */
  placement?: PlacementCheck;
}

/**
 * Builds lookups over validated courses and lessons.
 *
 * @example
 * const pack = createContentPack(courses, lessons);
 * pack.lessonsOf("safe-online")[0]?.title.en;
 */
export function createContentPack(
  courses: Course[],
  lessons: Lesson[],
  services: Service[] = [],
  returnInfo: ReturnInfo[] = [],
  placement?: PlacementCheck,
): ContentPack {
  const ordered = [...courses].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  const byId = new Map(lessons.map((l) => [l.id, l]));
  const lessonsOf = (courseId: string): Lesson[] =>
    (ordered.find((c) => c.id === courseId)?.lessons ?? []).flatMap((id) => byId.get(id) ?? []);
  let servicesById = new Map<string, DirectoryService>(services.map((s) => [s.id, s]));
  let open: readonly DirectoryService[] = services;
  let all: readonly DirectoryService[] = services;
  return {
    get services() {
      return open;
    },
    get allServices() {
      return all;
    },
    service: (id) => servicesById.get(id),
    contentServices: services,
    applyServiceOverrides(overrides) {
      const byService = new Map(overrides.map((o) => [o.serviceId, o]));
      const current = services.map((s) => {
        const override = byService.get(s.id);
        return override ? withOverride(s, override) : (s as DirectoryService);
      });
      servicesById = new Map(current.map((s) => [s.id, s]));
      all = current;
      open = current.filter((s) => !isClosed(s));
    },
    returnInfo: [...returnInfo].sort((a, b) => a.order - b.order),
    ...(placement ? { placement } : {}),
    courses: ordered,
    course: (id) => ordered.find((c) => c.id === id),
    lesson: (id) => byId.get(id),
    question: (lessonId, questionId) => byId.get(lessonId)?.quiz.find((q) => q.id === questionId),
    lessonsOf,
    nextLesson(lessonId) {
      const lesson = byId.get(lessonId);
      if (!lesson) return undefined;
      const siblings = lessonsOf(lesson.course);
      return siblings[siblings.findIndex((l) => l.id === lessonId) + 1];
    },
  };
}

/**
 * Reads and validates `content/`; throws `content.invalid` naming every error.
 *
 * @example
 * const pack = await loadContentPack("content");
 */
export async function loadContentPack(root: string): Promise<ContentPack> {
  const key = `${resolve(root)}\u0000${fingerprint(root)}`;
  let files = validated.get(key);
  if (files === undefined) {
    files = readValidated(root);
    // A refused pack is read again next time: its files are being mended.
    files.catch(() => validated.delete(key));
    validated.set(key, files);
  }
  const raw = await files;
  // A pack of its own each time: its staff corrections are its own (the content values are never changed).
  return createContentPack(
    raw.courses.map((c) => c.value),
    raw.lessons.map((l) => l.value),
    raw.services.map((s) => s.value),
    raw.returnInfo.map((r) => r.value),
    raw.placement?.value,
  );
}

/**
 * Validated content by folder and the files' sizes and times: reading and checking every YAML file
 * takes about a second, which each app started in one process (a test file starts dozens) paid again.
 * A changed, added or removed file reads the folder again.
 */
const validated = new Map<string, ReturnType<typeof readValidated>>();

async function readValidated(root: string) {
  const raw = await readContentFiles(root);
  const errors = [...raw.problems, ...checkContent(raw)].filter((p) => p.level === "error");
  if (errors.length > 0) {
    throw new LotseError(
      "content.invalid",
      `the content pack has errors:\n  ${errors.map(formatProblem).join("\n  ")}`,
    );
  }
  return raw;
}

/** Every file under `root` with its size and modification time, in one string. */
function fingerprint(root: string): string {
  const parts: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(path);
      else if (stat) parts.push(`${path}:${stat.size}:${stat.mtimeMs}`);
    }
  };
  walk(root);
  return parts.join("\n");
}
