/**
 * The certificate PDF read back byte by byte (no browser): an A4 landscape PDF, its Noto fonts
 * embedded as subsets, small, and an Arabic name drawn with the joined letter forms, right to left,
 * with no .notdef box (tofu) for any of the names the bot's learners write.
 *
 * What can be checked without rendering: which glyphs the page draws. The page's text operators
 * name glyphs by their id in the embedded subset; the subset is a TrueType font of its own, so each
 * drawn glyph's outline is compared with the outline fontkit's layout chose in the full font. An
 * Arabic letter's isolated form and its joined forms are different outlines, so this tells shaped
 * text from unshaped, and the order of the outlines tells right-to-left from left-to-right.
 */
import { inflateSync } from "node:zlib";
import * as fontkit from "fontkit";
import { beforeAll, describe, expect, it } from "vitest";
import { type CertificateTexts, certificatePdf } from "../../src/certificates/pdf.ts";
import { fontFaces, paragraphDirection, shapeLine } from "../../src/certificates/script-runs.ts";

const english: CertificateTexts = {
  heading: "Certificate",
  completed: "has completed the course",
  course: "Safe online",
  competencesTitle: "Competences (DigComp 2.2)",
  competences: [
    "2.3 Engaging in citizenship through digital technologies: basic",
    "4.2 Protecting personal data and privacy: basic",
    "1.2 Evaluating data, information and digital content: basic",
  ],
  issuedOn: "Issued on 3 May 2026",
  issuer: "Lotse Leipzig e.V.",
  verifyLine: "Check it at",
  verifyUrl: "https://lotse.example.org/verify/7f3k92qd",
  id: "ID 7F3K-92QD",
};

const arabic: CertificateTexts = {
  heading: "شهادة",
  completed: "أتمّ الدورة",
  course: "الأمان على الإنترنت",
  competencesTitle: "الكفاءات (DigComp 2.2)",
  competences: [
    "2.3 المشاركة في المواطنة من خلال التقنيات الرقمية: أساسي",
    "4.2 حماية البيانات الشخصية والخصوصية: أساسي",
    "1.2 تقييم البيانات والمعلومات والمحتوى الرقمي: أساسي",
  ],
  issuedOn: "صدرت في ٣ مايو ٢٠٢٦",
  issuer: "Lotse Leipzig e.V.",
  verifyLine: "تحقق منها على",
  verifyUrl: english.verifyUrl,
  id: "الرقم 7F3K-92QD",
};

/** Names as learners write them: Arabic, Persian, Pashto, Tigrinya, Kurdish Latin, Cyrillic, Greek, Bengali, Urdu. */
const names = [
  "محمد عبد الله",
  "مریم احمدی",
  "ښکلې ځدراڼ",
  "ሰላም ገብረሚካኤል",
  "Şêrîn Müller",
  "Олена Шевченко",
  "Ελένη Παπαδοπούλου",
  // Regression (trial): Bengali is an interface language, and its letters had no font (boxes).
  "রহিম উদ্দিন",
  "عائشہ ٹھاکر",
];

/** Measured 23.5 KB for the Arabic certificate (three fonts, two weights each, as subsets). */
const MAX_BYTES = 40_000;

// --- A minimal reader for the PDFs pdfkit writes ---------------------------------------------

interface PdfObject {
  dict: string;
  stream?: Buffer;
}

