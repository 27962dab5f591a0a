/**
 * Lotse's outbound messages as WhatsApp Cloud API messages, built with
 * whatsapp-api-js: up to 3 choices as reply buttons, 4 to 10 as a list (in
 * sections where rows have them), more in pages with a "more" row; text over
 * 4096 characters split at paragraphs; interactive bodies within 1024; a
 * location request as WhatsApp's own "send location" message.
 */
import {
  ActionButtons,
  ActionList,
  ActionLocation,
  Audio,
  Body,
  BodyComponent,
  BodyParameter,
  Button,
  Document,
  Image,
  Interactive,
  Language,
  ListSection,
  Row,
  Template,
  Text,
} from "whatsapp-api-js/messages";
import type { Choice, Outbound } from "../../domain/outbound.ts";
import { type LaidOut, layout } from "../layout.ts";
import { whatsappProfile } from "../profiles.ts";

/** A message the client library sends. */
export type WhatsAppMessage = Text | Interactive | Image | Audio | Document | Template;

type AtLeastOne<T> = [T, ...T[]];

function atLeastOne<T>(items: T[]): AtLeastOne<T> {
  if (items.length === 0) throw new Error("a WhatsApp button or list needs at least one choice");
  return items as AtLeastOne<T>;
}

/** Rows grouped into sections where they carry one; one untitled section otherwise. */
function sections(rows: Choice[]): AtLeastOne<ListSection> {
  const groups: { title: string | undefined; rows: Row[] }[] = [];
  for (const choice of rows) {
    const row = new Row(choice.id, choice.label, choice.description);
    const last = groups.at(-1);
    if (last && last.title === choice.section) last.rows.push(row);
    else groups.push({ title: choice.section, rows: [row] });
  }
  return atLeastOne(
    groups.map(
      (g, i) => new ListSection(g.title ?? (groups.length > 1 ? `${i + 1}` : undefined), ...atLeastOne(g.rows)),
    ),
  );
}

function message(item: LaidOut): WhatsAppMessage {
  switch (item.kind) {
    case "text":
      // No link previews: they cost data on cheap phones.
      return new Text(item.text, false);
    case "buttons":
      return new Interactive(
        new ActionButtons(...atLeastOne(item.buttons.map((b) => new Button(b.id, b.label)))),
        new Body(item.text),
      );
    case "list":
      return new Interactive(new ActionList(item.button, ...sections(item.rows)), new Body(item.text));
    case "location_request":
      return new Interactive(new ActionLocation(), new Body(item.text));
    case "media":
      if (item.mediaKind === "image") return new Image(item.url, false, item.caption);
      if (item.mediaKind === "audio") return new Audio(item.url, false);
      return new Document(item.url, false, item.caption, item.filename);
    case "template":
      return template(item.name, item.language, item.parameters);
  }
}

/**
 * A template message with its body parameters. WhatsApp refuses parameters
 * with line breaks, tabs or more than four spaces in a row, so they are folded.
 *
 * @example
 * template("lotse_nudge", "de", ["Nächste Lektion: Sichere Passwörter"]);
 */
export function template(name: string, language: string, parameters: string[]): Template {
  const folded = parameters.map((p) =>
    p
      .replace(/\s*\n+\s*/g, " · ")
      .replace(/\t/g, " ")
      .replace(/ {4,}/g, "   ")
      .slice(0, 1000),
  );
  const body = folded.length > 0 ? [new BodyComponent(...atLeastOne(folded.map((p) => new BodyParameter(p))))] : [];
  return new Template(name, new Language(language), ...body);
}

/**
 * The WhatsApp messages that carry one outbound message, in order.
 *
 * @example
 * for (const m of renderForWhatsApp(outbound)) await api.sendMessage(phoneId, to, m);
 */
export function renderForWhatsApp(out: Outbound): WhatsAppMessage[] {
  return layout(out, whatsappProfile).map(message);
}
