/**
 * Turning a flow's reply descriptors into final, translated messages in the
 * user's language. Content texts fall back to English, and the message then
 * says so in the user's language.
 */
import type { Line, Msg, MsgParam, Reply, ReplyChoice } from "../../flows/kit.ts";
import { languageByCode } from "../domain/languages.ts";
import type { Outbound } from "../domain/outbound.ts";
import { isolateForDirection, pickText, type Translator } from "../i18n/index.ts";
import type { MatchableChoice } from "./choice-match.ts";

/** Who reads a reply: their language, and the language content comes in where theirs has none. */
export interface Reader {
  language: string;
  secondLanguage?: string | null;
}

/** What a reply's content texts fell back to, for the note that says so. */
interface Fallback {
  used: boolean;
  shown?: string;
}

/** Translates reply descriptors for one language. */
export class ReplyRenderer {
  constructor(private readonly translator: Translator) {}

  /**
   * Renders one reply as an outbound message.
   *
   * @example
   * renderer.render({ kind: "text", lines: [msg("menu.title")] }, "de");
   */
  render(reply: Reply, reader: string | Reader, page?: number): Outbound {
    return this.renderOne(reply, reader, page, true, { used: false });
  }

  /**
   * Renders the replies of one turn. Where content fell back to another language, only the last
   * message that can carry it says so: a quiz's feedback and its next question are two messages,
   * and the note under both read as a repetition to people whose language has no lessons yet.
   *
   * @example
   * renderer.renderTurn([{ reply: feedback }, { reply: nextQuestion }], { language: "ti", secondLanguage: "en" });
   */
  renderTurn(items: readonly { reply: Reply; page?: number | undefined }[], reader: string | Reader): Outbound[] {
    const fallbacks = items.map((): Fallback => ({ used: false }));
    const rendered = items.map((item, i) =>
      this.renderOne(item.reply, reader, item.page, false, fallbacks[i] ?? { used: false }),
    );
    const last = fallbacks.findLastIndex((f, i) => f.used && items[i]?.reply.kind !== "media");
    const item = items[last];
    if (item) rendered[last] = this.renderOne(item.reply, reader, item.page, true, { used: false });
    return rendered;
  }

  /**
   * A frozen reply (a kept step's, a parsed prompt: the same object for everyone at that step) is
   * rendered once per reader's languages and page, and the message shared, frozen; any other is
   * rendered each time.
   */
  private renderOne(
    reply: Reply,
    reader: string | Reader,
    page: number | undefined,
    withNote: boolean,
    fallback: Fallback,
  ): Outbound {
    if (!Object.isFrozen(reply)) return this.renderFresh(reply, reader, page, withNote, fallback);
    const { language, secondLanguage = null } = typeof reader === "string" ? { language: reader } : reader;
    const key = `${language}\u0000${secondLanguage ?? ""}\u0000${page ?? ""}\u0000${withNote ? "note" : ""}`;
    let byReader = this.renderedOf.get(reply);
    if (byReader === undefined) {
      byReader = new Map();
      this.renderedOf.set(reply, byReader);
    }
    let kept = byReader.get(key);
    if (kept === undefined) {
      const own: Fallback = { used: false };
      kept = { outbound: freezeOutbound(this.renderFresh(reply, reader, page, withNote, own)), fallback: own };
      byReader.set(key, kept);
    }
    if (kept.fallback.used) {
      fallback.used = true;
      fallback.shown = kept.fallback.shown;
    }
    return kept.outbound;
  }

  /** Rendered frozen replies, by reply, then by reader (see {@link renderOne}). */
  private renderedOf = new WeakMap<Reply, Map<string, { outbound: Outbound; fallback: Fallback }>>();

