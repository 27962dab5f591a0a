/**
 * The stored form of the question a person was last asked. A lesson page or a quiz question carries
 * its content texts in every language (so an answer typed in any of them is understood): 3 to 6 KB of
 * JSON, written with the conversation on every message and read back on the next, over SQLite's
 * page size. The content pack's texts are in memory anyway, so a text that is one of them is stored as
 * a reference: a digest of its words and where it sits in the pack (`{"$c":"...","$p":"lesson/x/steps/2/text"}`).
 *
 * Read back, the digest finds exactly the words the question was asked with. After a content update
 * (a corrected sentence, a new translation) it finds nothing, and the place finds the text as it reads
 * now, as a fresh question would show it. Only a text whose place is gone too (a lesson removed) comes
 * back as "…" in every language: the choices' ids, buttons and numbers still work.
 */
import { createHash } from "node:crypto";
import type { Reply } from "../../flows/kit.ts";
import { memoryTermOver } from "../domain/memory-term.ts";
import { survivesJson } from "./survives-json.ts";

/** A reference's keys in stored JSON; no message or text object has them. */
const refKey = "$c";
const placeKey = "$p";

/**
 * Prompts kept, by stored text: many people stand at the same question, and each person's next
 * message reads back the text their last one stored (the oldest is forgotten first).
 */
const parsedMax = 2000;

/**
 * Parsed prompts are forgotten at least this often: one may hold what a person typed (a name to
 * confirm), and "delete my data" in another process cannot reach this one's memory.
 */
const parsedForMs = 10 * 60_000;

/** Where a text sits in the pack; its digest is worked out when first needed (hashing every text made each start 80 ms slower). */
interface TextRef {
  place: string;
  digest?: string;
  /** The reference as stored, made once. */
  stored?: Readonly<Record<string, string>>;
}

/**
 * Encodes and decodes prompts against a set of shared texts (the content pack's).
 *
 * @example
 * const prompts = PromptCodec.over({ lessons: allLessons }, ["en", "de", "ar"]);
 * const stored = prompts.encode(reply); // texts of the pack as references
 * prompts.decode(stored); // the same reply, with the pack's own text objects
 */
export class PromptCodec {
  private readonly refOf = new WeakMap<object, TextRef>();
  /** Every text by digest, made on the first reference its place does not answer (a content update). */
  private byDigest: Map<string, object> | undefined;
  private readonly byPlace = new Map<string, object>();
  private readonly parsed = new Map<string, Reply | undefined>();
  /** The stored text of frozen replies, by the reply (see {@link encode}). */
  private encoded = new WeakMap<object, string>();
  private parsedSince = Date.now();
  /** What a text gone from the pack reads as: "…" in every language, so no "not in your language" note. */
  private readonly gone: Readonly<Record<string, string>>;

  private constructor(languages: readonly string[]) {
    this.gone = Object.freeze(Object.fromEntries([...new Set(["en", ...languages])].map((l) => [l, "…"])));
  }

  /**
   * A codec over every text object (an object of strings with an `en`) found under the named roots,
   * each known by its place: the root's name, then each key, or an item's `id` where it has one.
   */
  static over(roots: Readonly<Record<string, unknown>>, languages: readonly string[] = []): PromptCodec {
    const codec = new PromptCodec(languages);
    const seen = new Set<object>();
    for (const [name, root] of Object.entries(roots)) codec.collect(root, name, seen);
    return codec;
  }

  /**
   * The reply as stored: shared texts as references, everything else as it is. The person's next
   * message reads this text back: it is kept as the reply itself, frozen, when reading it back would
   * give the same (see {@link decode}), so that it is not parsed again.
   */
  encode(reply: Reply): string {
    const known = this.encoded.get(reply);
    if (known !== undefined) return known;
    const text = JSON.stringify(this.compact(reply));
    if (!this.parsed.has(text) && this.readsBackTheSame(reply)) this.keep(text, this.freeze(reply) as Reply);
    // A frozen reply is one many turns share (a kept step's, a parsed prompt): its text is made once.
    if (Object.isFrozen(reply)) this.encoded.set(reply, text);
    return text;
  }

