/**
 * The certificate PDF as a reader sees it: rendered to pixels by pdf.js in Debian's chromium, the
 * person's name is compared with the same name set by chromium itself in HTML (HarfBuzz shaping,
 * the browser's bidi) in the same font file at the same size. If the two inks match, the PDF's
 * name is shaped and ordered as a browser would: Arabic letters joined, right to left, Ethiopic
 * syllables whole.
 *
 * How: the name's region on the PDF page is where a render of the certificate differs from a
 * render of the same certificate with an empty name (the name's line keeps its height, so nothing
 * else moves). Both inks are cut to their bounding boxes, aligned at the top left, and compared as
 * the intersection over union of their dark pixels, best over shifts of up to 3 px (renderers
 * round glyph positions differently). A negative control proves the comparison can tell shaped
 * from unshaped: the Arabic name with ZWNJ between its letters (every letter in its isolated form)
 * must not match the PDF's name.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { inflateSync } from "node:zlib";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CertificateTexts, certificatePdf } from "../../src/certificates/pdf.ts";
import { type FontFace, fontFaces, shapeLine } from "../../src/certificates/script-runs.ts";
import { hasChromium, launchChromium, type Served, serveOnFreePort } from "../support/browser.ts";

if (!hasChromium) console.warn("browser tests skipped: no chromium (install it with: apt-get install -y chromium)");

const require = createRequire(import.meta.url);
const pdfjsBuild = dirname(require.resolve("pdfjs-dist/build/pdf.mjs"));

/**
 * Pixels per PDF point: the 32 pt name is 96 px high, big enough that anti-aliasing and hinting
 * differences between pdf.js and chromium's text stay at the glyphs' edges.
 */
const SCALE = 3;

/**
 * Least intersection over union for "the same ink". Calibrated with Debian's chromium 156 and pdf.js
 * 5.6: the four names score 0.957 (Tigrinya) to 0.983 (Arabic) against chromium's own rendering;
 * broken on purpose they score at most 0.725 (Tigrinya with every letter drawn on its own, so
 * without kerning), 0.59 (Arabic without final forms only), 0.37 (no joining forms at all), 0.29 (pdfkit
 * left to set the words: they come out left to right); the unjoined control 0.17. The threshold
 * sits between the two groups.
 */
const SAME_INK = 0.85;

const english: CertificateTexts = {
  heading: "Certificate",
  completed: "has completed the course",
  course: "Safe online",
  competencesTitle: "Competences (DigComp 2.2)",
  competences: ["2.3 Engaging in citizenship through digital technologies: basic"],
  issuedOn: "Issued on 3 May 2026",
  issuer: "Lotse Leipzig e.V.",
  verifyLine: "Check it at",
  verifyUrl: "https://lotse.example.org/verify/7f3k92qd",
  id: "ID 7F3K-92QD",
};

const names = {
  arabic: "محمد عبد الله",
  persian: "مریم احمدی",
  tigrinya: "ሰላም ገብረሚካኤል",
  latin: "Şêrîn Müller",
};

/** The Arabic name with a zero-width non-joiner between letters: each letter stands alone. */
const unjoinedArabic = names.arabic
  .split(" ")
  .map((word) => [...word].join("\u200C"))
  .join(" ");

/** The page's largest font size (the name's), read from its content stream: what HTML must use. */
function nameSize(pdf: Buffer): number {
  const text = pdf.toString("latin1");
  const sizes: number[] = [];
  for (const match of text.matchAll(/\/Length (\d+)\s*\/Filter \/FlateDecode\s*>>\s*stream\n/g)) {
    const start = (match.index ?? 0) + match[0].length;
    const content = inflateSync(pdf.subarray(start, start + Number(match[1]))).toString("latin1");
    for (const [, size] of content.matchAll(/\/F\d+ ([\d.]+) Tf/g)) sizes.push(Number(size));
  }
  return Math.max(...sizes);
}

// --- The page: pdf.js, the fonts, and pixel helpers that run in the browser ----------------------

