/**
 * The PDF of a course certificate: A4 landscape, each text in the reader's language with the same
 * text in English printed smaller below it (so an employer who does not read Dari or Tigrinya can
 * read it), the person's name as they wrote it in any script, and a QR code of the page where the
 * certificate can be checked.
 *
 * Fonts are Noto files shipped in `@fontsource/*` packages and embedded as subsets (only the glyphs
 * used), so nothing is downloaded when a certificate is made. Text goes through
 * {@link shapeLine}: bidi runs, a font per run, shaping by fontkit (see script-runs.ts for why
 * pdfkit alone gets right-to-left text wrong).
 */
import PDFDocument from "pdfkit";
import { create as createQr } from "qrcode";
import {
  fontFaces,
  paragraphDirection,
  SHAPING_FEATURES,
  type ShapedLine,
  shapeLine,
  type Weight,
  wrapText,
} from "./script-runs.ts";

/** The texts printed on a certificate, in one language. */
export interface CertificateTexts {
  /** e.g. "Certificate" */
  heading: string;
  /** e.g. "Course completed" (a noun phrase: a verb would name a gender in many languages) */
  completed: string;
  /** The course's title. */
  course: string;
  /** e.g. "Competences (DigComp 2.2)" */
  competencesTitle: string;
  /** e.g. "2.3 Engaging in citizenship through digital technologies: basic" */
  competences: string[];
  /** A formatted date, e.g. "Issued on 3 May 2026". */
  issuedOn: string;
  /** The issuing organisation's name. */
  issuer: string;
  /** e.g. "Check it at" */
  verifyLine: string;
  /** The page where the certificate can be checked; also the QR code's content. */
  verifyUrl: string;
  /** The certificate's id as printed, e.g. "ID 7F3K-92QD". */
  id: string;
}

/** What {@link certificatePdf} needs. */
export interface CertificatePdfInput {
  /** The person's chosen name, in any script. */
  name: string;
  /** The reader's language code (en, ar, fa, prs, ps, kmr, ti...): sets the texts' direction. */
  language: string;
  /** The texts in the reader's language. */
  texts: CertificateTexts;
  /**
   * The same texts in English, printed smaller below each text that differs from its English one.
   * `verifyUrl` and `id` are printed once, from `texts`.
   */
  englishTexts: CertificateTexts;
}

/** Languages written right to left, by base code (a tag with the Arab script subtag is too). */
const RIGHT_TO_LEFT = new Set(["ar", "fa", "prs", "ps", "ckb", "ur", "he", "sd", "ug", "dv", "yi", "syr"]);

function directionOf(language: string): "ltr" | "rtl" {
  const [base = "", ...subtags] = language.toLowerCase().split(/[-_]/);
  return RIGHT_TO_LEFT.has(base) || subtags.includes("arab") ? "rtl" : "ltr";
}

// A4 landscape, in points.
const PAGE = { width: 841.89, height: 595.28 } as const;
const INK = "#1a1a1a";
const ENGLISH = "#5a5a5a";
const ACCENT = "#1f4e79";
/** Left and right edge of the text, inside the double frame. */
const SIDE = 70;
/** Where the centred column starts, and where the footer (QR code and the lines beside it) begins. */
const COLUMN_TOP = 62;
const FOOTER_TOP = 448;
const QR_SIZE = 80;
/** Bottom of the QR code and of the footer's text. */
const FOOTER_BOTTOM = PAGE.height - 46;

/** A paragraph to set: its text, size in points (before scaling) and looks. */
interface Paragraph {
  text: string;
  size: number;
  weight: Weight;
  color: string;
  /**
   * The reader's direction: a paragraph whose letters all run one way is set that way (see
   * {@link paragraphDirection}), one that mixes both is set this way.
   */
  direction: "ltr" | "rtl";
  /** Space above, in points before scaling. */
  gap: number;
  /** The name: one line, made smaller until it fits, with the line height of its full size. */
  shrink?: boolean;
}

/** A line ready to draw: laid out, with its size, colour and baseline. */
interface Placed {
  line: ShapedLine;
  size: number;
  color: string;
  baseline: number;
}

