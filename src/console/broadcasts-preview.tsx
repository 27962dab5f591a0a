/**
 * What a broadcast will do, shown before it is sent: how many people it reaches (per channel, per
 * the language they will see, and on WhatsApp inside or outside the 24-hour window), and the message
 * as Telegram and as WhatsApp will show it in each language, rendered by the real renderers, with
 * WhatsApp's formatting applied and the template used outside the window.
 */
import type { BroadcastPreview, ReaderPreview } from "../broadcasts/preview.ts";
import type { ReachDetail } from "../broadcasts/reach.ts";
import { whatsappStyled } from "../broadcasts/whatsapp-format.ts";
import type { Translator } from "../i18n/index.ts";
import type { ConsoleLanguage } from "./context.ts";
import { languageName } from "./meetings-form.tsx";
import { ct } from "./text.ts";

const bubble =
  "white-space:pre-wrap;overflow-wrap:anywhere;border-radius:8px;padding:8px 10px;margin:6px 0;max-width:420px";
const telegramBubble = `${bubble};background:#e7f3fd;border:1px solid #b7d7ef`;
const whatsappBubble = `${bubble};background:#e9fbe0;border:1px solid #bfe3ab`;
const chip = "display:inline-block;border:1px solid #888;border-radius:4px;padding:2px 8px;margin:2px;background:#fff";

/** A channel's name for staff ("" is counts kept before they were per channel). */
export function channelName(lang: ConsoleLanguage, channel: string): string {
  return ct(lang, `broadcasts.channel.${channel || "unknown"}`);
}

/**
 * The reach before sending.
 *
 * @example
 * <ReachView reach={reach} lang="de" translator={app.translator} />
 */
