/**
 * Staff corrections of city services, written back into their content files for review
 * (`npm run content:overrides`, src/services/export-overrides-cli.ts). A corrected phone number,
 * website or opening hours replaces the file's; the file's `version` goes up, `lastVerified`
 * becomes the correction's day, `verified` false, and `verification` says what the team changed, so
 * whoever reviews it checks the facts against the sources. Everything else in the file stays as it
 * is, byte for byte. A closed service's file is left alone: whether to remove it is a reviewer's call.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { type Document, isMap, isScalar, parse, parseDocument, Scalar, type YAMLMap } from "yaml";
import type { ServiceOverride } from "./overrides.ts";

/** The facts a correction can change in a content file. */
export type ExportedField = "phone" | "website" | "hours";

/** How the files are written: as they are read (no folding of long lines, `{en: x}` and `[a, b]`). */
const yamlStyle = { lineWidth: 0, flowCollectionPadding: false } as const;

/** The file's key to put a new key after: the last of these the file has. */
const placeAfter: Record<string, readonly string[]> = {
  phone: ["name", "address", "coordinates"],
  website: ["name", "address", "coordinates", "phone"],
  hours: ["name", "address", "coordinates", "phone", "website"],
  lastVerified: ["source", "sources"],
  verification: ["verified"],
};

/** Sets a top-level key, keeping the node's style (quotes) where the key exists, else adding it in place. */
function setKey(doc: Document, key: string, value: unknown, style?: Scalar.Type): void {
  const map = doc.contents as YAMLMap;
  const node = map.get(key, true);
  if (isScalar(node) && !(value instanceof Object)) {
    node.value = value;
    return;
  }
  if (node !== undefined) {
    map.set(key, doc.createNode(value));
    return;
  }
  const created = doc.createNode(value);
  if (style && isScalar(created)) created.type = style;
  const pair = doc.createPair(key, created);
  const keys = map.items.map((item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)));
  const anchor = Math.max(-1, ...(placeAfter[key] ?? []).map((k) => keys.indexOf(k)));
  map.items.splice(anchor === -1 ? map.items.length : anchor + 1, 0, pair as (typeof map.items)[number]);
}

/** Opening hours become the staff's words in English only: the translations no longer match them. */
function setHours(doc: Document, hours: string): void {
  const node = (doc.contents as YAMLMap).get("hours", true);
  if (!isMap(node)) {
    setKey(doc, "hours", { en: hours });
    return;
  }
  node.items = node.items.filter((item) => isScalar(item.key) && item.key.value === "en");
  const en = node.get("en", true);
  if (isScalar(en)) en.value = hours;
  else node.set("en", hours);
}

/** What the correction changes in a file, and the file after it. */
export interface OverriddenFile {
  /** The file's new text; the same text when nothing changes. */
  text: string;
  /** The facts that changed, in file order; empty when the file already says what the correction says. */
  fields: ExportedField[];
}

/**
 * Applies a correction to a service's content file (YAML): phone, website and opening hours (in
 * English; the other languages' hours are removed), a new version, `lastVerified` the correction's
 * day, `verified: false` and a `verification` note naming what changed. A correction of a closed
 * service or with only a note for people changes nothing here (see {@link exportOverrides}).
 *
 * @example
 * overrideYaml(readFileSync("content/cities/mainz/mainz-vhs.yaml", "utf8"), override).fields; // ["phone", "hours"]
 */
