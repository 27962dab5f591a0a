/**
 * Gettext PO files for translators (Poedit, Weblate, a text editor): one entry
 * per unit, the unit key as `msgctxt`, the English as `msgid`, context and
 * length limits as extracted comments. A word list travels as one word per line.
 */
import type { TranslationUnit } from "./units.ts";

/**
 * Writes units as a PO file for `language`.
 *
 * @example
 * toPo(localeUnits("locales", "fa"), "fa");
 */
export function toPo(units: readonly TranslationUnit[], language: string): string {
  const header = [
    'msgid ""',
    'msgstr ""',
    quote(`Language: ${language}\nContent-Type: text/plain; charset=UTF-8\nX-Generator: lotse i18n\n`, "msgstr"),
    "",
  ];
  const entries = units.map((unit) => {
    const lines: string[] = [];
    if (unit.context) lines.push(`#. ${unit.context}`);
    if (unit.maxLength) lines.push(`#. at most ${unit.maxLength} characters`);
    if (Array.isArray(unit.source)) lines.push("#. a word list: one word or phrase per line");
    lines.push(quote(unit.key, "msgctxt"));
    lines.push(quote(asText(unit.source), "msgid"));
    lines.push(quote(unit.translation === undefined ? "" : asText(unit.translation), "msgstr"));
    return lines.join("\n");
  });
  return `${[header.slice(0, 2).join("\n"), header[2], ""].join("\n")}\n${entries.join("\n\n")}\n`;
}

/**
 * Reads the translations of a PO file: each entry's `msgctxt` (the unit key) and `msgstr`.
 *
 * @example
 * parsePo(readFileSync("fa.po", "utf8"));
 */
export function parsePo(text: string): { key: string; translation: string; source: string }[] {
  const out: { key: string; translation: string; source: string }[] = [];
  let current: { ctxt?: string; id?: string; str?: string } = {};
  let field: "msgctxt" | "msgid" | "msgstr" | undefined;
  const flush = () => {
    if (current.ctxt !== undefined && current.str !== undefined)
      out.push({ key: current.ctxt, translation: current.str, source: current.id ?? "" });
    current = {};
    field = undefined;
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) {
      if (line === "") flush();
      continue;
    }
    const start = /^(msgctxt|msgid|msgstr)\s+(".*")$/.exec(line);
    if (start) {
      field = start[1] as typeof field;
      if (field === "msgctxt" && current.str !== undefined) flush();
      set(field, unquote(start[2] ?? '""'));
      continue;
    }
    if (line.startsWith('"') && field) set(field, get(field) + unquote(line));
  }
  flush();
  return out;

  function get(f: "msgctxt" | "msgid" | "msgstr"): string {
    return (f === "msgctxt" ? current.ctxt : f === "msgstr" ? current.str : current.id) ?? "";
  }
  function set(f: "msgctxt" | "msgid" | "msgstr" | undefined, value: string): void {
    if (f === "msgctxt") current.ctxt = value;
    else if (f === "msgstr") current.str = value;
    else if (f === "msgid") current.id = value;
  }
}

function asText(value: string | string[]): string {
  return Array.isArray(value) ? value.join("\n") : value;
}

/** A PO string, split after each newline so multi-line texts stay readable. */
function quote(text: string, keyword: string): string {
  const escaped = text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\t/g, "\\t");
  const parts = escaped.split("\n");
  if (parts.length === 1) return `${keyword} "${escaped}"`;
  const lines = parts.map((p, i) => (i < parts.length - 1 ? `"${p}\\n"` : `"${p}"`)).filter((l) => l !== '""');
  return `${keyword} ""\n${lines.join("\n")}`;
}

function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(n|t|"|\\)/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}
