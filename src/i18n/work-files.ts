/**
 * Writing translations back where they belong: a UI string into
 * `locales/<lang>/<file>.json`, a content text into its YAML file beside the
 * English (comments and layout kept), and the translation's status with a
 * hash of the English it was made from, so a later change of the English
 * marks it outdated.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseDocument } from "yaml";
import type { TranslationUnit } from "./units.ts";

/** How far a translation has come. `outdated` is computed, never stored. */
export type StoredStatus = "machine" | "reviewed";

/** Who marked a translation and when; stored per unit (locales) or per item (content). */
export interface StatusRecord {
  status: StoredStatus;
  /** Hash of the English source the translation was made from. */
  source: string;
  by?: string;
  at?: string;
}

/** The status file of one language's UI strings. */
export function localeStatusPath(localesRoot: string, language: string): string {
  return join(localesRoot, "_status", `${language}.json`);
}

/**
 * A short, stable hash of an English source (text or word list).
 *
 * @example
 * sourceHash("Back to menu"); // "3f2a9c1b0d"
 */
export function sourceHash(source: string | string[] | readonly string[]): string {
  const text = Array.isArray(source) ? source.join("\u241e") : (source as string);
  return createHash("sha256").update(text).digest("hex").slice(0, 10);
}

/** Options of one import. */
export interface ImportOptions {
  localesRoot: string;
  contentRoot: string;
  language: string;
  status: StoredStatus;
  /** Who reviewed (for `reviewed`), such as a name or handle. */
  by?: string;
  at: string;
}

/** A unit that could not be imported, with why. */
export interface ImportProblem {
  key: string;
  message: string;
}

/**
 * Writes translated units into locales and content files. Units with an
 * empty translation are skipped; a unit over its length limit or with other
 * placeholders than the English is refused and reported.
 *
 * @example
 * importUnits(units, { localesRoot: "locales", contentRoot: "content", language: "fa", status: "machine", at: "2026-11-29" });
 */
export function importUnits(units: readonly TranslationUnit[], options: ImportOptions): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const locales = new Map<string, TranslationUnit[]>();
  const contents = new Map<string, TranslationUnit[]>();
  for (const unit of units) {
    const problem = checkUnit(unit);
    if (problem) {
      problems.push({ key: unit.key, message: problem });
      continue;
    }
    if (isEmpty(unit.translation)) continue;
    const [kind, rest = ""] = splitOnce(unit.key, ":");
    const [file = ""] = rest.split("#");
    const group = kind === "locale" ? locales : kind === "content" ? contents : undefined;
    if (!group) {
      problems.push({ key: unit.key, message: "a key starts with locale: or content:" });
      continue;
    }
    group.set(file, [...(group.get(file) ?? []), unit]);
  }
  for (const [file, list] of locales) importLocaleFile(file, list, options);
  for (const [file, list] of contents) problems.push(...importContentFile(file, list, options));
  return problems;
}