// Line height and baseline as a share of the font size: room for Naskh's tall letters and deep
// descenders (Noto Naskh Arabic reaches about 1.1 em above and 0.45 em below the baseline).
const LINE_HEIGHT = 1.5;
const ASCENT = 1.08;

/** Lays out paragraphs top-down from y 0 in a column `width` wide; returns the lines and the height. */
function setColumn(paragraphs: Paragraph[], width: number, scale: number): { placed: Placed[]; height: number } {
  const placed: Placed[] = [];
  let y = 0;
  for (const p of paragraphs) {
    y += p.gap * scale;
    const size = p.size * scale;
    const options = { direction: paragraphDirection(p.text, p.direction), size, weight: p.weight };
    if (p.shrink) {
      let line = shapeLine(p.text, options);
      let drawn = size;
      if (line.width > width) {
        drawn = (size * width) / line.width;
        line = shapeLine(p.text, { ...options, size: drawn });
      }
      // The line keeps the height of the full size, so the rest of the page does not move with the
      // length of the name.
      placed.push({ line, size: drawn, color: p.color, baseline: y + size * ASCENT });
      y += size * LINE_HEIGHT;
      continue;
    }
    for (const text of wrapText(p.text, width, options)) {
      placed.push({ line: shapeLine(text, options), size, color: p.color, baseline: y + size * ASCENT });
      y += size * LINE_HEIGHT;
    }
  }
  return { placed, height: y };
}

/**
 * A text and, below it, its English version (left out when it reads the same, as on an English
 * certificate or for an organisation's name).
 */
function withEnglish(
  text: string,
  english: string,
  look: { size: number; englishSize: number; weight: Weight; color?: string; direction: "ltr" | "rtl"; gap: number },
): Paragraph[] {
  const own: Paragraph = {
    text,
    size: look.size,
    weight: look.weight,
    color: look.color ?? INK,
    direction: look.direction,
    gap: look.gap,
  };
  if (english.trim() === "" || english.trim() === text.trim()) return [own];
  return [own, { text: english, size: look.englishSize, weight: "regular", color: ENGLISH, direction: "ltr", gap: 0 }];
}

/** Draws a laid-out line, one run after the other from the left, each in its own font. */
function drawLine(
  doc: PDFKit.PDFDocument,
  placed: Placed,
  x: number,
  top: number,
  align: "left" | "center" | "right",
): void {
  const { line, size, color } = placed;
  let cursor = align === "left" ? x : align === "right" ? x - line.width : x - line.width / 2;
  for (const run of line.runs) {
    doc
      .font(run.face.key)
      .fontSize(size)
      .fillColor(color)
      .text(run.text, cursor, top + placed.baseline, {
        lineBreak: false,
        baseline: "alphabetic",
        // Any array: pdfkit then lays out the whole run at once instead of word by word.
        features: SHAPING_FEATURES,
      });
    cursor += run.width;
  }
}

/** Draws the QR code of `text` as filled squares (vector, sharp at any zoom), one rectangle per row stretch. */
function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = createQr(text, { errorCorrectionLevel: "M" });
  const cell = size / modules.size;
  for (let row = 0; row < modules.size; row++) {
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      let end = col;
      while (end < modules.size && modules.get(row, end)) end++;
      doc.rect(x + col * cell, y + row * cell, (end - col) * cell, cell);
      col = end;
    }
  }
  doc.fill(INK);
}

/**
 * The certificate as a PDF file: A4 landscape, fonts embedded as subsets.
 *
 * @example
 * const pdf = await certificatePdf({ name: "مریم احمدی", language: "fa", texts, englishTexts });
 * await writeFile("certificate.pdf", pdf);
 */