  /**
   * The stored reply, parsed once per text and shared, frozen (shared texts themselves are left as they
   * are: they belong to the pack); undefined when the text is not a stored reply.
   */
  decode(text: string): Reply | undefined {
    if (memoryTermOver(this.parsedSince, parsedForMs)) this.forgetParsed();
    if (this.parsed.has(text)) return this.parsed.get(text);
    let reply: Reply | undefined;
    try {
      reply = this.freeze(this.expand(JSON.parse(text))) as Reply;
    } catch {
      reply = undefined;
    }
    this.keep(text, reply);
    return reply;
  }

  private keep(text: string, reply: Reply | undefined): void {
    if (memoryTermOver(this.parsedSince, parsedForMs)) this.forgetParsed();
    if (this.parsed.size >= parsedMax) this.parsed.delete(this.parsed.keys().next().value as string);
    this.parsed.set(text, reply);
  }

  /**
   * Forgets every parsed prompt: one may hold what a person typed (a name to confirm), and after
   * "delete my data" nothing of theirs may stay, not even in this process's memory.
   */
  forgetParsed(): void {
    this.parsed.clear();
    this.encoded = new WeakMap();
    this.parsedSince = Date.now();
  }

  /**
   * True when the stored text of the reply parses back to the same: the pack's own texts come back as
   * themselves; an object with a reference's key would be read as a reference.
   */
  private readsBackTheSame(reply: Reply): boolean {
    return survivesJson(reply, this.storedJudge);
  }

  private readonly storedJudge = {
    judge: (value: object) => (this.refOf.has(value) ? true : refKey in value ? false : undefined),
  };

  private collect(value: unknown, place: string, seen: Set<object>): void {
    if (typeof value !== "object" || value === null || seen.has(value)) return;
    seen.add(value);
    if (isText(value)) {
      this.refOf.set(value, { place });
      if (!this.byPlace.has(place)) this.byPlace.set(place, value);
      return;
    }
    if (Array.isArray(value)) {
      // An item with an id is known by it: a lesson or question added before it keeps its place.
      value.forEach((item, i) => {
        const id = typeof item === "object" && item !== null ? (item as { id?: unknown }).id : undefined;
        this.collect(item, `${place}/${typeof id === "string" ? id : i}`, seen);
      });
      return;
    }
    for (const [key, inner] of Object.entries(value)) this.collect(inner, `${place}/${key}`, seen);
  }

  private compact(value: unknown): unknown {
    if (typeof value !== "object" || value === null) return value;
    const ref = this.refOf.get(value);
    if (ref !== undefined) {
      ref.stored ??= Object.freeze({ [refKey]: this.digestOf(value, ref), [placeKey]: ref.place });
      return ref.stored;
    }
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
    if (typeof ref === "string") {
      const place = record[placeKey];
      const atPlace = typeof place === "string" ? this.byPlace.get(place) : undefined;
      // The same words at the same place (nearly always), else the same words elsewhere (moved), else
      // what the place holds now (changed), else gone.
      if (atPlace !== undefined && this.digestOf(atPlace) === ref) return atPlace;
      return this.allByDigest().get(ref) ?? atPlace ?? this.gone;
    }
    for (const key of Object.keys(record)) record[key] = this.expand(record[key]);
    return record;
  }

  private digestOf(text: object, ref = this.refOf.get(text)): string {
    if (ref === undefined) return digest(text);
    ref.digest ??= digest(text);
    return ref.digest;
  }

  private allByDigest(): Map<string, object> {
    if (this.byDigest === undefined) {
      this.byDigest = new Map();
      for (const text of this.byPlace.values()) {
        const key = this.digestOf(text);
        if (!this.byDigest.has(key)) this.byDigest.set(key, text);
      }
    }
    return this.byDigest;
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
