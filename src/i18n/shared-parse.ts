/**
 * Reading content YAML once per computation. The status of ten languages reads the same content
 * files ten times over (and the item records once more), and the `yaml` parser needs about a second
 * for all of them: inside {@link sharingParses} each file is parsed once. Outside it every read
 * parses afresh, so nothing stays in memory after the computation and a changed file is never
 * served from an old parse.
 */
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";

let shared: Map<string, unknown> | undefined;

/**
 * The parsed YAML file at `path`. Inside {@link sharingParses} callers get the same object for the
 * same path, so they read it and never change it.
 *
 * @example
 * const data = readYaml("content/return/de.yaml") as { translations?: Record<string, unknown> };
 */
export function readYaml(path: string): unknown {
  if (!shared) return parseYaml(readFileSync(path, "utf8"));
  if (!shared.has(path)) shared.set(path, parseYaml(readFileSync(path, "utf8")));
  return shared.get(path);
}

/**
 * Runs `compute` (synchronous, so no other request shares its parses) with each YAML file parsed
 * at most once.
 *
 * @example
 * const all = sharingParses(() => contentLanguages.map((l) => contentStatus("content", l)));
 */
export function sharingParses<T>(compute: () => T): T {
  if (shared) return compute();
  shared = new Map();
  try {
    return compute();
  } finally {
    shared = undefined;
  }
}