export function certificatePdf(input: CertificatePdfInput): Promise<Buffer> {
  const { texts, englishTexts: en } = input;
  const direction = directionOf(input.language);
  // Line breaks, tabs and other control characters in a name would break the one-line layout.
  const name = input.name
    .replace(/\p{Cc}+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();

  const doc = new PDFDocument({
    size: "A4",
    layout: "landscape",
    margin: 0,
    lang: input.language,
    displayTitle: true,
    info: {
      Title: `${en.heading}: ${en.course}`,
      Author: texts.issuer,
      Subject: en.course,
      Creator: "Lotse",
    },
  });
  for (const weight of ["regular", "bold"] as const) {
    // Registering only names the file; pdfkit reads and embeds it when a run first uses it.
    for (const face of fontFaces(weight)) doc.registerFont(face.key, face.bytes);
  }

  const result = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });

  // Double frame.
  doc
    .lineWidth(2)
    .rect(20, 20, PAGE.width - 40, PAGE.height - 40)
    .stroke(ACCENT);
  doc
    .lineWidth(0.6)
    .rect(28, 28, PAGE.width - 56, PAGE.height - 56)
    .stroke(ACCENT);

  // The centred column: heading, name, course, competences.
  const column: Paragraph[] = [
    ...withEnglish(texts.heading, en.heading, {
      size: 26,
      englishSize: 11,
      weight: "bold",
      color: ACCENT,
      direction,
      gap: 0,
    }),
    { text: name, size: 32, weight: "bold", color: INK, direction, gap: 12, shrink: true },
    ...withEnglish(texts.completed, en.completed, { size: 13, englishSize: 9.5, weight: "regular", direction, gap: 6 }),
    ...withEnglish(texts.course, en.course, { size: 19, englishSize: 11, weight: "bold", direction, gap: 4 }),
    ...withEnglish(texts.competencesTitle, en.competencesTitle, {
      size: 12,
      englishSize: 9,
      weight: "bold",
      color: ACCENT,
      direction,
      gap: 16,
    }),
    ...texts.competences.flatMap((competence, i) =>
      withEnglish(competence, en.competences[i] ?? "", {
        size: 11,
        englishSize: 8.5,
        weight: "regular",
        direction,
        gap: 5,
      }),
    ),
  ];
  const width = PAGE.width - 2 * SIDE;
  const room = FOOTER_TOP - COLUMN_TOP;
  // Many competences, or long translations, make everything smaller rather than run into the footer.
  let scale = 1;
  let set = setColumn(column, width, scale);
  while (set.height > room && scale > 0.55) {
    scale -= 0.05;
    set = setColumn(column, width, scale);
  }
  const top = COLUMN_TOP + Math.max(0, (room - set.height) / 2);
  for (const placed of set.placed) drawLine(doc, placed, PAGE.width / 2, top, "center");

  // Footer: the QR code and how to check on the reading end (right, or left in a right-to-left
  // language), the date and the issuer on the other.
  const rtl = direction === "rtl";
  const qrX = rtl ? SIDE - 12 : PAGE.width - SIDE + 12 - QR_SIZE;
  const qrY = FOOTER_BOTTOM - QR_SIZE;
  drawQr(doc, texts.verifyUrl, qrX, qrY, QR_SIZE);
  doc.link(qrX, qrY, QR_SIZE, QR_SIZE, texts.verifyUrl);

  const footerWidth = (PAGE.width - 2 * SIDE - QR_SIZE) / 2 - 16;
  const verify = setColumn(
    [
      ...withEnglish(texts.verifyLine, en.verifyLine, {
        size: 10,
        englishSize: 8,
        weight: "regular",
        direction,
        gap: 0,
      }),
      { text: texts.verifyUrl, size: 9, weight: "regular", color: ACCENT, direction: "ltr", gap: 2 },
      { text: texts.id, size: 8, weight: "regular", color: ENGLISH, direction, gap: 0 },
    ],
    footerWidth,
    1,
  );
  const verifyTop = FOOTER_BOTTOM - verify.height;
  const verifyX = rtl ? qrX + QR_SIZE + 14 : qrX - 14;
  for (const placed of verify.placed) drawLine(doc, placed, verifyX, verifyTop, rtl ? "left" : "right");

  const issued = setColumn(
    [
      ...withEnglish(texts.issuedOn, en.issuedOn, { size: 11, englishSize: 8.5, weight: "regular", direction, gap: 0 }),
      ...withEnglish(texts.issuer, en.issuer, { size: 12, englishSize: 9, weight: "bold", direction, gap: 4 }),
    ],
    footerWidth,
    1,
  );
  const issuedTop = FOOTER_BOTTOM - issued.height;
  const issuedX = rtl ? PAGE.width - SIDE : SIDE;
  for (const placed of issued.placed) drawLine(doc, placed, issuedX, issuedTop, rtl ? "right" : "left");

  doc.end();
  return result;
}
