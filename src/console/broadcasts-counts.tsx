/**
 * A broadcast's delivery counts in the console: per channel queued, sending, sent, delivered, read and
 * failed, where delivered and read say "not reported by Telegram" (or the web chat) instead of a
 * meaningless 0; and the failures grouped by reason, with the platform's own words as examples.
 */
import type { ChannelCounts, DeliveryCounts } from "../broadcasts/counts.ts";
import { channelName } from "./broadcasts-preview.tsx";
import type { ConsoleLanguage } from "./context.ts";
import { ct } from "./text.ts";

function Reported(props: { value: number | null; channel: string; lang: ConsoleLanguage }) {
  if (props.value !== null) return <td class="num">{props.value}</td>;
  const text =
    props.channel === "all"
      ? ct(props.lang, "broadcasts.counts.notReportedAll")
      : ct(props.lang, "broadcasts.counts.notReported", { channel: channelName(props.lang, props.channel) });
  return <td class="muted">{text}</td>;
}

function Row(props: { c: ChannelCounts; lang: ConsoleLanguage; total?: boolean }) {
  const { c, lang } = props;
  const name = props.total ? ct(lang, "broadcasts.counts.total") : channelName(lang, c.channel);
  return (
    <tr>
      <th scope="row">{props.total ? <strong>{name}</strong> : name}</th>
      <td class="num">{c.queued}</td>
      <td class="num">{c.sending}</td>
      <td class="num">{c.sent}</td>
      <Reported value={c.delivered} channel={c.channel} lang={lang} />
      <Reported value={c.read} channel={c.channel} lang={lang} />
      <td class="num">{c.failed}</td>
    </tr>
  );
}

/**
 * The counts table and the failures.
 *
 * @example
 * <CountsView counts={counts} lang="de" />
 */
export function CountsView(props: { counts: DeliveryCounts; lang: ConsoleLanguage }) {
  const { counts, lang } = props;
  return (
    <section aria-labelledby="counts-heading">
      <h2 id="counts-heading">{ct(lang, "broadcasts.counts.heading")}</h2>
      <p>{ct(lang, "broadcasts.counts.recipients", { count: counts.recipients })}</p>
      {counts.channels.length === 0 ? (
        <p>{ct(lang, "broadcasts.counts.none")}</p>
      ) : (
        <div class="scroll">
          <table id="counts">
            <thead>
              <tr>
                <th scope="col">{ct(lang, "broadcasts.counts.channel")}</th>
                <th scope="col">{ct(lang, "broadcasts.counts.queued")}</th>
                <th scope="col">{ct(lang, "broadcasts.counts.sending")}</th>
                <th scope="col">{ct(lang, "broadcasts.counts.sent")}</th>
                <th scope="col">{ct(lang, "broadcasts.counts.delivered")}</th>
                <th scope="col">{ct(lang, "broadcasts.counts.read")}</th>
                <th scope="col">{ct(lang, "broadcasts.counts.failed")}</th>
              </tr>
            </thead>
            <tbody>
              {counts.channels.map((c) => (
                <Row c={c} lang={lang} />
              ))}
              {counts.channels.length > 1 ? <Row c={counts.total} lang={lang} total /> : null}
            </tbody>
          </table>
        </div>
      )}
      <p class="hint">{ct(lang, "broadcasts.counts.hint")}</p>
      {counts.failures.length > 0 ? (
        <>
          <h3>{ct(lang, "broadcasts.counts.failures")}</h3>
          <div class="scroll">
            <table id="failures">
              <thead>
                <tr>
                  <th scope="col">{ct(lang, "broadcasts.counts.reason")}</th>
                  <th scope="col">{ct(lang, "broadcasts.counts.channel")}</th>
                  <th scope="col">{ct(lang, "broadcasts.counts.people")}</th>
                  <th scope="col">{ct(lang, "broadcasts.counts.examples")}</th>
                </tr>
              </thead>
              <tbody>
                {counts.failures.map((f) => (
                  <tr>
                    <th scope="row">{ct(lang, `broadcasts.failure.${f.reason}`)}</th>
                    <td>{channelName(lang, f.channel)}</td>
                    <td class="num">{f.count}</td>
                    <td>
                      {f.examples.map((e) => (
                        <div>
                          <code>{e}</code>
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
