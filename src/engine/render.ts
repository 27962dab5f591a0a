/**
 * Turning a flow's reply descriptors into final, translated messages in the
 * user's language. Content texts fall back to English, and the message then
 * says so in the user's language.
 */
import type { Line, Msg, MsgParam, Reply, ReplyChoice } from "../../flows/kit.ts";
import type { Outbound } from "../domain/outbound.ts";
import { isolateForDirection, pickText, type Translator } from "../i18n/index.ts";
import type { MatchableChoice } from "./choice-match.ts";

/** Translates reply descriptors for one language. */
export class ReplyRenderer {
  constructor(private readonly translator: Translator) {}

  /**
   * Renders one reply as an outbound message.
   *
   * @example
   * renderer.render({ kind: "text", lines: [msg("menu.title")] }, "de");
   */
  render(reply: Reply, language: string, page?: number): Outbound {
    const fallback = { used: false };
    const joiner = reply.kind === "text" && reply.compact ? "\n" : "\n\n";
    const paragraph = (line: Line): string =>
      isMsgList(line)
        ? line.map((m) => this.msg(m, language, fallback)).join("\n")
        : this.msg(line, language, fallback);
    const text = (lines: Line[]): string => {
      const body = lines.map(paragraph).join(joiner);
      const note = fallback.used ? `\n\n${this.translator.t(language, "common.notTranslated")}` : "";
      return isolateForDirection(body + note, language);
    };
    switch (reply.kind) {
      case "text":
        return { kind: "text", text: text(reply.lines) };
      case "location_request":
        return {
          kind: "location_request",
          text: text(reply.lines),
          button: this.translator.t(language, "common.shareLocation"),
        };
      case "media":
        return {
          kind: "media",
          mediaKind: reply.mediaKind,
          url: reply.url,
          ...(reply.caption ? { caption: this.msg(reply.caption, language, fallback) } : {}),
        };
      case "choices":
        return {
          kind: reply.asList ? "list" : "choices",
          text: text(reply.lines),
          choices: reply.choices.map((c) => ({
            id: c.id,
            label: this.msg(c.label, language, fallback),
            ...(c.description ? { description: this.msg(c.description, language, fallback) } : {}),
            ...(c.section ? { section: this.msg(c.section, language, fallback) } : {}),
          })),
          listButton: this.translator.t(language, "common.choose"),
          moreLabel: this.translator.t(language, "common.more"),
          ...(page !== undefined ? { page } : {}),
        };
    }
  }

  /** Translates one message key with its parameters. */
  msg(m: Msg, language: string, fallback: { used: boolean } = { used: false }): string {
    const params: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(m.params ?? {})) params[name] = this.param(value, language, fallback);
    return this.translator.t(language, m.key, params);
  }

  /**
   * Every text that may pick each choice: its label and aliases in every
   * language, so "Leipzig" or "yes" work whatever language the menu is in.
   */
  matchable(choices: readonly ReplyChoice[]): MatchableChoice[] {
    return choices.map((c) => ({
      id: c.id,
      texts: this.translator.languages.flatMap((lang) => [c.label, ...(c.aliases ?? [])].map((m) => this.msg(m, lang))),
    }));
  }

  private param(value: MsgParam, language: string, fallback: { used: boolean }): string | number {
    if (typeof value === "string" || typeof value === "number") return value;
    const picked = pickText(value, language);
    if (picked.fallback) fallback.used = true;
    return picked.text;
  }
}

function isMsgList(line: Line): line is readonly Msg[] {
  return Array.isArray(line);
}
