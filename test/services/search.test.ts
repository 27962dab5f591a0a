/**
 * Search quality over the real directory: typed words in English, German and
 * Arabic (with typos, compounds, the Arabic article and question words) find
 * the expected service first; nearest services come in order of distance.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type ContentPack, loadContentPack } from "../../src/content/pack.ts";
import { distanceMetres, formatDistance, nearestServices, searchServices } from "../../src/services/search.ts";

let pack: ContentPack;
beforeAll(async () => {
  pack = await loadContentPack("content");
});

describe("search by typed words", () => {
  it.each([
    // city, query, expected first result
    ["leipzig", "doctor", "leipzig-doctor-116117"],
    ["leipzig", "Arzt", "leipzig-doctor-116117"],
    ["leipzig", "طبيب", "leipzig-doctor-116117"],
    ["leipzig", "الطبيب", "leipzig-doctor-116117"],
    ["leipzig", "docter", "leipzig-doctor-116117"],
    ["leipzig", "wo finde ich einen Arzt", "leipzig-doctor-116117"],
    ["mainz", "أين أجد طبيب", "mainz-doctor-116117"],
    ["mainz", "job", "mainz-arbeitsagentur"],
    ["mainz", "Arbeit", "mainz-arbeitsagentur"],
    ["mainz", "عمل", "mainz-arbeitsagentur"],
    ["mainz", "Deutschkurs", "mainz-vhs"],
    ["mainz", "visa", "mainz-auslaenderbehoerde"],
    ["mainz", "Wohnung", "mainz-housing-social-office"],
    ["leipzig", "Gewalt", "leipzig-hilfetelefon"],
    ["leipzig", "internet", "leipzig-library"],
    ["aydin", "iş", "aydin-iskur"],
    ["trikala", "γιατρός", "trikala-hospital"],
  ])("in %s, %s finds %s first", (city, query, id) => {
    expect(searchServices(pack.services, city, query)[0]?.service.id).toBe(id);
  });

  it("finds only services of the person's city", () => {
    const found = searchServices(pack.services, "lund", "Arzt");
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((f) => f.service.city === "lund")).toBe(true);
  });

  it("finds nothing for words that mean nothing here", () => {
    expect(searchServices(pack.services, "leipzig", "where is")).toEqual([]);
    expect(searchServices(pack.services, "leipzig", "xylophone")).toEqual([]);
  });
});

describe("nearest services", () => {
  it("orders by distance from the shared location", () => {
    // Next to Lund's city library: the library is nearest, the hospital further away.
    const from = { lat: 55.7047, lon: 13.191 };
    const found = nearestServices(pack.services, "lund", from);
    const distances = found.map((f) => f.distance ?? Number.POSITIVE_INFINITY);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(found[0]?.service.category).toBe("digital");
    expect(found.map((f) => f.service.id)).toContain("lund-sus-emergency-dept");
  });

  it("with a topic, lists offices by distance and then phone or online services", () => {
    const found = nearestServices(pack.services, "lund", { lat: 55.7047, lon: 13.191 }, "work");
    expect(found.map((f) => [f.service.id, f.distance === undefined])).toEqual([["lund-arbetsformedlingen", true]]);
  });

  it("measures distances correctly", () => {
    // Leipzig main station to the Augustusplatz: about 800 m.
    const metres = distanceMetres({ lat: 51.3455, lon: 12.3821 }, { lat: 51.3396, lon: 12.3817 });
    expect(metres).toBeGreaterThan(600);
    expect(metres).toBeLessThan(700);
    expect(formatDistance(metres)).toBe("660 m");
    expect(formatDistance(1234)).toBe("1.2 km");
    expect(formatDistance(15_400)).toBe("15 km");
  });
});