export function ReachView(props: { reach: ReachDetail; lang: ConsoleLanguage; translator: Translator }) {
  const { reach, lang } = props;
  const name = (code: string | null) =>
    code === null ? ct(lang, "broadcasts.reach.noLanguage") : languageName(props.translator, code, lang);
  return (
    <section aria-labelledby="reach-heading">
      <h2 id="reach-heading">{ct(lang, "broadcasts.reach.heading")}</h2>
      <p>
        <strong>{ct(lang, "broadcasts.reach.total", { count: reach.total })}</strong>
      </p>
      <div class="row">
        <div class="scroll">
          <table>
            <caption>{ct(lang, "broadcasts.reach.byChannel")}</caption>
            <thead>
              <tr>
                <th scope="col">{ct(lang, "broadcasts.counts.channel")}</th>
                <th scope="col">{ct(lang, "broadcasts.reach.people")}</th>
              </tr>
            </thead>
            <tbody>
              {reach.byChannel.map((c) => (
                <tr>
                  <th scope="row">{channelName(lang, c.channel)}</th>
                  <td class="num">{c.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div class="scroll">
          <table>
            <caption>{ct(lang, "broadcasts.reach.byShown")}</caption>
            <thead>
              <tr>
                <th scope="col">{ct(lang, "broadcasts.reach.shownLanguage")}</th>
                <th scope="col">{ct(lang, "broadcasts.reach.people")}</th>
                <th scope="col">{ct(lang, "broadcasts.reach.withNote")}</th>
              </tr>
            </thead>
            <tbody>
              {reach.byShown.map((s) => (
                <tr>
                  <th scope="row">{name(s.language)}</th>
                  <td class="num">{s.count}</td>
                  <td class="num">{s.withNote}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <div class="row">
        <div class="scroll">
          <table>
            <caption>{ct(lang, "broadcasts.reach.byChannelAndShown")}</caption>
            <thead>
              <tr>
                <th scope="col">{ct(lang, "broadcasts.counts.channel")}</th>
                <th scope="col">{ct(lang, "broadcasts.reach.shownLanguage")}</th>
                <th scope="col">{ct(lang, "broadcasts.reach.people")}</th>
              </tr>
            </thead>
            <tbody>
              {reach.byChannelAndShown.map((s) => (
                <tr>
                  <td>{channelName(lang, s.channel)}</td>
                  <th scope="row">{name(s.language)}</th>
                  <td class="num">{s.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div class="scroll">
          <table>
            <caption>{ct(lang, "broadcasts.reach.byLanguage")}</caption>
            <thead>
              <tr>
                <th scope="col">{ct(lang, "broadcasts.reach.ownLanguage")}</th>
                <th scope="col">{ct(lang, "broadcasts.reach.people")}</th>
              </tr>
            </thead>
            <tbody>
              {reach.byLanguage.map((l) => (
                <tr>
                  <th scope="row">{name(l.language)}</th>
                  <td class="num">{l.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <p id="window">
        {ct(lang, "broadcasts.reach.window", {
          inside: reach.whatsapp.insideWindow,
          outside: reach.whatsapp.outsideWindow,
        })}
      </p>
    </section>
  );
}

/** WhatsApp's formatting of a text, as its apps show it. */
function WhatsAppText(props: { text: string }) {
  return (
    <>
      {whatsappStyled(props.text).map((run) => {
        let node: unknown = run.text;
        if (run.mono) node = <code>{node}</code>;
        if (run.strike) node = <s>{node}</s>;
        if (run.italic) node = <em>{node}</em>;
        if (run.bold) node = <strong>{node}</strong>;
        return node;
      })}
    </>
  );
}

function ReaderView(props: { p: ReaderPreview; lang: ConsoleLanguage; translator: Translator; outside: number }) {
  const { p, lang } = props;
  const name = (code: string) => languageName(props.translator, code, lang);
  const reader = p.reader.language ?? "en";
  const heading = p.fallback
    ? ct(lang, "broadcasts.preview.readerFallback", { reader: name(reader), shown: name(p.shown) })
    : ct(lang, "broadcasts.preview.reader", { reader: name(reader) });
  return (
    <article style="border-top:1px solid #ccc;margin-top:12px">
      <h3>{heading}</h3>
      <div class="row">
        <div>
          <h4>{ct(lang, "broadcasts.preview.telegram")}</h4>
          <p class="hint">{ct(lang, "broadcasts.preview.telegramHint", { count: p.telegram.length })}</p>
          {p.telegram.map((part) => (
            <div class="telegram-part">
              <div style={telegramBubble} lang={p.shown} dir="auto">
                {part.text}
              </div>
              {part.buttons.map((row) => (
                <div>
                  {row.map((b) => (
                    <span style={chip}>{b}</span>
                  ))}
                </div>
              ))}
            </div>
          ))}
        </div>
        <div>
          <h4>{ct(lang, "broadcasts.preview.whatsapp")}</h4>
          <p class="hint">{ct(lang, "broadcasts.preview.whatsappHint", { count: p.whatsapp.length })}</p>
          {p.whatsapp.map((part) => (
            <div class="whatsapp-part">
              <div style={whatsappBubble} lang={p.shown} dir="auto">
                <WhatsAppText text={part.text} />
              </div>
              {part.buttons.map((b) => (
                <span style={chip}>{b}</span>
              ))}
            </div>
          ))}
          <h4>{ct(lang, "broadcasts.preview.template")}</h4>
          {p.template.name ? (
            <dl class="whatsapp-template">
              <dt>{ct(lang, "broadcasts.preview.templateName")}</dt>
              <dd>
                <code>{p.template.name}</code>
              </dd>
              <dt>{ct(lang, "broadcasts.preview.templateLanguage")}</dt>
              <dd>
                <code>{p.template.language}</code> ({name(p.template.language)})
              </dd>
              <dt>{ct(lang, "broadcasts.preview.templateParameters")}</dt>
              <dd>
                <ol>
                  {p.template.parameters.map((param) => (
                    <li style={whatsappBubble} lang={p.shown} dir="auto">
                      {param}
                    </li>
                  ))}
                </ol>
              </dd>
            </dl>
          ) : (
            <p class="error">{ct(lang, "broadcasts.preview.noTemplate", { outside: props.outside })}</p>
          )}
        </div>
      </div>
    </article>
  );
}

/**
 * The preview in every language people will see.
 *
 * @example
 * <PreviewView preview={preview} reach={reach} lang="en" translator={app.translator} />
 */
export function PreviewView(props: {
  preview: BroadcastPreview;
  reach: ReachDetail;
  lang: ConsoleLanguage;
  translator: Translator;
}) {
  const { preview, lang } = props;
  return (
    <section aria-labelledby="preview-heading">
      <h2 id="preview-heading">{ct(lang, "broadcasts.preview.heading")}</h2>
      <p class="hint">
        {preview.templateName
          ? ct(lang, "broadcasts.preview.intro", { template: preview.templateName })
          : ct(lang, "broadcasts.preview.introNoTemplate")}
      </p>
      {preview.readers.map((p) => (
        <ReaderView p={p} lang={lang} translator={props.translator} outside={props.reach.whatsapp.outsideWindow} />
      ))}
    </section>
  );
}
