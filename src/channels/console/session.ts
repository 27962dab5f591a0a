/**
 * A terminal chat session: turns typed lines into inbound messages, hands them
 * to the engine, and prints what the engine queued for this person, laid out
 * as the chosen channel would show it.
 */
import { randomUUID } from "node:crypto";
import type { App } from "../../app.ts";
import type { Address } from "../../domain/address.ts";
import { FakeClock, parseDuration } from "../../domain/clock.ts";
import type { Inbound } from "../../domain/inbound.ts";
import type { Choice, Outbound } from "../../domain/outbound.ts";
import { layout } from "../layout.ts";
import { profiles } from "../profiles.ts";
import { formatLaidOut, moreKey } from "./print.ts";

/** A chat in a terminal (or any line-based stream). */
export class ConsoleSession {
  private lastChoices: Choice[] = [];
  private moreChoice: string | undefined;

  constructor(
    private readonly app: App,
    readonly address: Address,
    private readonly channel: "console" | "telegram" | "whatsapp",
    private readonly runDue: (now: Date) => Promise<void> = async () => undefined,
  ) {}

  /**
   * Handles one typed line and returns what to print.
   *
   * @example
   * const output = await session.line("hi");
   */
  async line(text: string): Promise<string> {
    const command = /^\/(tick|location)\b\s*(.*)$/.exec(text.trim());
    if (command?.[1] === "tick") return this.tick(command[2] ?? "");
    const inbound = this.toInbound(text, command?.[1] === "location" ? command[2] : undefined);
    if (typeof inbound === "string") return inbound;
    await this.app.engine.handle(inbound);
    return this.drain();
  }

  /** Prints whatever is queued for this person (replies, reminders that fell due). */
  async drain(): Promise<string> {
    const items = await this.app.store.takeOutboxFor(this.address, this.app.clock.now());
    return items.map((item) => this.format(item.outbound)).join("\n\n");
  }

  private async tick(argument: string): Promise<string> {
    const clock = this.app.clock;
    if (!(clock instanceof FakeClock)) return "(/tick needs --fake-clock)";
    const ms = parseDuration(argument);
    if (ms === undefined) return "(usage: /tick DURATION, such as /tick 25h or /tick 1h30m)";
    const now = clock.advance(ms);
    await this.runDue(now);
    const printed = await this.drain();
    return [`(time is now ${now.toISOString()})`, printed].filter(Boolean).join("\n\n");
  }

  private toInbound(text: string, location: string | undefined): Inbound | string {
    const base = { id: `console:${randomUUID()}`, address: this.address, receivedAt: this.app.clock.now() };
    if (location !== undefined) {
      const [lat, lon] = location.split(",").map((s) => Number(s.trim()));
      if (
        lat === undefined ||
        lon === undefined ||
        !Number.isFinite(lat) ||
        !Number.isFinite(lon) ||
        Math.abs(lat) > 90 ||
        Math.abs(lon) > 180
      ) {
        return "(usage: /location LAT,LON such as /location 55.7047,13.1910)";
      }
      return { ...base, kind: "location", latitude: lat, longitude: lon };
    }
    if (text.trim() === moreKey && this.moreChoice) return { ...base, kind: "choice", choiceId: this.moreChoice };
    return { ...base, kind: "text", text };
  }

  private format(outbound: Outbound): string {
    if (outbound.kind === "choices" || outbound.kind === "list") this.lastChoices = outbound.choices;
    const numberOf = (c: Choice) => {
      const index = this.lastChoices.findIndex((x) => x.id === c.id);
      return index === -1 ? undefined : index + 1;
    };
    const laidOut = layout(outbound, profiles[this.channel]);
    this.moreChoice = undefined;
    for (const item of laidOut) {
      if (item.kind === "list") this.moreChoice = item.rows.find((r) => numberOf(r) === undefined)?.id;
    }
    return laidOut.map((item) => formatLaidOut(item, numberOf, this.channel)).join("\n\n");
  }
}
