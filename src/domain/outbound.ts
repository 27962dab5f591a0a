/**
 * What the bot sends, before any platform's rendering. Texts are final here
 * (already translated); channels turn these into their own payloads within
 * their limits.
 */

/** A button or list row: a short stable id and the label a person sees. */
export interface Choice {
  id: string;
  label: string;
  /** A second line, shown where the channel has room (WhatsApp list rows). */
  description?: string;
  /** The heading of the list section this row belongs to (lists only). */
  section?: string;
}

/** Plain text. */
export interface TextOutbound {
  kind: "text";
  text: string;
}

/** A question with choices: buttons where they fit, a list otherwise. */
export interface ChoicesOutbound {
  kind: "choices";
  text: string;
  choices: Choice[];
  /** The label of the button that opens a list (WhatsApp), such as "Choose". */
  listButton: string;
  /** The label of the "more" row when choices are split into pages. */
  moreLabel: string;
  /** Which page of choices to show where a channel pages them (from 0). */
  page?: number;
}

/**
 * A longer menu of rows, grouped in sections where `section` is set: always a
 * list (WhatsApp's list message, one button a row on Telegram), paged beyond
 * the channel's row limit.
 */
export interface ListOutbound {
  kind: "list";
  text: string;
  choices: Choice[];
  listButton: string;
  moreLabel: string;
  page?: number;
}

/** A request to share the current location. */
export interface LocationRequestOutbound {
  kind: "location_request";
  text: string;
  /** The label of the share-location button where the channel has one. */
  button?: string;
}

/** An image, audio file or document by https URL, with an optional caption. */
export interface MediaOutbound {
  kind: "media";
  mediaKind: "image" | "audio" | "document";
  url: string;
  caption?: string;
  filename?: string;
}

/** A pre-approved WhatsApp template, for messages outside the 24-hour window. */
export interface TemplateOutbound {
  kind: "template";
  name: string;
  language: string;
  parameters: string[];
  /** What other channels show instead. */
  fallbackText: string;
}

/**
 * Why the bot sends a message: a `reply` to the person, or something on its
 * own initiative. WhatsApp needs this outside its 24-hour window, where only
 * an approved template per purpose may go.
 */
export type Purpose = "reply" | "nudge" | "reminder" | "broadcast" | "notice";

/** One message to a person. */
export type Outbound = (
  | TextOutbound
  | ChoicesOutbound
  | ListOutbound
  | LocationRequestOutbound
  | MediaOutbound
  | TemplateOutbound
) & {
  /** Unset means a reply. */
  purpose?: Purpose;
  /** Send as the purpose's template even inside the window (the platform refused free text). */
  forceTemplate?: boolean;
};
