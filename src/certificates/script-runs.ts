/**
 * A line of text in any script, cut into runs that one font draws, shaped, and put in the order the
 * eye reads them on the page (visual order), for the certificate PDF.
 *
 * Why this exists: pdfkit shapes a string through fontkit (Arabic joining forms, ligatures, mark
 * positions) but runs no Unicode bidi algorithm. fontkit reverses a run whose script is
 * right-to-left, so a run of Arabic letters comes out right, but digits or Latin words inside Arabic
 * text, or Arabic inside a Latin line, come out in the wrong order. And pdfkit, when given no
 * `features`, shapes word by word and sets the words left to right, so an Arabic name of two words
 * has its words swapped. Here the bidi algorithm (bidi-js) splits a line into directional runs,
 * each run goes to the font that has its letters (Fontsource ships each Noto family as one file per
 * Unicode range), and the runs are handed to pdfkit one by one, left to right, each as a string
 * fontkit lays out in the right direction.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Bidi } from "bidi-js";
import * as fontkit from "fontkit";

/** The two weights the certificate uses. */
export type Weight = "regular" | "bold";

/** A paragraph's base direction; `auto` takes it from the first strong letter (for a person's name). */
export type Direction = "ltr" | "rtl" | "auto";

/** One font file: a Fontsource subset of a Noto family in one weight. */
export interface FontFace {
  /** A name unique per file, used to register it in a PDF document. */
  key: string;
  /** The CSS family name, for rendering the same file in a browser. */
  family: string;
  weight: Weight;
  /** Absolute path of the .woff file in node_modules. */
  file: string;
  /** The file's bytes, read once. */
  bytes: Buffer;
  font: fontkit.Font;
}

/** A stretch of a line drawn with one font in one direction. */
export interface ShapedRun {
  face: FontFace;
  /**
   * The string to hand to pdfkit (with `features: SHAPING_FEATURES`): the logical text of the run,
   * with mirrored brackets in right-to-left runs, and reversed where fontkit would otherwise lay it
   * out in the wrong direction (see {@link shapeLine}).
   */
  text: string;
  /** Bidi embedding level: odd is right-to-left. */
  level: number;
  /** Advance width in points at the line's size. */
  width: number;
  /** The glyph ids fontkit lays out for `text`, left to right: what pdfkit embeds and draws. */
  glyphs: number[];
}

/** A line laid out: its runs left to right, its width and its resolved base direction. */
export interface ShapedLine {
  runs: ShapedRun[];
  width: number;
  direction: "ltr" | "rtl";
}

/**
 * The features to pass to pdfkit's `text()`. Any array makes pdfkit lay out the whole string at
 * once (without it pdfkit splits at spaces and sets Arabic words in the wrong order); an empty one
 * keeps fontkit's own per-script features (init, medi, fina, rlig, liga, kern, mark...), which an
 * empty list does not turn off.
 */
export const SHAPING_FEATURES: [] = [];

const require = createRequire(import.meta.url);
// bidi-js is CommonJS whose module.exports is the factory, while its typings declare an ES default
// export, which TypeScript (NodeNext) then reads as `.default`: loaded through require, typed by hand.
const bidi = (require("bidi-js") as () => Bidi)();

/**
 * Fontsource subsets in the order they are tried for a letter: Noto Sans for Latin (with the
 * Kurdish, Turkish and Vietnamese letters), Cyrillic and Greek; Noto Naskh Arabic for Arabic,
 * Persian, Dari, Pashto, Sorani and Urdu letters; Noto Sans Ethiopic for Tigrinya and Amharic; Noto
 * Sans Bengali for Bengali (an interface language: its certificates' texts are in it).
 */
const SUBSETS: ReadonlyArray<readonly [pkg: string, family: string, subset: string]> = [
  ["noto-sans", "Noto Sans", "latin"],
  ["noto-sans", "Noto Sans", "latin-ext"],
  ["noto-sans", "Noto Sans", "cyrillic"],
  ["noto-sans", "Noto Sans", "cyrillic-ext"],
  ["noto-sans", "Noto Sans", "greek"],
  ["noto-sans", "Noto Sans", "greek-ext"],
  ["noto-sans", "Noto Sans", "vietnamese"],
  ["noto-naskh-arabic", "Noto Naskh Arabic", "arabic"],
  ["noto-sans-ethiopic", "Noto Sans Ethiopic", "ethiopic"],
  ["noto-sans-bengali", "Noto Sans Bengali", "bengali"],
];

const loaded = new Map<Weight, FontFace[]>();

/**
 * The font files for a weight, in the order they are tried, read and parsed on first use.
 *
 * @example
 * const [latin] = fontFaces("regular"); // Noto Sans, Latin subset
 */
export function fontFaces(weight: Weight): FontFace[] {
  const known = loaded.get(weight);
  if (known) return known;
  const numeric = weight === "bold" ? 700 : 400;
  const faces = SUBSETS.map(([pkg, family, subset]): FontFace => {
    // .woff, not .woff2: fontkit reads both, but pdfkit's subsetting of a WOFF2 (transformed glyf
    // table) is less travelled; the .woff files hold the same outlines.
    const file = require.resolve(`@fontsource/${pkg}/files/${pkg}-${subset}-${numeric}-normal.woff`);
    const bytes = readFileSync(file);
    return { key: `${pkg}-${subset}-${numeric}`, family, weight, file, bytes, font: openFont(bytes) };
  });
  loaded.set(weight, faces);
  return faces;
}

function openFont(bytes: Buffer): fontkit.Font {
  const font = fontkit.create(bytes);
  // A .woff holds one font; a collection (.ttc) would need a name to pick one.
  if (!("layout" in font)) throw new TypeError("expected a single font, got a font collection");
  return font;
}