export function overrideYaml(source: string, override: ServiceOverride): OverriddenFile {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) throw new Error(`not valid YAML: ${doc.errors[0]?.message ?? ""}`);
  if (!isMap(doc.contents)) throw new Error("not a service file (no map at the top)");
  const current = doc.toJS() as {
    phone?: unknown;
    website?: unknown;
    hours?: unknown;
    version?: unknown;
    verification?: unknown;
  };
  const fields: ExportedField[] = [];
  if (override.phone !== null && current.phone !== override.phone) {
    setKey(doc, "phone", override.phone, Scalar.QUOTE_DOUBLE);
    fields.push("phone");
  }
  if (override.website !== null && current.website !== override.website) {
    setKey(doc, "website", override.website);
    fields.push("website");
  }
  const hours = current.hours as Record<string, unknown> | undefined;
  if (override.hours !== null && !(hours?.en === override.hours && Object.keys(hours).length === 1)) {
    setHours(doc, override.hours);
    fields.push("hours");
  }
  if (fields.length === 0) return { text: source, fields };
  const day = override.updatedAt.slice(0, 10);
  setKey(doc, "version", (typeof current.version === "number" ? current.version : 0) + 1);
  setKey(doc, "lastVerified", day, Scalar.QUOTE_DOUBLE);
  setKey(doc, "verified", false);
  // The earlier note says what was confirmed where; the reviewer needs both, within the schema's limit.
  const note = `${fields.join(", ")} changed by the team on ${day} in the staff console; check against the source.`;
  const earlier = typeof current.verification === "string" ? ` Earlier: ${current.verification}` : "";
  setKey(doc, "verification", withinLimit(note + earlier, verificationNoteMax));
  return { text: doc.toString(yamlStyle), fields };
}

/** The content schema's limit of a verification note, in characters. */
const verificationNoteMax = 1000;

/** The text cut to `max` UTF-16 units as zod counts them (never inside a character), ending in "…" where cut. */
function withinLimit(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = [...text];
  while (chars.join("").length > max - 1) chars.pop();
  return `${chars.join("")}…`;
}

/** What the export did (or would do) with one correction. */
export type ExportResult =
  | {
      serviceId: string;
      kind: "changed";
      file: string;
      fields: ExportedField[];
      before: string;
      after: string;
      /** The note for people, which is not content: it stays in the database, and goes with the correction. */
      note: string | null;
    }
  | { serviceId: string; kind: "unchanged"; file: string }
  | { serviceId: string; kind: "closed"; file: string; note: string | null }
  | { serviceId: string; kind: "noteOnly"; file: string; note: string | null }
  | { serviceId: string; kind: "missing" };

/** Every service file under `<contentDir>/cities`, by the service id its name carries. */
async function serviceFiles(contentDir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const root = join(contentDir, "cities");
  for (const city of await readdir(root, { withFileTypes: true })) {
    if (!city.isDirectory()) continue;
    for (const name of await readdir(join(root, city.name)))
      if (name.endsWith(".yaml")) files.set(name.slice(0, -".yaml".length), join(root, city.name, name));
  }
  return files;
}

/**
 * Writes each correction into its service's file under `contentDir` (`content/cities/<city>/<id>.yaml`),
 * or only says what it would write with `dryRun`.
 *
 * @example
 * const results = await exportOverrides("content", await listServiceOverrides(db), { dryRun: true });
 */
export async function exportOverrides(
  contentDir: string,
  overrides: readonly ServiceOverride[],
  options: { dryRun: boolean },
): Promise<ExportResult[]> {
  const files = await serviceFiles(contentDir);
  const results: ExportResult[] = [];
  for (const override of overrides) {
    const path = files.get(override.serviceId);
    const { serviceId } = override;
    if (!path) {
      results.push({ serviceId, kind: "missing" });
      continue;
    }
    const file = relative(process.cwd(), path);
    if (override.closed) {
      results.push({ serviceId, kind: "closed", file, note: override.note });
      continue;
    }
    if (override.phone === null && override.website === null && override.hours === null) {
      results.push({ serviceId, kind: "noteOnly", file, note: override.note });
      continue;
    }
    const before = await readFile(path, "utf8");
    const after = overrideYaml(before, override);
    if (after.fields.length === 0) {
      results.push({ serviceId, kind: "unchanged", file });
      continue;
    }
    if (!options.dryRun) await writeFile(path, after.text);
    results.push({
      serviceId,
      kind: "changed",
      file,
      fields: after.fields,
      before,
      after: after.text,
      note: override.note,
    });
  }
  return results;
}