function importLocaleFile(ns: string, units: TranslationUnit[], options: ImportOptions): void {
  const path = join(options.localesRoot, options.language, `${ns}.json`);
  const tree = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>) : {};
  const statusPath = localeStatusPath(options.localesRoot, options.language);
  const statuses = existsSync(statusPath)
    ? (JSON.parse(readFileSync(statusPath, "utf8")) as Record<string, StatusRecord>)
    : {};
  for (const unit of units) {
    const key = unit.key.split("#")[1] ?? "";
    setPath(tree, key.split("."), unit.translation);
    statuses[`${ns}#${key}`] = record(unit.madeFrom ?? unit.source, options);
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(tree, null, 2)}\n`);
  mkdirSync(dirname(statusPath), { recursive: true });
  writeFileSync(statusPath, `${JSON.stringify(sortKeys(statuses), null, 2)}\n`);
}

function importContentFile(file: string, units: TranslationUnit[], options: ImportOptions): ImportProblem[] {
  const path = join(options.contentRoot, file);
  if (!existsSync(path)) return units.map((u) => ({ key: u.key, message: `no file ${path}` }));
  const doc = parseDocument(readFileSync(path, "utf8"));
  const problems: ImportProblem[] = [];
  for (const unit of units) {
    const fieldPath = (unit.key.split("#")[1] ?? "").split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    if (!doc.hasIn([...fieldPath, "en"])) {
      problems.push({ key: unit.key, message: "no English text at this place (the file changed?)" });
      continue;
    }
    // Content is addressed by position (options.2): if the English there changed since the export (options
    // reordered, a text rewritten), the translation would land under another text and the item's status,
    // hashed over the English as it is now, would call it current. Refused: export again.
    // A word list comes back as a YAML sequence node: compared as the list it holds.
    const current = toJsList(doc.getIn([...fieldPath, "en"]));
    const english = isScalarOrList(current) ? current : String(current);
    if (unit.madeFrom !== undefined && !sameText(unit.madeFrom, english)) {
      problems.push({
        key: unit.key,
        message: `the English here changed since the export (now: "${String(english).slice(0, 60)}"): export again`,
      });
      continue;
    }
    const value = Array.isArray(unit.translation) ? doc.createNode(unit.translation, { flow: true }) : unit.translation;
    doc.setIn([...fieldPath, options.language], value);
  }
  // The item's status is hashed over all its English texts, so any change of them marks it outdated.
  const english = collectEnglish(doc.toJS() as unknown);
  doc.setIn(["translations", options.language], doc.createNode(record(english, options), { flow: true }));
  writeFileSync(path, doc.toString({ lineWidth: 0, flowCollectionPadding: false }));
  return problems;
}

/** Every English text of a content item, in document order (the basis of its source hash). */
export function collectEnglish(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const child of node) collectEnglish(child, out);
  else if (node && typeof node === "object") {
    const map = node as Record<string, unknown>;
    if (typeof map.en === "string") out.push(map.en);
    else if (Array.isArray(map.en)) out.push(...(map.en as string[]));
    else for (const [key, child] of Object.entries(map)) if (key !== "translations") collectEnglish(child, out);
  }
  return out;
}

function record(source: string | string[], options: ImportOptions): StatusRecord {
  return {
    status: options.status,
    source: sourceHash(source),
    ...(options.by ? { by: options.by } : {}),
    at: options.at,
  };
}

/** Why a unit cannot be imported, or undefined. */
function checkUnit(unit: TranslationUnit): string | undefined {
  const { translation, source } = unit;
  if (isEmpty(translation)) return undefined;
  if (Array.isArray(source) !== Array.isArray(translation)) {
    return Array.isArray(source) ? "expected a list of words" : "expected a text, not a list";
  }
  if (typeof translation === "string") {
    if (unit.maxLength && [...translation].length > unit.maxLength) {
      return `${[...translation].length} characters, at most ${unit.maxLength} fit here`;
    }
    const wanted = placeholders(source as string);
    const got = placeholders(translation);
    if (wanted.join() !== got.join())
      return `placeholders must be ${wanted.join(", ") || "none"}, got ${got.join(", ") || "none"}`;
  }
  return undefined;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1] ?? "").sort();
}

function isEmpty(value: string | string[] | undefined): boolean {
  return value === undefined || (typeof value === "string" ? value.trim() === "" : value.length === 0);
}

function setPath(tree: Record<string, unknown>, path: string[], value: unknown): void {
  let node = tree;
  for (const part of path.slice(0, -1)) {
    if (typeof node[part] !== "object" || node[part] === null || Array.isArray(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1] ?? ""] = value;
}

function sortKeys<T>(map: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)));
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

function isScalarOrList(value: unknown): value is string | string[] {
  return typeof value === "string" || (Array.isArray(value) && value.every((v) => typeof v === "string"));
}

function toJsList(value: unknown): unknown {
  return value && typeof value === "object" && "toJSON" in value ? (value as { toJSON(): unknown }).toJSON() : value;
}

/** Whether a work file's English is the English a content file has now (lists compared item by item). */
function sameText(a: string | string[], b: unknown): boolean {
  const right = toJsList(b);
  if (Array.isArray(a) || Array.isArray(right)) {
    return Array.isArray(a) && Array.isArray(right) && a.length === right.length && a.every((x, i) => x === right[i]);
  }
  return a === right;
}
