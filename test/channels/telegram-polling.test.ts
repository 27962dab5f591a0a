/**
 * Telegram without PUBLIC_URL: long polling against the fake Bot API.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTelegramChannel, type TelegramChannel } from "../../src/channels/telegram/channel.ts";
import { silentLogger } from "../../src/log.ts";
import { OutboxSender } from "../../src/outbox/sender.ts";
import { createTestApp, type TestApp } from "../support/app.ts";
import { type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.ts";

describe("Telegram in long-polling mode", () => {
  let fake: FakeTelegram;
  let app: TestApp;
  let channel: TelegramChannel;
  beforeEach(async () => {
    fake = await startFakeTelegram();
    app = await createTestApp();
    channel = createTelegramChannel(app, {
      token: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
      apiRoot: fake.apiRoot,
      secret: "unused",
    });
  });
  afterEach(async () => {
    await channel.stop();
    await app.dispose();
    await fake.close();
  });

  it("fetches updates, answers them through the outbox, and never registers a webhook", async () => {
    fake.queueUpdates([
      {
        update_id: 1,
        message: {
          message_id: 1,
          date: 1,
          chat: { id: 42, type: "private", first_name: "A" },
          from: { id: 42, is_bot: false, first_name: "A" },
          text: "hi",
        },
      },
    ]);
    await channel.start();
    const sender = new OutboxSender(app.store, [channel.sender], app.clock, silentLogger);
    for (let i = 0; i < 100 && fake.sent().length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await sender.drain();
    }
    expect(fake.sent()[0]?.params).toMatchObject({ chat_id: "42" });
    expect(String(fake.sent()[0]?.params.text)).toContain("Which language");
    expect(fake.calls.some((c) => c.method === "getUpdates")).toBe(true);
    expect(fake.calls.some((c) => c.method === "setWebhook")).toBe(false);
  });
});