/** The lines that differ between two texts, as `- old` and `+ new` (a plain longest-common-subsequence diff). */
export function changedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const width = b.length + 1;
  // common(i, j): how many lines a[i..] and b[j..] have in common, in order.
  const table = new Int32Array((a.length + 1) * width);
  const common = (i: number, j: number) => table[i * width + j] ?? 0;
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      table[i * width + j] = a[i] === b[j] ? common(i + 1, j + 1) + 1 : Math.max(common(i + 1, j), common(i, j + 1));
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (i < a.length && (j === b.length || common(i + 1, j) >= common(i, j + 1))) lines.push(`- ${a[i++]}`);
    else lines.push(`+ ${b[j++]}`);
  }
  return lines;
}

/** A correction's note for people as the report quotes it (on one line), or nothing. */
const noteText = (note: string | null) => (note === null ? "" : ` — note: ${note.replace(/\s*\n\s*/g, " / ")}`);

/** How wide the report's lines are at most (a word longer than that stays whole). */
const reportWidth = 100;

/**
 * A text cut at spaces into lines of at most `width` characters, the first starting with `first`,
 * the others with `next`.
 *
 * @example
 * wrapLine("a b c", 3, "", ""); // ["a b", "c"]
 */
export function wrapLine(text: string, width: number, first: string, next: string): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(" ")) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = next + word;
    } else line = empty ? line + word : `${line} ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

/** A `verification:` line's text, or undefined when the line is another key. */
function verificationOf(line: string): string | undefined {
  if (!line.slice(2).startsWith("verification:")) return undefined;
  try {
    const value = (parse(line.slice(2)) as { verification?: unknown } | null)?.verification;
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A dry run's changed lines as people read them: the new `verification` repeats the old one after
 * "Earlier:" (printed just above it), so that part is shortened; every line is wrapped at
 * {@link reportWidth}, the continuation indented under the text.
 */
function readableDiff(lines: readonly string[]): string[] {
  const old = lines.map((line) => (line.startsWith("- ") ? verificationOf(line) : undefined)).find((v) => v);
  return lines.flatMap((line) => {
    const marker = line.slice(0, 2);
    let text = line.slice(2);
    const now = marker === "+ " ? verificationOf(line) : undefined;
    if (old && now?.endsWith(` Earlier: ${old}`))
      text = `verification: ${now.slice(0, -old.length)}[the old verification, removed above]`;
    if (`    ${marker}${text}`.length <= reportWidth) return [`    ${marker}${text}`];
    const indent = /^ */.exec(text)?.[0] ?? "";
    return wrapLine(text.slice(indent.length), reportWidth, `    ${marker}${indent}`, `      ${indent}  `);
  });
}

/**
 * The report printed for the results: each file changed (with its changed lines on a dry run), each
 * closed service with its note, and corrections with nothing to write.
 *
 * @example
 * for (const line of formatExport(results, false)) console.log(line);
 */
export function formatExport(results: readonly ExportResult[], dryRun: boolean): string[] {
  if (results.length === 0) return ["No corrections in the database: nothing to export."];
  const lines: string[] = [];
  for (const r of results) {
    switch (r.kind) {
      case "changed":
        lines.push(`${dryRun ? "would change" : "changed"} ${r.file}: ${r.fields.join(", ")}`);
        // The note for people is not content: it goes when the correction is removed.
        if (r.note !== null)
          lines.push(`  note for people (not written to the file): ${r.note.replace(/\s*\n\s*/g, " / ")}`);
        if (dryRun) lines.push(...readableDiff(changedLines(r.before, r.after)));
        break;
      case "closed":
        lines.push(
          `closed by the team: ${r.serviceId}${noteText(r.note)} — remove the file if it closed for good (${r.file})`,
        );
        break;
      case "unchanged":
        lines.push(`already in the file: ${r.serviceId} (${r.file})`);
        break;
      case "noteOnly":
        lines.push(
          `only a note for people: ${r.serviceId}${noteText(r.note)} — nothing to write; the note stays in the database`,
        );
        break;
      case "missing":
        lines.push(`no content file for ${r.serviceId}: remove its correction in the console (/staff/services)`);
        break;
    }
  }
  const changed = results.filter((r) => r.kind === "changed").length;
  lines.push(
    dryRun
      ? `${changed} file(s) would change; nothing was written (without --dry-run they are).`
      : `${changed} file(s) changed. Review them (git diff); once they are deployed, remove the corrections in the console.`,
  );
  return lines;
}