/**
 * The font for each UTF-16 index of `text`: a character stays in the font of the one before it
 * when that font has it (so spaces, ZWNJ and marks stay inside an Arabic run and shape with it),
 * else goes to the first font that has it; a character no font has keeps the previous font and is
 * drawn as that font's .notdef (or hidden, for default-ignorable characters).
 */
function facesOf(text: string, faces: FontFace[]): FontFace[] {
  const result: FontFace[] = [];
  let previous: FontFace | undefined;
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const face =
      (previous?.font.hasGlyphForCodePoint(codePoint) ? previous : undefined) ??
      faces.find((f) => f.font.hasGlyphForCodePoint(codePoint)) ??
      previous ??
      (faces[0] as FontFace);
    for (let unit = 0; unit < char.length; unit++) result.push(face);
    previous = face;
  }
  return result;
}

const graphemes = new Intl.Segmenter("und", { granularity: "grapheme" });

/** `text` with its grapheme clusters in reverse order (a letter keeps its marks after it). */
function reversed(text: string): string {
  return Array.from(graphemes.segment(text), (s) => s.segment)
    .reverse()
    .join("");
}

/**
 * Lays out one line: bidi levels (UAX #9, by bidi-js), one run per font and level, in visual order.
 *
 * fontkit picks a run's direction from its script, not from the bidi level: it would lay out
 * Arabic-Indic digits (script Arabic, but left-to-right) reversed, and would not reverse a run of
 * punctuation at a right-to-left level. Where the two disagree the run is reversed beforehand, so
 * fontkit's own reversal (or its absence) gives the visual order.
 *
 * @example
 * const line = shapeLine("محمد عبد الله", { direction: "auto", size: 30, weight: "bold" });
 * line.direction; // "rtl"
 * line.runs[0]?.glyphs; // glyph ids of the joined forms, leftmost first
 */
export function shapeLine(text: string, options: { direction: Direction; size: number; weight: Weight }): ShapedLine {
  const clean = text.normalize("NFC");
  const levels = bidi.getEmbeddingLevels(clean, options.direction === "auto" ? undefined : options.direction);
  const direction = (levels.paragraphs[0]?.level ?? (options.direction === "rtl" ? 1 : 0)) % 2 ? "rtl" : "ltr";
  if (clean === "") return { runs: [], width: 0, direction };

  const faces = facesOf(clean, fontFaces(options.weight));
  const mirrored = bidi.getMirroredCharactersMap(clean, levels.levels);
  const order = bidi.getReorderedIndices(clean, levels);

  // Consecutive visual positions make one run while font and level stay the same and the logical
  // index keeps stepping the same way (up at an even level, down at an odd one).
  const spans: Array<{ from: number; to: number; level: number; face: FontFace }> = [];
  let previousIndex = -2;
  for (const index of order) {
    const level = levels.levels[index] ?? 0;
    const face = faces[index] as FontFace;
    const last = spans.at(-1);
    const step = level % 2 ? -1 : 1;
    if (last && last.face === face && last.level === level && index === previousIndex + step) {
      last.from = Math.min(last.from, index);
      last.to = Math.max(last.to, index);
    } else {
      spans.push({ from: index, to: index, level, face });
    }
    previousIndex = index;
  }

  const runs = spans.map(({ from, to, level, face }): ShapedRun => {
    let logical = "";
    for (let i = from; i <= to; i++) logical += mirrored.get(i) ?? clean[i];
    const wanted = level % 2 ? "rtl" : "ltr";
    let run = face.font.layout(logical, SHAPING_FEATURES);
    let drawn = logical;
    if (run.direction !== wanted) {
      drawn = reversed(logical);
      run = face.font.layout(drawn, SHAPING_FEATURES);
    }
    return {
      face,
      text: drawn,
      level,
      width: (run.advanceWidth / face.font.unitsPerEm) * options.size,
      glyphs: run.glyphs.map((g) => g.id),
    };
  });
  return { runs, width: runs.reduce((sum, r) => sum + r.width, 0), direction };
}

/**
 * The base direction for a paragraph: the direction of its letters when they all run one way (an
 * organisation's Latin name on an Arabic certificate is set left to right, so "e.V." keeps its
 * final dot on the right), else `fallback` (the reader's language) for text that mixes both.
 *
 * @example
 * paragraphDirection("Lotse Leipzig e.V.", "rtl"); // "ltr"
 * paragraphDirection("الكفاءات (DigComp 2.2)", "rtl"); // "rtl"
 */
export function paragraphDirection(text: string, fallback: "ltr" | "rtl"): "ltr" | "rtl" {
  let left = false;
  let right = false;
  for (const char of text) {
    const type = bidi.getBidiCharTypeName(char);
    if (type === "L") left = true;
    else if (type === "R" || type === "AL") right = true;
  }
  return left === right ? fallback : left ? "ltr" : "rtl";
}

/**
 * Breaks a paragraph at spaces into lines no wider than `maxWidth` points (a single word wider
 * than that gets a line of its own). Lines are returned in logical order, to be laid out with
 * {@link shapeLine} one by one.
 *
 * @example
 * wrapText(competence, 700, { direction: "rtl", size: 11, weight: "regular" }); // ["...", "..."]
 */
export function wrapText(
  text: string,
  maxWidth: number,
  options: { direction: Direction; size: number; weight: Weight },
): string[] {
  const words = text.split(/\s+/).filter((w) => w !== "");
  const lines: string[] = [];
  let current = "";
  for (const word of words) {
    const candidate = current === "" ? word : `${current} ${word}`;
    if (current !== "" && shapeLine(candidate, options).width > maxWidth) {
      lines.push(current);
      current = word;
    } else {
      current = candidate;
    }
  }
  if (current !== "" || lines.length === 0) lines.push(current);
  return lines;
}
