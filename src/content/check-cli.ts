/**
 * `npm run content:check`: validates the content pack and the locale files and
 * prints one line per problem (`file [item] field: message`) and a summary.
 * Exits 1 when there is any error, so CI fails on a broken pack.
 */
import { runContentCheck } from "./check-run.ts";

const root = process.argv[2] ?? "content";
const localesRoot = process.argv[3] ?? "locales";
const { lines, ok } = await runContentCheck(root, localesRoot);
for (const line of lines) console.log(line);
process.exitCode = ok ? 0 : 1;
