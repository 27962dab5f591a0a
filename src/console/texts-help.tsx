/**
 * The two helps on a language's review page: its glossary (agreed words and how to write), and how
 * a translator who is not a programmer checks texts in a file and gets them back into Lotse.
 */
import { isRightToLeft } from "../i18n/direction.ts";
import type { Glossary } from "../i18n/glossary.ts";
import type { ConsoleLanguage } from "./context.ts";
import { ct } from "./text.ts";

/** Section names the console has words for; another list in a glossary file shows its own name. */
const namedSections = new Set(["terms", "countries", "cities"]);

/**
 * The glossary of a language, folded (it is long), or a line saying there is none yet.
 *
 * @example
 * <GlossaryDetails lang="en" code="fa" name="Farsi" glossary={readGlossary("locales", "fa")} />
 */
export function GlossaryDetails(props: {
  lang: ConsoleLanguage;
  code: string;
  name: string;
  /** The glossary, none, or "unreadable" when its file is broken (the rest of the page still works). */
  glossary: Glossary | undefined | "unreadable";
}) {
  const { lang, code, glossary } = props;
  if (glossary === "unreadable") return <p class="error">{ct(lang, "texts.glossary.broken", { code })}</p>;
  if (!glossary) return <p class="muted">{ct(lang, "texts.glossary.none")}</p>;
  const dir = isRightToLeft(code) ? "rtl" : undefined;
  const count = glossary.sections.reduce((sum, s) => sum + s.entries.length, 0);
  return (
    <details>
      <summary>{ct(lang, "texts.glossary.summary", { name: props.name, count })}</summary>
      {glossary.register ? (
        <>
          <h3>{ct(lang, "texts.glossary.register")}</h3>
          <p lang="en">{glossary.register}</p>
        </>
      ) : null}
      {glossary.sections.map((section) => (
        <div class="scroll">
          <table>
            <caption style="text-align:start;font-weight:600">
              {namedSections.has(section.name) ? ct(lang, `texts.glossary.section.${section.name}`) : section.name}
            </caption>
            <thead>
              <tr>
                <th scope="col">{ct(lang, "texts.glossary.english")}</th>
                <th scope="col">{props.name}</th>
              </tr>
            </thead>
            <tbody>
              {section.entries.map((entry) => (
                <tr>
                  <th scope="row" lang="en" style="font-weight:400">
                    {entry.english}
                  </th>
                  <td lang={code} dir={dir}>
                    {entry.translation}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      {glossary.notes.length > 0 ? (
        <>
          <h3>{ct(lang, "texts.glossary.notes")}</h3>
          <ul lang="en">
            {glossary.notes.map((note) => (
              <li>{note}</li>
            ))}
          </ul>
        </>
      ) : null}
    </details>
  );
}

/**
 * The downloads and, in plain words, how a checked file comes back: to the admin, who imports it
 * with `npm run i18n -- import ... --status reviewed --by "Name"`.
 *
 * @example
 * <ReturnSteps lang="de" code="fa" name="Farsi" unreviewed={2038} />
 */
export function ReturnSteps(props: { lang: ConsoleLanguage; code: string; name: string; unreviewed: number }) {
  const { lang, code, name } = props;
  const command = `npm run i18n -- import --lang ${code} --file lotse-${code}-unreviewed.po --status reviewed --by "Name"`;
  return (
    <section aria-labelledby="work-title">
      <h2 id="work-title">{ct(lang, "texts.work.title")}</h2>
      {props.unreviewed === 0 ? (
        <p>{ct(lang, "texts.work.nothing", { name })}</p>
      ) : (
        <>
          <p>{ct(lang, "texts.work.download", { name, count: props.unreviewed })}</p>
          <ul>
            <li>
              <a href={`/staff/texts/${code}/download/po`} download>
                {ct(lang, "texts.work.po")}
              </a>
            </li>
            <li>
              <a href={`/staff/texts/${code}/download/json`} download>
                {ct(lang, "texts.work.json")}
              </a>
            </li>
          </ul>
        </>
      )}
      <ol>
        <li>{ct(lang, "texts.work.step1", { name })}</li>
        <li>{ct(lang, "texts.work.step2", { example: "{{count}}" })}</li>
        <li>{ct(lang, "texts.work.step3")}</li>
        <li>{ct(lang, "texts.work.step4")}</li>
        <li>{ct(lang, "texts.work.step5")}</li>
        <li>{ct(lang, "texts.work.step6")}</li>
      </ol>
      <p>{ct(lang, "texts.work.noUpload")}</p>
      <details>
        <summary>{ct(lang, "texts.work.adminTitle")}</summary>
        <p>{ct(lang, "texts.work.admin")}</p>
        <pre style="white-space:pre-wrap;overflow-wrap:anywhere">
          <code>{command}</code>
        </pre>
        <p>{ct(lang, "texts.work.adminProblems")}</p>
      </details>
    </section>
  );
}
