/**
 * A meeting's guests in the console: the figures, the check-in table (a checkbox per guest) and the
 * door list to print (a blank column to write names in, a box to tick). Guests appear by their
 * pseudonymous label (channel and the end of the chat id), never by address.
 */
import type { Translator } from "../i18n/index.ts";
import type { Guest, GuestCounts } from "../meetings/guests.ts";
import type { ConsoleLanguage, StaffSession } from "./context.ts";
import { Csrf } from "./layout.tsx";
import { languageName } from "./meetings-form.tsx";
import { ct } from "./text.ts";

/** The language cell of a guest. */
function languageCell(translator: Translator, code: string | null, lang: ConsoleLanguage): string {
  return code ? languageName(translator, code, lang) : "–";
}

/** The answer cell: yes, maybe, or the place on the waiting list. */
function answerCell(guest: Guest, lang: ConsoleLanguage): string {
  return ct(lang, `meetings.answer.${guest.answer}`);
}

/**
 * The figures: places taken and left, maybes, waiting list, no, came.
 *
 * @example
 * <Counts counts={counts} capacity={meeting.capacity} lang="en" />
 */
export function Counts(props: { counts: GuestCounts; capacity: number | null; lang: ConsoleLanguage }) {
  const { counts, lang } = props;
  const rows: [string, string | number][] = [
    ["meetings.counts.yes", counts.yes],
    [
      "meetings.counts.placesLeft",
      props.capacity === null ? ct(lang, "meetings.counts.noLimit") : Math.max(0, props.capacity - counts.yes),
    ],
    ["meetings.counts.waiting", counts.waiting],
    ["meetings.counts.maybe", counts.maybe],
    ["meetings.counts.no", counts.no],
    ["meetings.counts.attended", counts.attended],
  ];
  return (
    <table style="max-width:420px">
      <caption class="muted" style="text-align:start">
        {ct(lang, "meetings.counts.caption")}
      </caption>
      <tbody>
        {rows.map(([key, value]) => (
          <tr>
            <th scope="row">{ct(lang, key)}</th>
            <td class="num">{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The guest list with a check-in checkbox per guest (one form; only the guests shown change).
 *
 * @example
 * <CheckIn staff={staff} translator={app.translator} meetingId={1} guests={guests} />
 */
export function CheckIn(props: {
  staff: StaffSession;
  translator: Translator;
  meetingId: number;
  guests: readonly Guest[];
}) {
  const lang = props.staff.language;
  if (props.guests.length === 0) return <p>{ct(lang, "meetings.guests.none")}</p>;
  return (
    <form method="post" action={`/staff/meetings/${props.meetingId}/attendance`}>
      <Csrf staff={props.staff} />
      <div class="scroll">
        <table>
          <caption class="muted" style="text-align:start">
            {ct(lang, "meetings.guests.caption")}
          </caption>
          <thead>
            <tr>
              <th scope="col">{ct(lang, "meetings.guests.came")}</th>
              <th scope="col">{ct(lang, "meetings.guests.no")}</th>
              <th scope="col">{ct(lang, "meetings.guests.guest")}</th>
              <th scope="col">{ct(lang, "meetings.guests.language")}</th>
              <th scope="col">{ct(lang, "meetings.guests.answer")}</th>
              <th scope="col">{ct(lang, "meetings.guests.waiting")}</th>
            </tr>
          </thead>
          <tbody>
            {props.guests.map((g, i) => (
              <tr>
                <td>
                  <input type="hidden" name="shown" value={g.ref} />
                  {g.attended ? <input type="hidden" name="was" value={g.ref} /> : null}
                  <label style="font-weight:400">
                    <input type="checkbox" name="attended" value={g.ref} checked={g.attended} />{" "}
                    <span class="skip">{ct(lang, "meetings.guests.cameLabel", { guest: g.label })}</span>
                  </label>
                </td>
                <td class="num">{i + 1}</td>
                <th scope="row" style="font-weight:400">
                  <code>{g.label}</code>
                </th>
                <td>{languageCell(props.translator, g.language, lang)}</td>
                <td>{answerCell(g, lang)}</td>
                <td class="num">{g.waitingPosition ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <button type="submit">{ct(lang, "meetings.guests.save")}</button>
      </p>
    </form>
  );
}

/**
 * The printable door list: a blank name column to write in, language, answer, waiting-list place
 * and a box to tick; a few blank rows for people who come without having answered.
 *
 * @example
 * <DoorList translator={app.translator} guests={guests} lang="de" />
 */
export function DoorList(props: { translator: Translator; guests: readonly Guest[]; lang: ConsoleLanguage }) {
  const { lang } = props;
  const blank = Array.from({ length: 8 }, (_, i) => props.guests.length + i + 1);
  return (
    <table class="door">
      <thead>
        <tr>
          <th scope="col">{ct(lang, "meetings.guests.no")}</th>
          <th scope="col" style="width:35%">
            {ct(lang, "meetings.door.name")}
          </th>
          <th scope="col">{ct(lang, "meetings.guests.guest")}</th>
          <th scope="col">{ct(lang, "meetings.guests.language")}</th>
          <th scope="col">{ct(lang, "meetings.guests.answer")}</th>
          <th scope="col">{ct(lang, "meetings.guests.waiting")}</th>
          <th scope="col">{ct(lang, "meetings.guests.came")}</th>
        </tr>
      </thead>
      <tbody>
        {props.guests.map((g, i) => (
          <tr>
            <td class="num">{i + 1}</td>
            <td />
            <td>
              <code>{g.label}</code>
            </td>
            <td>{languageCell(props.translator, g.language, lang)}</td>
            <td>{answerCell(g, lang)}</td>
            <td class="num">{g.waitingPosition ?? ""}</td>
            <td>{g.attended ? "☑" : "☐"}</td>
          </tr>
        ))}
        {blank.map((n) => (
          <tr>
            <td class="num">{n}</td>
            <td />
            <td />
            <td />
            <td />
            <td />
            <td>☐</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
