/**
 * The contract every channel adapter passes: addresses round-trip, every
 * captured sample parses (into this channel's addresses, with unique ids), and
 * every kind of outbound message renders within the platform's limits, also
 * with a very long text, long labels in Arabic and more choices than fit.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Address, type Channel, parseAddress, toAddress } from "../../src/domain/address.ts";
import type { Inbound } from "../../src/domain/inbound.ts";
import type { Outbound } from "../../src/domain/outbound.ts";

/** What a channel adapter gives the contract. */
export interface ChannelUnderContract {
  channel: Channel;
  /** A typical id on this platform. */
  sampleId: string;
  samplesDir: string;
  /** Parses one sample file's payload into the inbound messages it carries. */
  parse(payload: unknown): Inbound[];
  /** The platform payloads sent for one outbound message. */
  render(address: Address, outbound: Outbound): Promise<unknown[]>;
  /** The limits a payload breaks, as sentences; empty when it fits. */
  problems(payload: unknown): string[];
}

const arabicLabel = "العودة إلى القائمة";
const outbounds: [string, Outbound][] = [
  ["a short text", { kind: "text", text: "Hello" }],
  ["a 10,000-character text", { kind: "text", text: `${"كلمة ".repeat(1200)}\n\n${"word ".repeat(800)}` }],
  [
    "three choices",
    {
      kind: "choices",
      text: "Pick",
      choices: [1, 2, 3].map((n) => ({ id: `c${n}`, label: `${n} ${arabicLabel}` })),
      listButton: "Choose",
      moreLabel: "More",
    },
  ],
  [
    "twelve choices with descriptions",
    {
      kind: "choices",
      text: "Pick one of many",
      choices: Array.from({ length: 12 }, (_, i) => ({
        id: `svc.leipzig-service-${i}`,
        label: `Service ${i}`,
        description: "A place that helps with something",
      })),
      listButton: "Choose",
      moreLabel: "More…",
    },
  ],
  [
    "a list with sections",
    {
      kind: "list",
      text: "Services",
      choices: [
        { id: "h", label: "Doctor", section: "Health" },
        { id: "w", label: "Job centre", section: "Work" },
      ],
      listButton: "Open",
      moreLabel: "More",
    },
  ],
  [
    "a choice id longer than 64 bytes",
    {
      kind: "choices",
      text: "Pick",
      choices: [{ id: `x.${"ا".repeat(40)}`, label: "One" }],
      listButton: "Choose",
      moreLabel: "More",
    },
  ],
  ["a location request", { kind: "location_request", text: "Share your location", button: "📍 Share my location" }],
  ["an image", { kind: "media", mediaKind: "image", url: "https://example.org/a.png", caption: "A picture" }],
  [
    "a template",
    {
      kind: "template",
      name: "daily_nudge",
      language: "en",
      parameters: ["Scan a paper"],
      fallbackText: "Time to learn: Scan a paper",
    },
  ],
];

/**
 * Runs the contract against one adapter.
 *
 * @example
 * channelContract(telegramUnderContract);
 */
export function channelContract(adapter: ChannelUnderContract): void {
  describe(`${adapter.channel} adapter contract`, () => {
    it("round-trips addresses", () => {
      const address = toAddress(adapter.channel, adapter.sampleId);
      expect(parseAddress(address)).toEqual({ channel: adapter.channel, id: adapter.sampleId });
    });

    const files = readdirSync(adapter.samplesDir).filter((f) => f.endsWith(".json"));
    it("has captured samples", () => expect(files.length).toBeGreaterThan(5));

    it.each(files)("parses the sample %s into this channel's messages", (file) => {
      const payload = JSON.parse(readFileSync(join(adapter.samplesDir, file), "utf8")) as unknown;
      const inbound = adapter.parse(payload);
      for (const message of inbound) expect(parseAddress(message.address).channel).toBe(adapter.channel);
      expect(new Set(inbound.map((m) => m.id)).size).toBe(inbound.length);
    });

    it.each(outbounds)("renders %s within the platform's limits", async (_name, outbound) => {
      const payloads = await adapter.render(toAddress(adapter.channel, adapter.sampleId), outbound);
      expect(payloads.length).toBeGreaterThan(0);
      expect(payloads.flatMap((p) => adapter.problems(p))).toEqual([]);
    });
  });
}
