/**
 * Splitting a long text into messages that fit a channel: at paragraph
 * boundaries first, then lines, then sentences, then words, and never inside
 * a word or a Unicode grapheme.
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const words = new Intl.Segmenter(undefined, { granularity: "word" });
const sentences = new Intl.Segmenter(undefined, { granularity: "sentence" });

/** Length in characters as people count them (graphemes); platforms count similarly or less. */
export function visibleLength(text: string): number {
  return [...graphemes.segment(text)].length;
}

/**
 * Splits `text` into parts of at most `max` characters.
 *
 * @example
 * splitText(longLesson, 4096); // ["first part", "second part"]
 */
export function splitText(text: string, max: number): string[] {
  if ([...text].length <= max) return [text];
  const parts: string[] = [];
  let current = "";
  for (const piece of pieces(text, max)) {
    const joined = current ? current + piece : piece;
    if ([...joined].length <= max) {
      current = joined;
    } else {
      if (current.trim()) parts.push(current.trim());
      current = piece.trimStart();
    }
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** Pieces no longer than `max`, each ending with its separator, coarsest first. */
function pieces(text: string, max: number): string[] {
  const levels: Array<(t: string) => string[]> = [
    (t) => t.split(/(?<=\n\n)/),
    (t) => t.split(/(?<=\n)/),
    (t) => [...sentences.segment(t)].map((s) => s.segment),
    (t) => [...words.segment(t)].map((s) => s.segment),
    (t) => [...graphemes.segment(t)].map((s) => s.segment),
  ];
  const refine = (chunk: string, level: number): string[] => {
    if ([...chunk].length <= max || level >= levels.length) return [chunk];
    return (levels[level] as (t: string) => string[])(chunk).flatMap((p) => refine(p, level + 1));
  };
  return refine(text, 0);
}
