/**
 * The page a refused or unknown console request gets: the console's look, the reason in the person's
 * language, and a way back to a page their roles allow (never a link that is refused again).
 */
import type { Context } from "hono";
import { type ConsoleLanguage, homeFor } from "./context.ts";
import { BarePage } from "./layout.tsx";
import { ct } from "./text.ts";

/**
 * Answers with a short page: 403 (role), 404 (no such item) or another status.
 *
 * @example
 * return refusal(c, 403, "de", "errors.forbidden", staff.roles);
 */
export function refusal(
  c: Context,
  status: 400 | 403 | 404,
  lang: ConsoleLanguage,
  key: string,
  roles: ReadonlySet<string> = new Set(),
) {
  return c.html(
    <BarePage title={String(status)} lang={lang}>
      <p class="error" role="alert">
        {ct(lang, key)}
      </p>
      <p>
        <a href={homeFor(roles)}>{ct(lang, "errors.back")}</a>
      </p>
    </BarePage>,
    status,
  );
}
