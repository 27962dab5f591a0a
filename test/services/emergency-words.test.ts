/**
 * Words typed in panic find the right number (issue 18, from a mother's trial in Sandefjord: "my
 * daughter fell, she is bleeding badly" found nothing, and "ambulance" listed the fire brigade first).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type ContentPack, loadContentPack } from "../../src/content/pack.ts";
import { searchServices } from "../../src/services/search.ts";

let pack: ContentPack;
beforeAll(async () => {
  pack = await loadContentPack("content");
});

describe("emergencies by the words people type", () => {
  it.each([
    ["sandefjord", "донька впала, сильно кровить", "sandefjord-emergency"],
    ["sandefjord", "швидка допомога", "sandefjord-emergency"],
    ["sandefjord", "ambulance", "sandefjord-emergency"],
    ["sandefjord", "police", "sandefjord-police-112"],
    ["sandefjord", "fire", "sandefjord-fire-110"],
    ["leipzig", "my child is bleeding", "leipzig-emergency"],
    ["aydin", "نزيف", "aydin-emergency"],
  ])("in %s, %s finds %s first", (city, query, id) => {
    expect(searchServices(pack.services, city, query)[0]?.service.id).toBe(id);
  });
});
