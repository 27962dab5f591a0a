/**
 * Right-to-left text that stays readable: Arabic, Dari, Pashto, Farsi and Urdu
 * replies often carry a URL, a phone number, an app's name or a code. Each such
 * run is wrapped whole in first-strong isolates (U+2068 ... U+2069), so it
 * keeps its own order and nothing is ever put inside it (link detection on
 * Telegram and WhatsApp stops at the first mark), and every line starts with a
 * right-to-left mark, so a line that begins with "REAG/GARP" or "iPhone" still
 * reads from the right.
 */
import { languageByCode } from "../domain/languages.ts";

const firstStrongIsolate = "\u2068";
const popDirectionalIsolate = "\u2069";
const rightToLeftMark = "\u200F";

/** A numbered line: its number and what follows ("1) ", "12. "), as quiz options and lists are written. */
const listItem = /^\u200F?(\d{1,2}[.)] )(.+)$/u;

/** A letter of a right-to-left script. */
const rtlLetter = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;

/** Stretches without a right-to-left letter: where URLs, numbers and Latin words live. */
// Arabic-script punctuation (، ؛ ؟) ends a stretch too: it belongs to the right-to-left sentence, and an
// isolate across it ("(07، MM)") put brackets and clauses out of order.
const nonRtlStretch =
  /[^\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\u060C\u061B\u061F\n]+/gu;

/** Where a left-to-right unit may start: a letter of a left-to-right script, a digit, or the start of a URL, phone, tag or command. */
const unitStart = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Ethiopic}\p{Script=Bengali}0-9+<@#/]/u;
/** Where it may end: a letter, a digit, or the end of a URL path, tag or percentage. */
const unitEnd = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Ethiopic}\p{Script=Bengali}0-9/>%)]/u;

/**
 * Whether a language is written right to left.
 *
 * @example
 * isRightToLeft("prs"); // true
 */
export function isRightToLeft(language: string): boolean {
  return languageByCode(language)?.direction === "rtl";
}

/**
 * Makes a text display right to left with every URL, phone number, code or
 * Latin run isolated as one unit; other languages' texts are returned as they are.
 *
 * @example
 * isolateForDirection("اتصل بـ 0800 111 0 222 أو https://116117.de/", "ar");
 * // "\u200Fاتصل بـ \u20680800 111 0 222\u2069 أو \u2068https://116117.de/\u2069"
 */
export function isolateForDirection(text: string, language: string): string {
  if (!isRightToLeft(language)) return text;
  const mixed = rtlLetter.test(text);
  return text
    .split("\n")
    .map((line) => {
      // A numbered item ("1) A، لأنها…", "3) Password!"): the number stays outside the isolate, so it
      // sits at the right like every other item's; isolated with a Latin word, it came out "A (1".
      const item = listItem.exec(line);
      if (mixed && item) {
        const [, marker = "", rest = ""] = item;
        // All left to right ("Password!"): isolated whole, its punctuation included.
        const isolated = rtlLetter.test(rest)
          ? rest.replace(nonRtlStretch, isolateUnit)
          : `${firstStrongIsolate}${rest}${popDirectionalIsolate}`;
        return `${rightToLeftMark}${marker}${isolated}`;
      }
      // A name or title in Latin letters ("REAG/GARP 2.0") among right-to-left lines is one unit in a
      // right-to-left line: left as it is, it would turn the whole message left to right where the
      // app takes the direction from the first letter.
      // Isolated whole: a name's own final full stop ("e.V.") stays at its end.
      if (mixed && !rtlLetter.test(line) && isShortName(line)) {
        return `${rightToLeftMark}${firstStrongIsolate}${line.trim()}${popDirectionalIsolate}`;
      }
      // A line with no right-to-left letter (English content shown in its place) reads left to right
      // as it is: isolating it whole would move its full stop and quotes to the wrong side.
      if (!rtlLetter.test(line)) return line;
      const isolated = line.replace(nonRtlStretch, isolateUnit);
      return line.trim() === "" || isolated.startsWith(rightToLeftMark) ? isolated : rightToLeftMark + isolated;
    })
    .join("\n");
}

/** A word that ends in a full stop without ending a sentence: "e.V.", "z.B.", "St.", "Nr.". */
const abbreviation = /(?<=^|\s)(?:\p{L}\.){2,}|(?<=^|\s)\p{Lu}\p{Ll}{0,2}\./gu;

/**
 * A line without sentence punctuation, abbreviations aside: a title or a name ("Ärztlicher
 * Bereitschaftsdienst 116117", "Refugee Law Clinic Leipzig e.V."), not a sentence of English content.
 * Up to 30 characters it was, and a service card opening with a longer German name read left to right
 * in Arabic and Dari (two trials on WhatsApp and in the web chat).
 */
function isShortName(line: string): boolean {
  const trimmed = line.trim();
  if (trimmed === "" || [...trimmed].length > 80) return false;
  return !/[.!?:;,]\s|[.!?:]$/.test(trimmed.replace(abbreviation, "x"));
}

/** Wraps the part of a stretch from its first to its last left-to-right character. */
function isolateUnit(stretch: string): string {
  const chars = [...stretch];
  const first = chars.findIndex((c) => unitStart.test(c) && !isMark(c));
  if (first < 0) return stretch;
  let last = chars.length - 1;
  while (last >= first && !(unitEnd.test(chars[last] ?? "") && balanced(chars, first, last))) last -= 1;
  if (last < first) return stretch;
  // "112 (113" in "112 (113 في النرويج)": an opening bracket the unit does not close ends it, and what
  // follows is a unit of its own; isolated together, the 113 showed next to the verb before it.
  const open = unclosedBracket(chars, first, last);
  if (open !== undefined) {
    let end = open - 1;
    while (end >= first && /\s/.test(chars[end] ?? "")) end -= 1;
    const head = end >= first ? [firstStrongIsolate, ...chars.slice(first, end + 1), popDirectionalIsolate] : [];
    return [
      ...chars.slice(0, first),
      ...head,
      ...chars.slice(end + 1, open + 1),
      isolateUnit(chars.slice(open + 1).join("")),
    ].join("");
  }

  return [
    ...chars.slice(0, first),
    firstStrongIsolate,
    ...chars.slice(first, last + 1),
    popDirectionalIsolate,
    ...chars.slice(last + 1),
  ].join("");
}

/** The index of the first "(" between `first` and `last` that is not closed before `last`, if any. */
function unclosedBracket(chars: string[], first: number, last: number): number | undefined {
  const open: number[] = [];
  for (let i = first; i <= last; i++) {
    if (chars[i] === "(") open.push(i);
    else if (chars[i] === ")") open.pop();
  }
  return open[0];
}

/** A closing parenthesis ends a unit only when the unit opened it ("Android (Google)"). */
function balanced(chars: string[], first: number, last: number): boolean {
  if (chars[last] !== ")") return true;
  const inside = chars.slice(first, last + 1);
  return inside.filter((c) => c === "(").length >= inside.filter((c) => c === ")").length;
}

function isMark(c: string): boolean {
  return /[\u200E\u200F\u061C\u2066-\u2069]/u.test(c);
}

/** Direction marks that must never appear inside a URL, phone number or code. */
export const directionMarks = /[\u200E\u200F\u061C\u2066-\u2069]/u;

/** Whether a text has a right-to-left letter (used to guess a language from a first message). */
export function hasRightToLeftLetters(text: string): boolean {
  return rtlLetter.test(text);
}
