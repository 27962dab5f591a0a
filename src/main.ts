/**
 * `npm start`: reads the configuration, builds the bot and serves HTTP. With
 * no platform configured it serves the local web chat at `/`.
 */
import { serve } from "@hono/node-server";
import { createApp } from "./app.ts";
import { pushChannelsFrom } from "./channels/push-channels.ts";
import { loadConfig, sqlitePathFor } from "./config.ts";
import { isLotseError } from "./domain/errors.ts";
import { createHttpApp } from "./http/server.ts";
import { createLogger, setLogHashKey } from "./log.ts";
import { OutboxSender } from "./outbox/sender.ts";
import { startTicker } from "./scheduler/ticker.ts";

const day = 86_400_000;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  if (config.LOG_HASH_KEY) setLogHashKey(config.LOG_HASH_KEY);
  const logger = createLogger(config.LOG_LEVEL);
  const app = await createApp({
    databaseUrl: config.DATABASE_URL,
    sqlitePath: sqlitePathFor(config),
    logger,
    defaultTimeZone: config.DEFAULT_TIME_ZONE,
    quietHours: config.QUIET_HOURS,
    staffAddresses: config.STAFF_ADDRESSES,
    publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
  });
  const ticker = startTicker(app.scheduler, app.clock, logger);
  const pushChannels = pushChannelsFrom(config, app);
  const webChat = config.WEB_CHAT === "on" || (config.WEB_CHAT === "auto" && pushChannels.length === 0);
  const http = createHttpApp(app, {
    webChat,
    adminToken: config.ADMIN_TOKEN,
    channelRoutes: pushChannels.flatMap((c) => (c.routes ? [c.routes] : [])),
  });
  const sender = new OutboxSender(
    app.store,
    pushChannels.map((c) => c.sender),
    app.clock,
    logger,
  );
  if (pushChannels.length > 0) sender.start();
  const server = serve({ fetch: http.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    const where = `http://${info.address === "0.0.0.0" || info.address === "::" ? "localhost" : info.address}:${info.port}/`;
    logger.info("server.started", { port: info.port, database: app.store.dialect, webChat });
    if (webChat) console.log(`Lotse is running. Open the local chat at ${where}`);
    else console.log(`Lotse is running on ${where}`);
  });
  for (const channel of pushChannels) await channel.start();
  const prune = setInterval(() => void housekeeping(app), 3_600_000);
  void housekeeping(app);
  const stop = async () => {
    clearInterval(prune);
    ticker.stop();
    await sender.stop();
    for (const channel of pushChannels) await channel.stop();
    server.close();
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

/** Forgets inbound ids after 7 days and delivered messages after 30, as the consent text promises. */
async function housekeeping(app: Awaited<ReturnType<typeof createApp>>): Promise<void> {
  const now = app.clock.now().getTime();
  try {
    await app.store.pruneInbound(new Date(now - 7 * day));
    await app.store.pruneOutbox(new Date(now - 30 * day));
  } catch (error) {
    app.logger.warn("housekeeping.failed", { error });
  }
}

main().catch((error: unknown) => {
  console.error(isLotseError(error) ? error.message : error);
  process.exitCode = 1;
});