/** The numbered objects of a PDF, streams inflated: enough to find fonts and page content. */
function readObjects(pdf: Buffer): Map<number, PdfObject> {
  // latin1: one character per byte, so string offsets are byte offsets.
  const text = pdf.toString("latin1");
  const objects = new Map<number, PdfObject>();
  const header = /(\d+) 0 obj\s*/g;
  for (let match = header.exec(text); match; match = header.exec(text)) {
    const start = match.index + match[0].length;
    const streamAt = text.indexOf("stream\n", start);
    const endAt = text.indexOf("endobj", start);
    if (streamAt === -1 || streamAt > endAt) {
      objects.set(Number(match[1]), { dict: text.slice(start, endAt) });
      continue;
    }
    const dict = text.slice(start, streamAt);
    const length = Number(/\/Length (\d+)/.exec(dict)?.[1]);
    const raw = pdf.subarray(streamAt + 7, streamAt + 7 + length);
    objects.set(Number(match[1]), { dict, stream: dict.includes("/FlateDecode") ? inflateSync(raw) : raw });
    // Skip the stream's bytes, which may hold anything, "obj" included.
    header.lastIndex = streamAt + 7 + length;
  }
  return objects;
}

interface EmbeddedFont {
  /** e.g. "BAAAAA+NotoNaskhArabic-Bold" */
  baseFont: string;
  /** The embedded subset (a TrueType file), parsed. */
  subset: fontkit.Font;
  subsetBytes: number;
}

const ref = (dict: string, key: string): number => Number(new RegExp(`/${key} (\\d+) 0 R`).exec(dict)?.[1]);

/** The page's fonts by resource name (F1, F2...), with their embedded subsets. */
function embeddedFonts(objects: Map<number, PdfObject>): Map<string, EmbeddedFont> {
  const fonts = new Map<string, EmbeddedFont>();
  for (const { dict } of objects.values()) {
    for (const [, name, id] of dict.matchAll(/\/(F\d+) (\d+) 0 R/g)) {
      const type0 = objects.get(Number(id))?.dict ?? "";
      const baseFont = /\/BaseFont \/(\S+)/.exec(type0)?.[1];
      const descendant = Number(/\/DescendantFonts \[(\d+) 0 R\]/.exec(type0)?.[1]);
      const descriptor = objects.get(ref(objects.get(descendant)?.dict ?? "", "FontDescriptor"))?.dict ?? "";
      const file = objects.get(ref(descriptor, "FontFile2"))?.stream;
      if (!name || !baseFont || !file) continue; // a standard font, not embedded
      const subset = fontkit.create(file);
      if (!("layout" in subset)) throw new TypeError("a subset is one font");
      fonts.set(name, { baseFont, subset, subsetBytes: file.length });
    }
  }
  return fonts;
}

/** A glyph drawn by the page: the resource name of its font, the size, and its id in the subset. */
interface Drawn {
  font: string;
  size: number;
  gid: number;
}

/** Every glyph the page draws, in the order of its text operators (left to right within a run). */
function drawnGlyphs(objects: Map<number, PdfObject>): Drawn[] {
  const drawn: Drawn[] = [];
  for (const { stream } of objects.values()) {
    const content = stream?.toString("latin1") ?? "";
    if (!content.includes(" Tf")) continue;
    let font = "";
    let size = 0;
    for (const [, name, fontSize, hex] of content.matchAll(/\/(F\d+) ([\d.]+) Tf|<([0-9a-f]+)>/g)) {
      if (name) {
        font = name;
        size = Number(fontSize);
      } else if (hex) {
        for (let i = 0; i < hex.length; i += 4)
          drawn.push({ font, size, gid: Number.parseInt(hex.slice(i, i + 4), 16) });
      }
    }
  }
  return drawn;
}

const outline = (font: fontkit.Font, gid: number): string => font.getGlyph(gid).path.toSVG();

// ------------------------------------------------------------------------------------------------

