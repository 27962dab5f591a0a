/**
 * A language's glossary (`locales/_glossary/<lang>.yaml`): the register to write in, the agreed
 * terms (English to the language), further word lists such as countries and cities, and notes.
 * Translators and reviewers follow it, so the same thing is called the same everywhere.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { LotseError } from "../domain/errors.ts";

/** One list of English words and the agreed words in the language. */
export interface GlossarySection {
  /** The list's name in the file: `terms`, `countries`, `cities`. */
  name: string;
  entries: { english: string; translation: string }[];
}

/** A language's glossary as read from its file. */
export interface Glossary {
  language: string;
  /** How to write: formal or informal address, level, spelling. */
  register?: string;
  sections: GlossarySection[];
  notes: string[];
}

/**
 * The glossary of `language`, or undefined when it has none (English and German are the sources).
 * A file that is not a glossary (broken YAML, no map) is an error naming the file.
 *
 * @example
 * readGlossary("locales", "fa")?.sections[0]?.entries.find((e) => e.english === "lesson"); // { english: "lesson", translation: "درس" }
 */
export function readGlossary(localesRoot: string, language: string): Glossary | undefined {
  if (!/^[a-z]{2,3}$/.test(language)) return undefined;
  const path = join(localesRoot, "_glossary", `${language}.yaml`);
  if (!existsSync(path)) return undefined;
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new LotseError("content.invalid", `${path}: not valid YAML`, { cause });
  }
  if (!data || typeof data !== "object" || Array.isArray(data))
    throw new LotseError("content.invalid", `${path}: a glossary is a map (language, register, terms, notes)`);
  const map = data as Record<string, unknown>;
  const sections: GlossarySection[] = [];
  for (const [name, value] of Object.entries(map)) {
    if (!value || typeof value !== "object" || Array.isArray(value)) continue;
    sections.push({
      name,
      entries: Object.entries(value as Record<string, unknown>).map(([english, translation]) => ({
        english,
        translation: String(translation),
      })),
    });
  }
  return {
    language,
    ...(typeof map.register === "string" ? { register: map.register.trim() } : {}),
    sections,
    notes: Array.isArray(map.notes) ? map.notes.map(String) : [],
  };
}
