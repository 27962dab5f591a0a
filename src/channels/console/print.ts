/**
 * Printing laid-out messages in a terminal: choices numbered (`1) Lessons`),
 * and with `--channel whatsapp` shown as the buttons or list WhatsApp would
 * show, so limits can be tried without a phone.
 */
import type { Choice } from "../../domain/outbound.ts";
import type { LaidOut } from "../layout.ts";

/** The prefix typed to open the next page of a paged list. */
export const moreKey = "+";

/**
 * Formats one laid-out message. `numberOf` gives each choice its number in the
 * whole question (pages keep counting), so typing that number picks it.
 *
 * @example
 * formatLaidOut({ kind: "buttons", text: "Pick", buttons }, (c) => index + 1);
 */
export function formatLaidOut(item: LaidOut, numberOf: (c: Choice) => number | undefined, channel: string): string {
  switch (item.kind) {
    case "text":
      return item.text;
    case "location_request":
      return `${item.text}\n  [share location: type /location LAT,LON]`;
    case "media":
      return `[${item.mediaKind}] ${item.url}${item.caption ? `\n${item.caption}` : ""}`;
    case "template":
      return `[template ${item.name} (${item.language})] ${item.parameters.join(" | ")}`;
    case "buttons":
      if (item.buttons.every((c) => c.label === String(numberOf(c)))) {
        // Buttons that are just the numbers of options listed in the text: one short line.
        return `${item.text}\n  [${item.buttons.map((c) => c.label).join("] [")}]`;
      }
      return [item.text, channel === "whatsapp" ? "  [buttons]" : "", ...item.buttons.map((c) => row(c, numberOf))]
        .filter(Boolean)
        .join("\n");
    case "list":
      return [item.text, `  [list: ${item.button}]`, ...listRows(item.rows, numberOf)].join("\n");
  }
}

/** Rows with a heading line wherever the section changes. */
function listRows(rows: Choice[], numberOf: (c: Choice) => number | undefined): string[] {
  return rows.flatMap((c, i) => {
    const heading = c.section && c.section !== rows[i - 1]?.section ? [`  ${c.section}:`] : [];
    return [...heading, row(c, numberOf)];
  });
}

function row(choice: Choice, numberOf: (c: Choice) => number | undefined): string {
  const n = numberOf(choice);
  const key = n === undefined ? moreKey : String(n);
  const description = choice.description ? ` - ${choice.description}` : "";
  return `  ${key}) ${choice.label}${description}`;
}
