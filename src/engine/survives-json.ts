/**
 * Whether a value comes back the same from its JSON text: what may be kept live in place of the text
 * a turn saved (a flow's snapshot, a stored prompt), which the next message would otherwise parse.
 */

/** How a value is looked at. */
export interface SurvivesJsonOptions {
  /** Freeze its objects and arrays as they are checked (those of a value that fails may be frozen in part). */
  freeze?: boolean;
  /**
   * Decides for an object before it is looked into: true, it reads back as itself (left as it is,
   * not frozen); false, it does not; undefined, its members decide.
   */
  judge?: (value: object) => boolean | undefined;
}

/** Nesting deeper than this is not looked into: such a value is refused. */
const maxDepth = 16;

/**
 * True when JSON.stringify then JSON.parse gives back the same value: strings, finite numbers,
 * booleans, null, plain objects and arrays, with no undefined member (JSON drops it) and no hole.
 *
 * @example
 * survivesJson({ step: 2, seen: ["q1"] }); // true
 * survivesJson({ at: new Date() }); // false: it comes back as a string
 */
export function survivesJson(value: unknown, options: SurvivesJsonOptions = {}, depth = 0): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      const judged = options.judge?.(value);
      if (judged !== undefined) return judged;
      if (depth > maxDepth) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!survivesJson(value[i], options, depth + 1)) return false;
      } else {
        const proto = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) return false;
        const record = value as Record<string, unknown>;
        for (const key in record) if (!survivesJson(record[key], options, depth + 1)) return false;
      }
      if (options.freeze) Object.freeze(value);
      return true;
    }
    default:
      return false;
  }
}
