/**
 * `npm run content:stale [-- --days 180] [content]`: lists the city services
 * and return pages whose facts need checking (never checked, not every fact
 * confirmed, or checked more than `--days` ago), per city and country, with
 * the sources to check them against. It is a work list, so it exits 0; a pack
 * that does not load exits 1 with its errors.
 */
import { parseArgs } from "node:util";
import { formatProblem } from "./check-run.ts";
import { readContentFiles } from "./load.ts";
import { formatStale, staleAfterDays, staleItems } from "./stale.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { days: { type: "string", default: String(staleAfterDays) } },
});
const days = Number(values.days);
if (!Number.isInteger(days) || days < 0) {
  console.error(`--days: a whole number of days such as ${staleAfterDays}, not "${values.days}"`);
  process.exit(2);
}
const raw = await readContentFiles(positionals[0] ?? "content");
const errors = raw.problems.filter((p) => p.level === "error");
for (const line of formatStale(staleItems(raw.services, raw.returnInfo, new Date(), days), days)) console.log(line);
if (errors.length > 0) {
  console.error(`\n${errors.length} file(s) could not be read, so they are not in the list:`);
  for (const p of errors) console.error(`  ${formatProblem(p)}`);
  process.exitCode = 1;
}