describe("certificate PDF", () => {
  let arabicPdf: Buffer;
  beforeAll(async () => {
    arabicPdf = await certificatePdf({ name: "محمد عبد الله", language: "ar", texts: arabic, englishTexts: english });
  });

  it("is a PDF of one A4 landscape page, under the size stated", () => {
    expect(arabicPdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(arabicPdf.subarray(-6).toString("latin1")).toMatch(/%%EOF\s*$/);
    const pages = [...readObjects(arabicPdf).values()].filter((o) => /\/Type \/Page\b/.test(o.dict));
    expect(pages).toHaveLength(1);
    expect(pages[0]?.dict).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/);
    expect(arabicPdf.length).toBeLessThan(MAX_BYTES);
  });

  it("embeds the Noto fonts as subsets, much smaller than the files they come from", () => {
    const fonts = [...embeddedFonts(readObjects(arabicPdf)).values()];
    const names = fonts.map((f) => f.baseFont.replace(/^[A-Z]{6}\+/, "")).sort();
    expect(names).toEqual(["NotoNaskhArabic-Bold", "NotoNaskhArabic-Regular", "NotoSans-Bold", "NotoSans-Regular"]);
    for (const font of fonts) expect(font.baseFont).toMatch(/^[A-Z]{6}\+/); // the PDF's mark of a subset
    const naskh = fontFaces("regular").find((f) => f.family === "Noto Naskh Arabic");
    const naskhSubset = fonts.find((f) => f.baseFont.endsWith("NotoNaskhArabic-Regular"));
    expect(naskhSubset?.subsetBytes).toBeLessThan((naskh?.bytes.length ?? 0) / 4);
  });

  it("lays out محمد with its joined forms (initial, medial, medial, final), not the isolated ones", () => {
    const [face] = fontFaces("bold").filter((f) => f.family === "Noto Naskh Arabic");
    if (!face) throw new Error("no Arabic font");
    const line = shapeLine("محمد", { direction: "auto", size: 32, weight: "bold" });
    expect(line.runs).toHaveLength(1);
    const shaped = line.runs[0]?.glyphs ?? [];
    // Left to right on the page: د (final), م (medial), ح (medial), م (initial).
    const isolated = [..."محمد"].reverse().map((c) => face.font.glyphForCodePoint(c.codePointAt(0) ?? 0).id);
    expect(shaped).toHaveLength(4);
    for (const [i, gid] of shaped.entries()) expect(gid).not.toBe(isolated[i]);
    expect(shaped.map((gid) => face.font.getGlyph(gid).name)).toEqual([
      "uni062F.fina",
      "uni0645.medi",
      "uni062D.medi",
      "uni0645.init",
    ]);
  });

  it("draws those joined forms in the PDF, leftmost first, and no isolated form of them", async () => {
    const pdf = await certificatePdf({ name: "محمد", language: "en", texts: english, englishTexts: english });
    const objects = readObjects(pdf);
    const fonts = embeddedFonts(objects);
    const arabicFont = [...fonts].find(([, f]) => f.baseFont.endsWith("+NotoNaskhArabic-Bold"));
    if (!arabicFont) throw new Error("the Arabic font is not embedded");
    const [resource, { subset }] = arabicFont;
    const drawn = drawnGlyphs(objects).filter((d) => d.font === resource);

    const [face] = fontFaces("bold").filter((f) => f.family === "Noto Naskh Arabic");
    if (!face) throw new Error("no Arabic font");
    const shaped = shapeLine("محمد", { direction: "auto", size: 32, weight: "bold" }).runs[0]?.glyphs ?? [];
    expect(drawn.map((d) => outline(subset, d.gid))).toEqual(shaped.map((gid) => outline(face.font, gid)));
    const isolatedOutlines = [..."محمد"].map((c) =>
      outline(face.font, face.font.glyphForCodePoint(c.codePointAt(0) ?? 0).id),
    );
    for (const d of drawn) expect(isolatedOutlines).not.toContain(outline(subset, d.gid));
  });

  it("draws a two-word Arabic name as one right-to-left line: the last word leftmost", () => {
    const objects = readObjects(arabicPdf);
    const fonts = embeddedFonts(objects);
    // The name is the page's largest text.
    const drawn = drawnGlyphs(objects);
    const nameSize = Math.max(...drawn.map((d) => d.size));
    const name = drawn.filter((d) => d.size === nameSize);
    const line = shapeLine("محمد عبد الله", { direction: "rtl", size: nameSize, weight: "bold" });
    const expected = line.runs.flatMap((run) => run.glyphs.map((gid) => outline(run.face.font, gid)));
    const actual = name.map((d) => {
      const font = fonts.get(d.font);
      if (!font) throw new Error(`font ${d.font} not embedded`);
      return outline(font.subset, d.gid);
    });
    expect(actual).toEqual(expected);
    // الله ends the name, so on the page it comes first: heh (final) is the leftmost glyph.
    expect(line.runs[0]?.face.font.getGlyph(line.runs[0]?.glyphs[0] ?? 0).name).toBe("uni0647.fina");
  });

  it("orders mixed right-to-left and left-to-right text by the bidi algorithm", () => {
    /**
     * The characters of a laid-out line, left to right as on the page: each run as handed to pdfkit,
     * reversed where fontkit lays it out right to left. (Glyph code points would be more direct, but
     * fontkit's are not reliable after Arabic glyph substitution.)
     */
    const visual = (text: string, direction: "ltr" | "rtl") =>
      shapeLine(text, { direction, size: 12, weight: "regular" })
        .runs.map((run) =>
          run.face.font.layout(run.text, []).direction === "rtl" ? [...run.text].reverse().join("") : run.text,
        )
        .join("");
    // Brackets mirror, numbers (Western and Arabic-Indic) keep their order, words their place.
    expect(visual("(محمد) 2024", "rtl")).toBe("2024 (دمحم)");
    expect(visual("تاريخ ١٢٣ و 456 ABC", "rtl")).toBe("ABC 456 و ١٢٣ خيرات");
    expect(visual("Hello محمد عبد world", "ltr")).toBe("Hello دبع دمحم world");
    expect(paragraphDirection("Lotse Leipzig e.V.", "rtl")).toBe("ltr");
    expect(paragraphDirection("الكفاءات (DigComp 2.2)", "rtl")).toBe("rtl"); // mixed: the reader's
    expect(paragraphDirection("الكفاءات (DigComp 2.2)", "ltr")).toBe("ltr");
    expect(paragraphDirection("مریم احمدی", "ltr")).toBe("rtl");
  });

  it("has a glyph for every letter of every name (no .notdef box), in the layout and in the PDF", async () => {
    for (const name of names) {
      const glyphs = shapeLine(name, { direction: "auto", size: 32, weight: "bold" }).runs.flatMap((r) => r.glyphs);
      expect(glyphs, name).not.toContain(0);
      const pdf = await certificatePdf({ name, language: "en", texts: english, englishTexts: english });
      expect(pdf.length, name).toBeLessThan(MAX_BYTES);
      // Glyph 0 of every subset is .notdef.
      expect(
        drawnGlyphs(readObjects(pdf)).filter((d) => d.gid === 0),
        name,
      ).toEqual([]);
    }
    // The check can fail: no font here has emoji.
    expect(shapeLine("Ali 🙂", { direction: "ltr", size: 32, weight: "bold" }).runs.flatMap((r) => r.glyphs)).toContain(
      0,
    );
  });

  it("scales the column down rather than run into the footer, and shrinks a long name to the width", async () => {
    const many = {
      ...english,
      competences: Array.from({ length: 14 }, (_, i) => `${i + 1}.1 ${english.competences[0]}`),
    };
    const long = "Maximiliane Alexandra Konstantinopoulou-Wittgenstein von Hohenzollern-Sigmaringen";
    const pdf = await certificatePdf({ name: long, language: "en", texts: many, englishTexts: many });
    const drawn = drawnGlyphs(readObjects(pdf));
    expect(Math.max(...drawn.map((d) => d.size))).toBeLessThan(32);
    expect(pdf.length).toBeLessThan(MAX_BYTES);
  });
});
