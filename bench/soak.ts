/**
 * `npm run soak`: the CI fuzz test's generator at length. 100,000 fuzzed
 * webhook bodies per channel (override with SOAK_BODIES), through the real
 * HTTP app against local fakes of Telegram and WhatsApp, with a normal
 * person writing after every 50th body. Prints one JSON line: bodies sent,
 * answers of 500 and above, crashes, and lost messages (normal messages that
 * got no answer). `FUZZ_SEED=<seed>` repeats a run; `SOAK_CHANNEL=telegram`
 * (or `whatsapp`) runs one channel. Exits non-zero when
 * anything was lost, crashed or answered 5xx.
 */
import { createApp } from "../src/app.ts";
import { type FuzzReport, runFuzz } from "../test/support/fuzz-harness.ts";

const bodies = Number(process.env.SOAK_BODIES ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const started = Date.now();
process.stderr.write(`soak: ${bodies} bodies per channel, FUZZ_SEED=${seed}\n`);

const reports: FuzzReport[] = [];
// SOAK_CHANNEL=telegram or whatsapp runs one (two processes use two cores); both by default.
const channels = (["telegram", "whatsapp"] as const).filter((c) => (process.env.SOAK_CHANNEL ?? c) === c);
for (const channel of channels) {
  const app = await createApp({ sqlitePath: ":memory:" });
  try {
    reports.push(
      await runFuzz(app, channel, {
        bodies,
        seed,
        onProgress: (done) => {
          if (done % 10_000 === 0) process.stderr.write(`soak: ${channel} ${done}\n`);
        },
      }),
    );
  } finally {
    await app.close();
  }
}

const sum = (key: "bodies" | "serverErrors" | "crashes" | "lost" | "interleaved") =>
  reports.reduce((total, report) => total + report[key], 0);
const summary = {
  seed,
  bodies: sum("bodies"),
  serverErrors: sum("serverErrors"),
  crashes: sum("crashes"),
  interleaved: sum("interleaved"),
  lost: sum("lost"),
  seconds: Math.round((Date.now() - started) / 1000),
  channels: Object.fromEntries(
    reports.map(({ channel, bodies: sent, statuses, serverErrors, crashes, interleaved, lost, firstServerError }) => [
      channel,
      {
        bodies: sent,
        statuses,
        serverErrors,
        crashes,
        interleaved,
        lost,
        ...(firstServerError ? { firstServerError } : {}),
      },
    ]),
  ),
};
console.log(JSON.stringify(summary));
process.exitCode = summary.serverErrors + summary.crashes + summary.lost > 0 ? 1 : 0;
