/**
 * One research export as a staff member asks for it: the records in the chosen format, and an
 * audit entry (who, which format, how many rows) in the same transaction.
 */
import type { Kysely } from "kysely";
import { audit } from "../console/audit.ts";
import type { StaffSession } from "../console/context.ts";
import type { Database } from "../storage/schema.ts";
import { fallbackHomePage, researchCsv, researchXapi } from "./formats.ts";
import { researchRecords } from "./records.ts";

/** The export formats. */
export const researchFormats = ["csv", "xapi"] as const;
export type ResearchFormat = (typeof researchFormats)[number];

/** A finished export, ready to send. */
export interface ResearchExport {
  format: ResearchFormat;
  contentType: string;
  filename: string;
  body: string;
  /** CSV rows or xAPI statements. */
  rows: number;
}

/**
 * Builds the export and records it in the audit log (`research.export`, with format and rows).
 *
 * @example
 * const file = await exportResearch(app.store.db, staff, { key, homePage, format: "csv" }, now);
 */
export async function exportResearch(
  db: Kysely<Database>,
  staff: StaffSession,
  options: { key: string; homePage?: string | undefined; format: ResearchFormat },
  now: Date,
): Promise<ResearchExport> {
  const { format } = options;
  return db.transaction().execute(async (tx) => {
    const records = await researchRecords(tx, options.key);
    const day = now.toISOString().slice(0, 10);
    let file: ResearchExport;
    if (format === "csv") {
      const body = researchCsv(records);
      file = {
        format,
        contentType: "text/csv; charset=utf-8",
        filename: `lotse-research-${day}.csv`,
        body,
        rows: records.answers.length,
      };
    } else {
      const statements = researchXapi(records, options.homePage ?? fallbackHomePage);
      file = {
        format,
        contentType: "application/json; charset=utf-8",
        filename: `lotse-research-${day}.xapi.json`,
        body: JSON.stringify(statements, null, 1),
        rows: statements.length,
      };
    }
    await audit(tx, staff, "research.export", { format, rows: file.rows }, now);
    return file;
  });
}
