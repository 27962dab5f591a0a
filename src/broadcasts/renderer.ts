/**
 * The renderer a fan-out uses when its caller gives none (tools, benchmarks): the chat's own, over the
 * project's locales, read once. The running bot passes `app.engine.renderer`, which is the same.
 */
import { projectRoot } from "../app.ts";
import { ReplyRenderer } from "../engine/render.ts";
import { createTranslator, readLocales } from "../i18n/index.ts";

let loaded: ReplyRenderer | undefined;

/**
 * A renderer over `locales/` (read on first use).
 *
 * @example
 * const outbound = broadcastOutbound(message, reader, defaultRenderer());
 */
export function defaultRenderer(): ReplyRenderer {
  loaded ??= new ReplyRenderer(createTranslator(readLocales(`${projectRoot}locales`)));
  return loaded;
}
