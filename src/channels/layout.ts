/**
 * Laying out an outbound message under a channel's limits: long text split
 * into several messages, choices as buttons where they fit, as a list where
 * the channel has lists, and in pages with a "more" row beyond that. Real
 * adapters turn a layout into API calls; the terminal chat prints it.
 */
import type { Choice, Outbound } from "../domain/outbound.ts";
import type { ChannelProfile } from "./profiles.ts";
import { splitText } from "./split-text.ts";

/** One message as a channel will show it. */
export type LaidOut =
  | { kind: "text"; text: string }
  | { kind: "buttons"; text: string; buttons: Choice[] }
  | { kind: "list"; text: string; button: string; rows: Choice[] }
  | { kind: "location_request"; text: string }
  | { kind: "media"; mediaKind: string; url: string; caption?: string; filename?: string }
  | { kind: "template"; name: string; language: string; parameters: string[] };

/** How to lay out: `shorten: false` keeps labels whole (the checks that find texts too long for a platform). */
export interface LayoutOptions {
  shorten?: boolean;
}

/** The id of the row that shows the next page of a long list. */
export function moreId(page: number): string {
  return `more.${page}`;
}

/**
 * Lays out one outbound message for a channel.
 *
 * @example
 * layout({ kind: "choices", text: "Pick", choices, listButton: "Choose", moreLabel: "More" }, whatsappProfile);
 */
export function layout(out: Outbound, profile: ChannelProfile, options: LayoutOptions = {}): LaidOut[] {
  const fit = options.shorten === false ? (text: string) => text : shorten;
  switch (out.kind) {
    case "text":
      return splitText(out.text, profile.textMax).map((text) => ({ kind: "text", text }));
    case "location_request":
      return withLast(out.text, profile.textMax, (text) => ({ kind: "location_request", text }));
    case "media":
      return [
        {
          kind: "media",
          mediaKind: out.mediaKind,
          url: out.url,
          ...(out.caption ? { caption: out.caption } : {}),
          ...(out.filename ? { filename: out.filename } : {}),
        },
      ];
    case "template":
      return [{ kind: "template", name: out.name, language: out.language, parameters: out.parameters }];
    case "choices":
      return layoutChoices(out, profile, fit);
    case "list":
      return layoutList(out, profile, fit);
  }
}

type Fit = (text: string, max: number) => string;

function layoutChoices(out: Extract<Outbound, { kind: "choices" }>, profile: ChannelProfile, fit: Fit): LaidOut[] {
  // A label too long for a button (WhatsApp's 20 characters) goes into a list row (24) rather than being cut.
  // Counted as WhatsApp counts (UTF-16 units): an emoji takes two.
  const labelsFitButtons = out.choices.every((c) => c.label.length <= profile.buttonLabelMax);
  if ((out.choices.length <= profile.maxButtons && labelsFitButtons) || !profile.list) {
    const buttons = out.choices.map((c) => ({ ...c, label: fit(c.label, profile.buttonLabelMax) }));
    return withLast(out.text, profile.choiceBodyMax, (text) => ({ kind: "buttons", text, buttons }));
  }
  return layoutList({ ...out, kind: "list" }, profile, fit);
}

function layoutList(out: Extract<Outbound, { kind: "list" }>, profile: ChannelProfile, fit: Fit): LaidOut[] {
  const list = profile.list;
  if (!list) {
    return withLast(out.text, profile.choiceBodyMax, (text) => ({
      kind: "list",
      text,
      button: out.listButton,
      rows: out.choices,
    }));
  }
  // Labels built at run time (dates, names, titles typed by staff) are shortened here, in every
  // language, so a platform never refuses a message for its length.
  const rows = pageOf(out.choices, out.page ?? 0, list.rowsMax, out.moreLabel).map((row) => ({
    ...row,
    label: fit(row.label, list.rowTitleMax),
    ...(row.description ? { description: fit(row.description, list.rowDescriptionMax) } : {}),
    ...(row.section ? { section: fit(row.section, list.sectionTitleMax) } : {}),
  }));
  const button = fit(out.listButton, list.buttonMax);
  return withLast(out.text, profile.choiceBodyMax, (text) => ({ kind: "list", text, button, rows }));
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * A text cut to at most `max` characters at a grapheme boundary, with an
 * ellipsis; unchanged when it fits. Characters are counted as the WhatsApp
 * library and Telegram count them, in UTF-16 units (an emoji is two).
 *
 * @example
 * shorten("الأربعاء، 16 ديسمبر، 18:00", 24); // "الأربعاء، 16 ديسمبر، 18…"
 */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  for (const { segment } of graphemes.segment(text)) {
    if (out.length + segment.length > max - 1) break;
    out += segment;
  }
  // Direction marks or an isolate left open at the cut would run into the ellipsis.
  return `${out.replace(/[\s\u2066-\u2069\u200E\u200F]+$/u, "")}…`;
}

/** One page of rows; every page but the last ends with a "more" row leading to the next. */
export function pageOf(choices: Choice[], page: number, rowsMax: number, moreLabel: string): Choice[] {
  if (choices.length <= rowsMax) return choices;
  const perPage = rowsMax - 1;
  const pages = Math.ceil(choices.length / perPage);
  const current = Math.min(Math.max(page, 0), pages - 1);
  const rows = choices.slice(current * perPage, (current + 1) * perPage);
  const next = (current + 1) % pages;
  return [...rows, { id: moreId(next), label: moreLabel }];
}

/** Splits the text; the last part carries the interactive element. */
function withLast(text: string, max: number, last: (text: string) => LaidOut): LaidOut[] {
  const parts = splitText(text, max);
  const tail = parts.pop() ?? "";
  return [...parts.map((t): LaidOut => ({ kind: "text", text: t })), last(tail)];
}
