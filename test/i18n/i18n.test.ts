/**
 * The translator's tool and the language rules: a PO file exported for one
 * language re-imports and marks its units reviewed; a changed English marks
 * them outdated; direction isolation keeps URLs whole; templates go in a
 * language Meta lists.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { templateLanguage } from "../../src/domain/languages.ts";
import { isolateForDirection } from "../../src/i18n/direction.ts";
import { guessLanguage } from "../../src/i18n/guess-language.ts";
import { createTranslator } from "../../src/i18n/index.ts";
import { parsePo, toPo } from "../../src/i18n/po.ts";
import { isTranslated, localeStatus } from "../../src/i18n/status.ts";
import { contentUnits, localeUnits } from "../../src/i18n/units.ts";
import { importUnits } from "../../src/i18n/work-files.ts";

describe("export and import for translators", () => {
  let dir = "";
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it("a Ukrainian PO file re-imports and flips its units to reviewed; a changed English makes them outdated", () => {
    dir = mkdtempSync(join(tmpdir(), "lotse-i18n-"));
    cpSync("locales", join(dir, "locales"), { recursive: true });
    cpSync("content", join(dir, "content"), { recursive: true });
    const locales = join(dir, "locales");
    const before = localeStatus(locales, "uk");
    expect(before.missing).toBe(0);
    const units = localeUnits(locales, "uk");
    const po = toPo(units, "uk");
    expect(po).toContain('msgctxt "locale:core#engine.notUnderstood"');
    const back = parsePo(po);
    expect(back.length).toBe(units.length);
    const known = new Map(units.map((u) => [u.key, u]));
    const reviewed = back.map((b) => {
      const unit = known.get(b.key);
      if (!unit) throw new Error(b.key);
      const translation = Array.isArray(unit.source) ? b.translation.split("\n") : b.translation;
      return { ...unit, translation };
    });
    const problems = importUnits(reviewed, {
      localesRoot: locales,
      contentRoot: join(dir, "content"),
      language: "uk",
      status: "reviewed",
      by: "Olena K.",
      at: "2026-11-29",
    });
    expect(problems).toEqual([]);
    expect(localeStatus(locales, "uk")).toMatchObject({ missing: 0, machine: 0, reviewed: before.total, outdated: 0 });
    // The English of one string changes: its Ukrainian is outdated until someone looks again.
    const core = join(locales, "en", "core.json");
    writeFileSync(
      core,
      readFileSync(core, "utf8").replace("Sorry, I did not understand that.", "Sorry, that was unclear."),
    );
    expect(localeStatus(locales, "uk").outdated).toBe(1);
  });

  it("content units carry their limits, so a translator sees them", () => {
    const units = contentUnits("content", "fa");
    expect(units.find((u) => u.key.endsWith("phone-updates.yaml#title"))?.maxLength).toBe(24);
    expect(units.length).toBeGreaterThan(1500);
  });
});

describe("right to left", () => {
  it.each(["ar", "prs", "ps", "fa", "ur"])(
    "keeps URLs, phone numbers and codes whole in %s and starts each line right to left",
    (lang) => {
      const text =
        "اتصل 0800 111 0 222 أو https://www.openstreetmap.org/?mlat=51.3&mlon=12.3#map=17/51.3/12.3\nREAG/GARP 2.0 برنامج\nاكتب </p>";
      const out = isolateForDirection(text, lang);
      expect(out).toContain("\u2068https://www.openstreetmap.org/?mlat=51.3&mlon=12.3#map=17/51.3/12.3\u2069");
      expect(out).toContain("\u20680800 111 0 222\u2069");
      expect(out).toContain("\u2068</p>\u2069");
      for (const line of out.split("\n")) expect(line.startsWith("\u200F")).toBe(true);
    },
  );

  // Regression (issue 18): the REAG/GARP 2.0 page showed left to right in Pashto, its title being Latin.
  it("a Latin title among right-to-left lines starts right to left; an English sentence shown in place stays as it is", () => {
    const page = "REAG/GARP 2.0\n\nد هغو خلکو لپاره چې په المان کې اوسېږي.\nThis part is in English.";
    const [title, , body, english] = isolateForDirection(page, "ps").split("\n");
    expect(title).toBe("\u200F\u2068REAG/GARP 2.0\u2069");
    expect(body?.startsWith("\u200F")).toBe(true);
    expect(english).toBe("This part is in English.");
    // A text wholly in English (a fallback) is left alone, title included.
    expect(isolateForDirection("REAG/GARP 2.0\n\nIt pays the ticket.", "ar")).toBe(
      "REAG/GARP 2.0\n\nIt pays the ticket.",
    );
  });

  // Regression (Dari on WhatsApp, Arabic in the web chat): a service card opening with a German name of
  // more than 30 characters, or one ending in "e.V.", read left to right from its first letter.
  it("starts a card right to left whose first line is a long Latin name, abbreviations included", () => {
    for (const name of [
      "Ärztlicher Bereitschaftsdienst 116117",
      "Universitätsklinikum Leipzig – Zentrale Notfallaufnahme",
      "Refugee Law Clinic Leipzig e.V.",
    ]) {
      const [first] = isolateForDirection(`${name}\nاتصل بـ 116117.`, "ar").split("\n");
      expect(first).toBe(`\u200F\u2068${name}\u2069`);
    }
    // A sentence of English content still reads as it is, full stop and all.
    expect(isolateForDirection("سلام\nThis lesson is not in your language yet.", "prs").split("\n")[1]).toBe(
      "This lesson is not in your language yet.",
    );
  });

  // Regression (issue 17 trials): options starting with a Latin word showed "A (1، …" and "!Password (3".
  it("keeps a numbered item's number outside the isolate, so it stays at the right", () => {
    const quiz = "أي كلمة مرور أقوى؟\n1) A، لأنها بدون رسوم\n2) نص عربي فقط\n3) Password!";
    const [, first, second, third] = isolateForDirection(quiz, "ar").split("\n");
    expect(first).toBe("\u200F1) \u2068A\u2069، لأنها بدون رسوم");
    expect(second).toBe("\u200F2) نص عربي فقط");
    expect(third).toBe("\u200F3) \u2068Password!\u2069");
    // Short Latin options are items too (the short-name rule took them first: "12345678 (1").
    expect(isolateForDirection("سؤال\n1) 12345678\n4) Ahmed1990", "ar").split("\n").slice(1)).toEqual([
      "\u200F1) \u206812345678\u2069",
      "\u200F4) \u2068Ahmed1990\u2069",
    ]);
  });

  // Regression (trial): "(07، MM)" in a Dari explanation of dates put brackets and clauses out of order.
  it("ends a unit at Arabic-script punctuation", () => {
    const out = isolateForDirection("DD روز است (07، MM ماه است (11)", "prs");
    expect(out).toBe("\u200F\u2068DD\u2069 روز است (\u206807\u2069، \u2068MM\u2069 ماه است (\u206811\u2069)");
  });

  // Regression (trial): "أتصل بـ 112 (113 في النرويج)" showed 113 right after the verb.
  it("ends a unit at a bracket it does not close", () => {
    const out = isolateForDirection("أتصل بـ 112 (113 في النرويج)", "ar");
    expect(out).toBe("\u200Fأتصل بـ \u2068112\u2069 (\u2068113\u2069 في النرويج)");
  });

  it("leaves left-to-right languages as they are", () => {
    expect(isolateForDirection("Call 112 or https://116117.de/", "uk")).toBe("Call 112 or https://116117.de/");
  });
});

describe("languages from the platform", () => {
  it.each([
    [{ tag: "fa-AF" }, "prs"],
    [{ tag: "ku" }, "kmr"],
    [{ tag: "uk-UA" }, "uk"],
    [{ tag: "pt-BR", text: "olá" }, undefined],
    [{ text: "Сәлем" }, "ru"],
    [{ text: "ሰላም" }, "ti"],
    // Regression (a Dari trial): Urdu's own heh letters were not Urdu's, "ہیلو" read as Farsi.
    [{ text: "ہیلو" }, "ur"],
    [{ text: "کھانا" }, "ur"],
  ])("guesses %j as %s", (from, code) => {
    expect(guessLanguage(from)).toBe(code);
  });

  it("sends WhatsApp templates only in languages Meta lists", () => {
    expect(templateLanguage("prs", null)).toBe("fa");
    expect(templateLanguage("ti", "de")).toBe("de");
    expect(templateLanguage("ps", null)).toBe("en");
    expect(templateLanguage("uk", null)).toBe("uk");
  });
});

describe("what counts as translated when it reads as the English", () => {
  // Regression (issue 17): names, file names and a coding lesson's literal options kept three languages
  // "incomplete" for ever; a copied English sentence must still count as missing.
  const unit = (key: string, text: string) => ({ key, source: text, translation: text });
  it.each([
    ["content:courses/create-share/lessons/creative-commons.yaml#title", "Creative Commons", true],
    ["content:courses/create-share/lessons/edit-combine.yaml#quiz.1.options.0.text", "Omar Haddad", true],
    ["content:courses/networking/lessons/cv-basics.yaml#quiz.4.options.1.text", "my cv new FINAL version 2.docx", true],
    ["content:courses/coding-next/lessons/javascript-first.yaml#quiz.1.options.0.text", "Nice day", true],
    [
      "content:courses/coding-next/lessons/tech-jobs.yaml#steps.0.text",
      "Look for junior roles and internships.",
      false,
    ],
    [
      "content:courses/safe-online/lessons/strong-passwords.yaml#quiz.0.question",
      "Which password is the strongest?",
      false,
    ],
    ["locale:menu#menu.title", "Main Menu", false],
  ])("%s %j: %s", (key, text, expected) => {
    expect(isTranslated(unit(key, text), "de")).toBe(expected);
  });
});

describe("the translation memo", () => {
  it("keeps apart values that only a careless key would join: texts, numbers and markers inside names", () => {
    const t = createTranslator({
      en: { translation: { pair: "{{a}}|{{b}}", one: "{{a}}" } },
    }).t;
    // Joined without lengths, both would read "a", "x", "b", "y".
    expect(t("en", "pair", { a: "x", b: "y" })).toBe("x|y");
    expect(t("en", "pair", { a: "x\u00001:by", b: "" })).toBe("x\u00001:by|");
    expect(t("en", "pair", { a: "x", b: "y" })).toBe("x|y");
    // The same digits as a text and as a number are the same words: either way the text is right.
    expect(t("en", "one", { a: "7" })).toBe("7");
    expect(t("en", "one", { a: 7 })).toBe("7");
    expect(t("en", "one", { a: undefined })).not.toBe("7");
  });
});
