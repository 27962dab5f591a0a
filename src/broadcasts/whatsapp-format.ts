/**
 * WhatsApp's own text formatting, as its apps apply it to a message's text: `*bold*`, `_italic_`,
 * `~strikethrough~`, ```` ```monospace``` ```` and `` `inline code` ``, a marker counting only at a word's
 * edge. Lotse sends plain text; the preview shows what a person's WhatsApp makes of the asterisks and
 * underscores staff typed. (Telegram gets no parse mode, so it shows them as typed.)
 */

/** A run of text with the styles WhatsApp gives it. */
export interface Styled {
  text: string;
  bold?: true;
  italic?: true;
  strike?: true;
  mono?: true;
}

type Style = "bold" | "italic" | "strike" | "mono";

const markers: readonly { open: string; style: Style }[] = [
  { open: "```", style: "mono" },
  { open: "*", style: "bold" },
  { open: "_", style: "italic" },
  { open: "~", style: "strike" },
  { open: "`", style: "mono" },
];

/** A marker may open after the start, a space or punctuation, and close before the end, a space or punctuation. */
const edge = /[\s.,;:!?()[\]{}"'«»“”‘’\-–—/\\]/u;

/**
 * The styled runs of a text as WhatsApp shows it; nested markers (`*_both_*`) combine.
 *
 * @example
 * whatsappStyled("Free *Wi-Fi* now"); // [{ text: "Free " }, { text: "Wi-Fi", bold: true }, { text: " now" }]
 */
export function whatsappStyled(text: string, inherited: Omit<Styled, "text"> = {}): Styled[] {
  const out: Styled[] = [];
  let plain = "";
  let i = 0;
  const flush = () => {
    if (plain) out.push({ text: plain, ...inherited });
    plain = "";
  };
  while (i < text.length) {
    const found = opening(text, i);
    if (found) {
      flush();
      const inner = text.slice(i + found.open.length, found.close);
      const style = { ...inherited, [found.style]: true as const };
      // Monospace shows its inside as typed; the other styles may nest.
      if (found.style === "mono") out.push({ text: inner, ...style });
      else out.push(...whatsappStyled(inner, style));
      i = found.close + found.open.length;
      continue;
    }
    plain += text[i];
    i += 1;
  }
  flush();
  return out;
}

/** The marker opening at `i` and where it closes, when it is a real pair on one line (``` may span lines). */
function opening(text: string, i: number): { open: string; style: Style; close: number } | undefined {
  const before = i === 0 ? " " : (text[i - 1] ?? " ");
  if (!edge.test(before)) return undefined;
  for (const { open, style } of markers) {
    if (!text.startsWith(open, i)) continue;
    const start = i + open.length;
    const first = text[start];
    if (first === undefined || /\s/u.test(first) || text.startsWith(open, start)) continue;
    let close = text.indexOf(open, start);
    while (close !== -1) {
      const inner = text.slice(start, close);
      const after = text[close + open.length] ?? " ";
      const last = inner.at(-1) ?? " ";
      if (open !== "```" && inner.includes("\n")) break;
      if (!/\s/u.test(last) && edge.test(after)) return { open, style, close };
      close = text.indexOf(open, close + 1);
    }
  }
  return undefined;
}
