/**
 * The stored form of the question a person was last asked. A lesson page or a quiz question carries
 * its content texts in every language (so an answer typed in any of them is understood): 3 to 6 KB of
 * JSON, written with the conversation on every message and read back on the next, over SQLite's
 * page size. The content pack's texts are in memory anyway, so a text that is one of them is stored as
 * a reference to it: a digest of what it says (`{"$c":"..."}`), a few hundred bytes in all.
 *
 * A reference names the words, not a place in the pack: after a content update a stored prompt
 * either finds exactly the words it was asked with or finds nothing, never another text. A text not
 * found any more (changed since) comes back as "…": the choices' ids, buttons and numbers still work.
 */
import { createHash } from "node:crypto";
import type { Reply } from "../../flows/kit.ts";

/** A reference's key in stored JSON; no message or text object has it. */
const refKey = "$c";

/** What a text no longer in the pack is shown as. */
const gone = Object.freeze({ en: "…" });

/** Parsed prompts kept, by stored text: many people stand at the same question. */
const parsedMax = 500;

/**
 * Encodes and decodes prompts against a set of shared texts (the content pack's).
 *
 * @example
 * const prompts = PromptCodec.over(contentPack);
 * const stored = prompts.encode(reply); // texts of the pack as references
 * prompts.decode(stored); // the same reply, with the pack's own text objects
 */
export class PromptCodec {
  private readonly refOf = new WeakMap<object, string>();
  private readonly textOf = new Map<string, object>();
  private readonly parsed = new Map<string, Reply | undefined>();

  /** A codec over every text object (an object of strings with an `en`) found in `roots`. */
  static over(...roots: unknown[]): PromptCodec {
    const codec = new PromptCodec();
    const seen = new Set<object>();
    for (const root of roots) codec.collect(root, seen);
    return codec;
  }

  /** The reply as stored: shared texts as references, everything else as it is. */
  encode(reply: Reply): string {
    return JSON.stringify(this.compact(reply));
  }

  /**
   * The stored reply, parsed once per text and shared, frozen (shared texts themselves are left as they
   * are: they belong to the pack); undefined when the text is not a stored reply.
   */
  decode(text: string): Reply | undefined {
    if (this.parsed.has(text)) return this.parsed.get(text);
    let reply: Reply | undefined;
    try {
      reply = this.freeze(this.expand(JSON.parse(text))) as Reply;
    } catch {
      reply = undefined;
    }
    if (this.parsed.size >= parsedMax) this.parsed.clear();
    this.parsed.set(text, reply);
    return reply;
  }

  /**
   * Forgets every parsed prompt: one may hold what a person typed (a name to confirm), and after
   * "delete my data" nothing of theirs may stay, not even in this process's memory.
   */
  forgetParsed(): void {
    this.parsed.clear();
  }

  private collect(value: unknown, seen: Set<object>): void {
    if (typeof value !== "object" || value === null || seen.has(value)) return;
    seen.add(value);
    if (isText(value)) {
      const ref = digest(value);
      this.refOf.set(value, ref);
      if (!this.textOf.has(ref)) this.textOf.set(ref, value);
      return;
    }
    for (const inner of Object.values(value)) this.collect(inner, seen);
  }

  private compact(value: unknown): unknown {
    if (typeof value !== "object" || value === null) return value;
    const ref = this.refOf.get(value);
    if (ref !== undefined) return { [refKey]: ref };
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = this.compact(value[i]);
      return out;
    }
    const out: Record<string, unknown> = {};
    const record = value as Record<string, unknown>;
    for (const key in record) out[key] = this.compact(record[key]);
    return out;
  }

  private expand(value: unknown): unknown {
    if (typeof value !== "object" || value === null) return value;
    if (Array.isArray(value)) return value.map((inner) => this.expand(inner));
    const record = value as Record<string, unknown>;
    const ref = record[refKey];
    if (typeof ref === "string" && Object.keys(record).length === 1) return this.textOf.get(ref) ?? gone;
    for (const key of Object.keys(record)) record[key] = this.expand(record[key]);
    return record;
  }

  private freeze(value: unknown): unknown {
    if (typeof value === "object" && value !== null && !this.refOf.has(value) && !Object.isFrozen(value)) {
      Object.freeze(value);
      for (const inner of Object.values(value)) this.freeze(inner);
    }
    return value;
  }
}

/** A content text: an object of strings in languages, English among them. */
function isText(value: object): boolean {
  if (Array.isArray(value) || typeof (value as Record<string, unknown>).en !== "string") return false;
  for (const inner of Object.values(value)) if (typeof inner !== "string") return false;
  return true;
}

/** 96 bits of the text's digest: no two texts of a pack share one. */
function digest(text: object): string {
  // In language order, so a file written again with its languages in another order keeps its references.
  const entries = Object.entries(text).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash("sha256").update(JSON.stringify(entries)).digest("base64url").slice(0, 16);
}