  private renderFresh(
    reply: Reply,
    reader: string | Reader,
    page: number | undefined,
    withNote: boolean,
    fallback: Fallback,
  ): Outbound {
    const { language, secondLanguage = null } = typeof reader === "string" ? { language: reader } : reader;
    const msgOf = (m: Msg) => this.msg(m, language, fallback, secondLanguage);
    const joiner = reply.kind === "text" && reply.compact ? "\n" : "\n\n";
    const paragraph = (line: Line): string => (isMsgList(line) ? line.map(msgOf).join("\n") : msgOf(line));
    const text = (lines: Line[]): string => {
      const body = lines.map(paragraph).join(joiner);
      // The shown language by its name in the reader's language ("anglais"), else in its own.
      const code = fallback.shown ?? "en";
      const shown =
        this.translator.words(language, `languageNames.${code}`)[0] ?? languageByCode(code)?.nativeName ?? code;
      const note = withNote && fallback.used ? `\n\n${this.translator.t(language, "common.contentIn", { shown })}` : "";
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
          ...(reply.caption ? { caption: msgOf(reply.caption) } : {}),
          ...(reply.filename ? { filename: reply.filename } : {}),
        };
      case "choices":
        return {
          kind: reply.asList ? "list" : "choices",
          text: text(reply.lines),
          choices: reply.choices.map((c) => ({
            id: c.id,
            label: msgOf(c.label),
            ...(c.description ? { description: msgOf(c.description) } : {}),
            ...(c.section ? { section: msgOf(c.section) } : {}),
          })),
          listButton: this.translator.t(language, "common.choose"),
          moreLabel: this.translator.t(language, "common.more"),
          ...(page !== undefined ? { page } : {}),
        };
    }
  }

  /** Translates one message key with its parameters. */
  msg(m: Msg, language: string, fallback: Fallback = { used: false }, secondLanguage: string | null = null): string {
    const params: Record<string, string | number> = {};
    for (const [name, value] of Object.entries(m.params ?? {}))
      params[name] = this.param(value, language, fallback, secondLanguage);
    return this.translator.t(language, m.key, params);
  }

  /**
   * Every text that may pick each choice: its label and aliases in every
   * language, so "Leipzig" or "yes" work whatever language the menu is in.
   */
  matchable(choices: readonly ReplyChoice[]): MatchableChoice[] {
    // A stored prompt is parsed once and shared (src/engine/turn.ts): the same list, the same answer.
    const known = this.matchableByList.get(choices);
    if (known) return known;
    // Every typed answer asks for this, and the same questions come back all day: keep the last few hundred.
    const key = JSON.stringify(choices);
    const built = this.matchableCache.get(key) ?? this.buildMatchable(choices);
    if (!this.matchableCache.has(key)) {
      if (this.matchableCache.size >= 500) this.matchableCache.delete(this.matchableCache.keys().next().value ?? "");
      this.matchableCache.set(key, built);
    }
    if (Object.isFrozen(choices)) this.matchableByList.set(choices, built);
    return built;
  }

  /** Forgets what it remembered of replies (and the translator its translations): after "delete my data". */
  forget(): void {
    this.matchableCache.clear();
    this.renderedOf = new WeakMap();
    this.translator.forget();
  }

  private readonly matchableCache = new Map<string, MatchableChoice[]>();
  /** By the list itself, for frozen lists only (a list that can change must be looked up by its content). */
  private readonly matchableByList = new WeakMap<readonly ReplyChoice[], MatchableChoice[]>();

  private buildMatchable(choices: readonly ReplyChoice[]): MatchableChoice[] {
    return choices.map((c) => ({
      id: c.id,
      texts: this.translator.languages.flatMap((lang) => [
        ...[c.label, ...(c.aliases ?? [])].map((m) => this.msg(m, lang)),
        ...(c.aliasWords ? this.translator.words(lang, c.aliasWords) : []),
      ]),
    }));
  }

  private param(value: MsgParam, language: string, fallback: Fallback, secondLanguage: string | null): string | number {
    if (typeof value === "string" || typeof value === "number") return value;
    if (isMsg(value)) return this.msg(value, language, fallback, secondLanguage);
    const picked = pickText(value, language, secondLanguage);
    if (picked.fallback) {
      fallback.used = true;
      fallback.shown = picked.shown;
    }
    return picked.text;
  }
}

/** A shared message frozen, its choices too: it goes out to everyone at the same step. */
function freezeOutbound(outbound: Outbound): Outbound {
  if ("choices" in outbound) {
    for (const choice of outbound.choices) Object.freeze(choice);
    Object.freeze(outbound.choices);
  }
  return Object.freeze(outbound);
}

function isMsgList(line: Line): line is readonly Msg[] {
  return Array.isArray(line);
}

/** A message as a parameter: `{ key }` (a content text maps language codes, never `key`, to strings). */
function isMsg(value: MsgParam): value is Msg {
  return typeof value === "object" && typeof (value as { key?: unknown }).key === "string";
}
