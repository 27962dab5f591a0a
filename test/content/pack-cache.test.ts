/**
 * The validated content is kept between apps of one process (src/content/pack.ts): a changed file must
 * still be read, a mended pack must load, and each app's staff corrections stay its own.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadContentPack } from "../../src/content/pack.ts";
import { isLotseError } from "../../src/domain/errors.ts";

let dir: string;
const lessonFile = () => join(dir, "courses/phone-papers/lessons/scan-documents.yaml");

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lotse-pack-cache-"));
  cpSync("content", dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes the file again with a later time, as an editor would. */
function rewrite(path: string, text: string): void {
  writeFileSync(path, text);
  const later = new Date(Date.now() + 5_000);
  utimesSync(path, later, later);
}

describe("the content pack read once per folder", () => {
  it("reads a changed lesson again, and a refused pack again once it is mended", async () => {
    const first = await loadContentPack(dir);
    expect(first.lesson("scan-documents")?.title.en).toBe("Scan a paper");
    const original = readFileSync(lessonFile(), "utf8");
    rewrite(lessonFile(), original.replace(`en: "Scan a paper"`, `en: "Scan a letter"`));
    expect((await loadContentPack(dir)).lesson("scan-documents")?.title.en).toBe("Scan a letter");
    rewrite(lessonFile(), original.replace(/^id: scan-documents$/m, "id: Scan Documents!"));
    const refused = await loadContentPack(dir).catch((e: unknown) => e);
    expect(isLotseError(refused, "content.invalid")).toBe(true);
    rewrite(lessonFile(), original);
    expect((await loadContentPack(dir)).lesson("scan-documents")?.title.en).toBe("Scan a paper");
  });

  it("gives each app a pack of its own: one's staff corrections are not another's", async () => {
    const one = await loadContentPack(dir);
    const two = await loadContentPack(dir);
    const service = one.contentServices[0];
    if (!service) throw new Error("no service");
    one.applyServiceOverrides([
      {
        serviceId: service.id,
        phone: "+49 341 000000",
        website: null,
        hours: null,
        closed: false,
        note: null,
        updatedAt: "2026-11-30T10:00:00Z",
        updatedBy: "test",
      },
    ]);
    expect(one.service(service.id)?.phone).toBe("+49 341 000000");
    expect(two.service(service.id)?.phone).toBe(service.phone);
  });
});
