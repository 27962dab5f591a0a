/**
 * `npm run i18n -- <command>`: the translator's tool.
 *
 *   export --lang fa [--missing | --todo (missing or outdated) | --unreviewed (missing, machine or outdated)]
 *          [--prefix content:courses/] [--format json|po] [--out file]
 *   import --lang fa --file fa.po [--status machine|reviewed] [--by "name"]
 *   status
 *
 * A work file holds each unit's key, English source, context and
 * translation; a translator fills the translations and imports the file.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { exportUnits, workFile } from "./export.ts";
import { parsePo } from "./po.ts";
import { sharingParses } from "./shared-parse.ts";
import { printStatus } from "./status.ts";
import { contentUnits, localeUnits, type TranslationUnit } from "./units.ts";
import { importUnits, type StoredStatus } from "./work-files.ts";

const localesRoot = "locales";
const contentRoot = "content";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    lang: { type: "string" },
    missing: { type: "boolean", default: false },
    todo: { type: "boolean", default: false },
    unreviewed: { type: "boolean", default: false },
    prefix: { type: "string" },
    format: { type: "string", default: "json" },
    out: { type: "string" },
    file: { type: "string" },
    status: { type: "string", default: "machine" },
    by: { type: "string" },
  },
});

const command = positionals[0];
if (command === "export") runExport();
else if (command === "import") runImport();
else if (command === "status")
  process.exitCode = sharingParses(() => printStatus(localesRoot, contentRoot, console.log));
else {
  console.error("usage: npm run i18n -- export|import|status (see src/i18n/cli.ts)");
  process.exitCode = 2;
}

function language(): string {
  if (!values.lang || !/^[a-z]{2,3}$/.test(values.lang)) {
    console.error("--lang: a language code such as fa, uk or kmr");
    process.exit(2);
  }
  return values.lang;
}

function runExport(): void {
  const lang = language();
  if (values.format !== "po" && values.format !== "json") {
    console.error("--format: po or json");
    process.exit(2);
  }
  const units = exportUnits({ localesRoot, contentRoot }, lang, {
    missing: values.missing,
    todo: values.todo,
    unreviewed: values.unreviewed,
    prefix: values.prefix,
  });
  const text = workFile(units, lang, values.format);
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
  console.error(`${units.length} units for ${lang}${values.out ? ` in ${values.out}` : ""}`);
}

function runImport(): void {
  const lang = language();
  if (!values.file) {
    console.error("--file: the work file to import (.json or .po)");
    process.exit(2);
  }
  if (values.status !== "machine" && values.status !== "reviewed") {
    console.error("--status: machine or reviewed");
    process.exit(2);
  }
  const text = readFileSync(values.file, "utf8");
  const known = new Map(
    [...localeUnits(localesRoot, lang), ...contentUnits(contentRoot, lang)].map((u) => [u.key, u] as const),
  );
  const incoming = values.file.endsWith(".po") ? parsePo(text) : parseJsonWorkFile(text);
  const units: TranslationUnit[] = [];
  const problems: string[] = [];
  for (const { key, translation, source } of incoming) {
    const unit = known.get(key);
    if (!unit) problems.push(`${key}: no such unit (renamed or removed?)`);
    // A translation of an English text that changed since the export is kept but stays outdated.
    else
      units.push({
        ...unit,
        translation: asListIfNeeded(unit.source, translation),
        ...(source !== undefined ? { madeFrom: asListIfNeeded(unit.source, source) } : {}),
      });
  }
  const status = values.status as StoredStatus;
  for (const p of importUnits(units, {
    localesRoot,
    contentRoot,
    language: lang,
    status,
    ...(values.by ? { by: values.by } : {}),
    at: new Date().toISOString().slice(0, 10),
  })) {
    problems.push(`${p.key}: ${p.message}`);
  }
  for (const line of problems) console.error(line);
  console.log(`${units.length - problems.length} of ${incoming.length} units imported for ${lang} as ${status}`);
  if (problems.length > 0) process.exitCode = 1;
}

function parseJsonWorkFile(
  text: string,
): { key: string; translation: string | string[]; source?: string | string[] }[] {
  type Entry = { translation?: string | string[]; source?: string | string[] } | string | string[];
  const data = JSON.parse(text) as Record<string, Entry>;
  return Object.entries(data).map(([key, value]) =>
    typeof value === "string" || Array.isArray(value)
      ? { key, translation: value }
      : { key, translation: value.translation ?? "", ...(value.source !== undefined ? { source: value.source } : {}) },
  );
}

/** A PO entry carries a word list as lines; the unit wants the list back. */
function asListIfNeeded(source: string | string[], translation: string | string[]): string | string[] {
  if (!Array.isArray(source) || Array.isArray(translation)) return translation;
  return translation
    .split("\n")
    .map((w) => w.trim())
    .filter((w) => w !== "");
}
