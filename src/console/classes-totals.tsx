/**
 * Classes on the staff overview: totals only (classes, learners, how many finished the whole
 * programme and the graduation rate), never a learner, never a class's name. Only a class's teacher
 * and admins see its learners (on the class pages). A rate over fewer than the overview's smallest
 * group shows as "–", as the overview's other shares do.
 */
import type { App } from "../app.ts";
import { overallCompletion } from "../classes/progress.ts";
import { listClasses } from "../classes/repository.ts";
import { percent } from "./classes-view.tsx";
import type { ConsoleLanguage } from "./context.ts";
import { ct } from "./text.ts";

/** The totals of every class, archived ones too (they count by the totals they kept). */
export async function classTotals(app: App) {
  const all = await listClasses(app.store.db, { includeArchived: true, limit: 100_000 });
  const overall = await overallCompletion(app.store.db, app.content, all, app.clock.now());
  return { active: all.filter((c) => c.status === "active").length, ...overall };
}

/**
 * The section of the overview.
 *
 * @example
 * <ClassTotals totals={await classTotals(app)} lang="en" min={5} />
 */
export function ClassTotals(props: {
  totals: Awaited<ReturnType<typeof classTotals>>;
  lang: ConsoleLanguage;
  min: number;
}) {
  const { totals, lang } = props;
  const rows: [string, string | number][] = [
    ["classes.overview.classes", totals.active],
    ["classes.overview.learners", totals.of],
    ["classes.overview.finished", totals.finished],
    ["classes.overview.rate", totals.of < props.min ? "–" : percent(totals.rate, lang)],
  ];
  return (
    <section aria-labelledby="classes-heading">
      <h2 id="classes-heading">{ct(lang, "classes.overview.heading")}</h2>
      <p class="hint">{ct(lang, "classes.overview.hint")}</p>
      <table style="max-width:480px">
        <tbody>
          {rows.map(([key, value]) => (
            <tr>
              <th scope="row">{ct(lang, key)}</th>
              <td class="num">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