/** The helpers the page defines on `window`, called from the test through `page.evaluate`. */
interface PageHelpers {
  renderPdf(key: string, url: string, scale: number): Promise<void>;
  showText(text: string, families: string[], sizePx: number): Promise<void>;
  loadPng(key: string, base64: string): Promise<void>;
  /** Bounding box of dark pixels in `key`, or of pixels where `key` and `other` differ. */
  inkBox(key: string, other?: string): Box | null;
  /** Dark pixels of `key` within `box`, row by row, as "0"/"1". */
  mask(key: string, box: Box): string;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const faces = [...fontFaces("regular"), ...fontFaces("bold")];

const pageHtml = `<!doctype html>
<html><head><meta charset="utf-8"><style>
${faces.map((f) => `@font-face { font-family: "${f.key}"; src: url("/font/${f.key}.woff") format("woff"); }`).join("\n")}
body { margin: 0; background: #fff; }
#text { position: absolute; left: 0; top: 0; padding: 40px; white-space: nowrap; color: #000; background: #fff; }
</style></head><body><div id="text" dir="auto"></div><script type="module">
import * as pdfjs from "/pdfjs/pdf.mjs";
pdfjs.GlobalWorkerOptions.workerSrc = "/pdfjs/pdf.worker.mjs";
const images = new Map();
// Grey level of pixel i, composited on white.
const grey = (img, i) => {
  const d = img.data, a = d[i * 4 + 3] / 255;
  return 255 - a * (255 - (0.299 * d[i * 4] + 0.587 * d[i * 4 + 1] + 0.114 * d[i * 4 + 2]));
};
window.renderPdf = async (key, url, scale) => {
  const doc = await pdfjs.getDocument({ url }).promise;
  const page = await doc.getPage(1);
  const viewport = page.getViewport({ scale });
  const canvas = document.createElement("canvas");
  canvas.width = Math.ceil(viewport.width);
  canvas.height = Math.ceil(viewport.height);
  await page.render({ canvas, viewport }).promise;
  images.set(key, canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height));
  await doc.destroy();
};
window.showText = async (text, families, sizePx) => {
  const el = document.getElementById("text");
  el.style.fontFamily = families.map((f) => JSON.stringify(f)).join(", ");
  el.style.fontSize = sizePx + "px";
  el.textContent = text;
  await Promise.all(families.map((f) => document.fonts.load(sizePx + "px " + JSON.stringify(f), text)));
  await document.fonts.ready;
};
window.loadPng = async (key, base64) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(bitmap, 0, 0);
  images.set(key, ctx.getImageData(0, 0, bitmap.width, bitmap.height));
};
window.inkBox = (key, other) => {
  const img = images.get(key), ref = other ? images.get(other) : null;
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let y = 0; y < img.height; y++) for (let x = 0; x < img.width; x++) {
    const i = y * img.width + x;
    const ink = ref ? Math.abs(grey(img, i) - grey(ref, i)) > 40 : grey(img, i) < 128;
    if (!ink) continue;
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
};
window.mask = (key, box) => {
  const img = images.get(key);
  let bits = "";
  for (let y = box.y; y < box.y + box.height; y++) for (let x = box.x; x < box.x + box.width; x++)
    bits += grey(img, y * img.width + x) < 128 ? "1" : "0";
  return bits;
};
window.ready = true;
</script></body></html>`;

// --- Comparing inks in node -------------------------------------------------------------------

interface Mask {
  width: number;
  height: number;
  bits: Uint8Array;
  count: number;
}

function toMask(box: Box, bits: string): Mask {
  const array = Uint8Array.from(bits, (c) => (c === "1" ? 1 : 0));
  return { width: box.width, height: box.height, bits: array, count: array.reduce((n, b) => n + b, 0) };
}

/** Intersection over union of two inks aligned at their top left, best over shifts of up to `shift` px. */
function inkIou(a: Mask, b: Mask, shift = 3): number {
  let best = 0;
  for (let dy = -shift; dy <= shift; dy++) {
    for (let dx = -shift; dx <= shift; dx++) {
      let both = 0;
      for (let y = 0; y < a.height; y++) {
        const by = y + dy;
        if (by < 0 || by >= b.height) continue;
        for (let x = 0; x < a.width; x++) {
          const bx = x + dx;
          if (bx >= 0 && bx < b.width && a.bits[y * a.width + x] && b.bits[by * b.width + bx]) both++;
        }
      }
      best = Math.max(best, both / (a.count + b.count - both));
    }
  }
  return best;
}

// ------------------------------------------------------------------------------------------------

describe.skipIf(!hasChromium)("the certificate's name as pdf.js draws it, against chromium's own text", () => {
  let browser: Browser;
  let page: Page;
  let served: Served;
  const pdfs = new Map<string, Buffer>();
  let size = 0;
  /** The PDF's name ink, per name. */
  const pdfInk = new Map<string, Mask>();

  /** Calls a page helper by name (as a string: the test is compiled without the DOM's types). */
  const call = <K extends keyof PageHelpers>(
    name: K,
    ...args: Parameters<PageHelpers[K]>
  ): Promise<Awaited<ReturnType<PageHelpers[K]>>> => page.evaluate(`window.${name}(...${JSON.stringify(args)})`);

  /** Chromium's own rendering of `text` in `families` at the PDF name's size, as a dark-pixel mask. */
  async function htmlInk(key: string, text: string, families: string[]): Promise<Mask> {
    await call("showText", text, families, size * SCALE);
    const png = await page.locator("#text").screenshot();
    await call("loadPng", key, png.toString("base64"));
    const box = await call("inkBox", key);
    if (!box) throw new Error(`no ink for ${text}`);
    return toMask(box, await call("mask", key, box));
  }

  /** The fonts chromium should use for `name`: those of its runs first (as the PDF does), then the rest. */
  function familiesFor(name: string): string[] {
    const used = shapeLine(name, { direction: "auto", size: 32, weight: "bold" }).runs.map((r) => r.face);
    const order: FontFace[] = [...new Set([...used, ...fontFaces("bold")])];
    return order.map((f) => f.key);
  }

  beforeAll(async () => {
    pdfs.set("empty", await certificatePdf({ name: "", language: "en", texts: english, englishTexts: english }));
    for (const [key, name] of Object.entries(names)) {
      pdfs.set(key, await certificatePdf({ name, language: "en", texts: english, englishTexts: english }));
    }
    size = nameSize(pdfs.get("arabic") as Buffer);

    served = await serveOnFreePort((request) => {
      const path = new URL(request.url).pathname;
      if (path === "/") return new Response(pageHtml, { headers: { "content-type": "text/html; charset=utf-8" } });
      const pdf = /^\/pdf\/(\w+)\.pdf$/.exec(path);
      if (pdf?.[1] && pdfs.has(pdf[1])) {
        return new Response(new Uint8Array(pdfs.get(pdf[1]) as Buffer), {
          headers: { "content-type": "application/pdf" },
        });
      }
      const font = /^\/font\/([\w-]+)\.woff$/.exec(path);
      const face = faces.find((f) => f.key === font?.[1]);
      if (face) return new Response(new Uint8Array(face.bytes), { headers: { "content-type": "font/woff" } });
      const script = /^\/pdfjs\/(pdf(?:\.worker)?\.mjs)$/.exec(path);
      if (script?.[1]) {
        const body = readFileSync(`${pdfjsBuild}/${script[1]}`);
        return new Response(new Uint8Array(body), { headers: { "content-type": "text/javascript" } });
      }
      return new Response("not found", { status: 404 });
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 2600, height: 600 } });
    await page.goto(served.base);
    await page.waitForFunction("window.ready === true");

    await call("renderPdf", "empty", "/pdf/empty.pdf", SCALE);
    for (const key of Object.keys(names)) {
      await call("renderPdf", key, `/pdf/${key}.pdf`, SCALE);
      const box = await call("inkBox", key, "empty");
      if (!box) throw new Error(`the ${key} name left no ink on the page`);
      pdfInk.set(key, toMask(box, await call("mask", key, box)));
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    served?.close();
  });

  it("sets the name at 32 pt (the size chromium's rendering is made at)", () => {
    expect(size).toBe(32);
  });

  for (const [key, name] of Object.entries(names)) {
    it(`draws the ${key} name ${name} as chromium shapes it`, async () => {
      const pdf = pdfInk.get(key) as Mask;
      const html = await htmlInk(`html-${key}`, name, familiesFor(name));
      const score = inkIou(pdf, html);
      console.info(
        `${key}: ink IoU ${score.toFixed(3)} (pdf ${pdf.width}×${pdf.height}, html ${html.width}×${html.height})`,
      );
      expect(score).toBeGreaterThanOrEqual(SAME_INK);
    });
  }

  it("tells shaped from unshaped: the Arabic name with its letters forced apart does not match", async () => {
    const pdf = pdfInk.get("arabic") as Mask;
    const unjoined = await htmlInk("html-unjoined", unjoinedArabic, familiesFor(names.arabic));
    const score = inkIou(pdf, unjoined);
    console.info(`unjoined Arabic: ink IoU ${score.toFixed(3)} (html ${unjoined.width}×${unjoined.height})`);
    expect(score).toBeLessThan(SAME_INK);
  });
});
