/**
 * What a person sent, after a channel adapter has parsed and verified it.
 * Every platform's payload becomes one of these kinds; flows only see these.
 */
import type { Address } from "./address.ts";

interface InboundBase {
  /** Unique per message and channel, for deduplication of retried webhooks. */
  id: string;
  address: Address;
  receivedAt: Date;
  /** The language the person's app is set to, where the platform says (Telegram's `language_code`, an IETF tag). */
  languageHint?: string;
}

/** Typed text, including slash commands. */
export interface TextInbound extends InboundBase {
  kind: "text";
  text: string;
}

/** A pressed button or picked list row; `choiceId` is the id the bot gave it. */
export interface ChoiceInbound extends InboundBase {
  kind: "choice";
  choiceId: string;
}

/** A shared location. */
export interface LocationInbound extends InboundBase {
  kind: "location";
  latitude: number;
  longitude: number;
}

/** A photo, voice note, document or similar; the bot keeps no copy. */
export interface MediaInbound extends InboundBase {
  kind: "media";
  mediaKind: "image" | "audio" | "video" | "document" | "sticker" | "contact";
  caption?: string;
}

/** Anything the bot cannot read (a poll, a reaction, a new platform feature). */
export interface UnsupportedInbound extends InboundBase {
  kind: "unsupported";
  what: string;
}

/** One message from a person. */
export type Inbound = TextInbound | ChoiceInbound | LocationInbound | MediaInbound | UnsupportedInbound;
