/**
 * Reading a posted console form: the first value of a field, or every value of a repeated one. Shared
 * by the console's pages so each reads forms the same way.
 */

/** A parsed form body (`parseBody({ all: true })`). */
export type FormBody = Record<string, string | File | (string | File)[]>;

/**
 * The first value of a field as text ("" when missing).
 *
 * @example
 * one(body, "name"); // "Tuesday group"
 */
export const one = (body: FormBody, key: string): string => {
  const value = body[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : "";
};

/**
 * Every value of a repeated field (ticked boxes).
 *
 * @example
 * many(body, "languages"); // ["en", "ar"]
 */
export const many = (body: FormBody, key: string): string[] => {
  const value = body[key];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (v): v is string => typeof v === "string" && v !== "",
  );
};
