/**
 * `npm start`: reads `.env` and the configuration, builds the bot and serves
 * HTTP. With no platform configured (and HOST a loopback address, or
 * WEB_CHAT=on) it serves the local web chat at `/`.
 *
 * Everything that can fail at start fails before the server listens (the
 * database, Redis) or ends the process (a channel that cannot start): no
 * process stays up unable to do its job. A failure prints one line naming the
 * variable and the cause.
 */
import type { Server } from "node:http";
import { createAdaptorServer } from "@hono/node-server";
import { createApp } from "./app.ts";
import { pushChannelsFrom } from "./channels/push-channels.ts";
import { unlinkArchivedClasses } from "./classes/archive.ts";
import { holdLeadership } from "./cluster/leadership.ts";
import { connectRedis } from "./cluster/redis.ts";
import { loadConfig, sqlitePathFor } from "./config.ts";
import { Readiness } from "./http/readiness.ts";
import { createHttpApp } from "./http/server.ts";
import { createLogger, setLogHashKey } from "./log.ts";
import { countDeliveries } from "./metrics/delivery.ts";
import { OutboxSender } from "./outbox/sender.ts";
import { startTicker } from "./scheduler/ticker.ts";
import { overrideRefreshMs, refreshServiceOverrides } from "./services/overrides.ts";
import { checkDataDir } from "./startup/data-dir.ts";
import { loadEnvFile } from "./startup/env-file.ts";
import { exitOnStopSignal, stopGracefully } from "./startup/graceful-stop.ts";
import { listen } from "./startup/listen.ts";
import { reloadStaffOnHangup } from "./startup/staff-reload.ts";
import { describeStartupError } from "./startup/startup-error.ts";
import { decideWebChat } from "./startup/web-chat-exposure.ts";

const day = 86_400_000;

async function main(): Promise<void> {
  // Whether the real environment sets the staff list, before .env fills in what it does not.
  const staffFromEnvironment = process.env.STAFF_ADDRESSES !== undefined;
  loadEnvFile();
  const config = loadConfig(process.env);
  if (config.LOG_HASH_KEY) setLogHashKey(config.LOG_HASH_KEY);
  const logger = createLogger(config.LOG_LEVEL);
  if (!config.DATABASE_URL) checkDataDir(config.DATA_DIR);
  const app = await createApp({
    databaseUrl: config.DATABASE_URL,
    pgSchema: config.DATABASE_SCHEMA,
    sqlitePath: sqlitePathFor(config),
    logger,
    defaultTimeZone: config.DEFAULT_TIME_ZONE,
    quietHours: config.QUIET_HOURS,
    staffAddresses: config.STAFF_ADDRESSES,
    publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    orgName: config.ORG_NAME,
    telegramBotUsername: config.TELEGRAM_BOT_USERNAME,
    whatsappNumber: config.WHATSAPP_NUMBER,
    classKeepDays: config.CLASS_KEEP_DAYS,
    research: { hashKey: config.RESEARCH_HASH_KEY, homePage: config.PUBLIC_URL },
    whatsappTemplates: {
      nudge: config.WHATSAPP_TEMPLATE_NUDGE,
      reminder: config.WHATSAPP_TEMPLATE_REMINDER,
      broadcast: config.WHATSAPP_TEMPLATE_BROADCAST,
      notice: config.WHATSAPP_TEMPLATE_NOTICE,
    },
  });
  // `kill -HUP <pid>` after editing STAFF_ADDRESSES in .env: rights change from the next action on.
  reloadStaffOnHangup(app.staff, logger, staffFromEnvironment);
  // Shared by several processes: callback tokens (and the outbox's rate limits) live there. Before anything
  // starts running, so that an unreachable Redis ends the start cleanly.
  const redis = config.REDIS_URL ? await connectRedis({ url: config.REDIS_URL, logger }) : undefined;
  const pushChannels = pushChannelsFrom(config, app, { redis: redis?.client });
  // Certificates are sent as links to this server (and signed with its address for good): without a
  // public address, Telegram and WhatsApp cannot fetch them and the links point at localhost.
  if (pushChannels.length > 0 && !config.PUBLIC_URL) {
    logger.warn("certificates.no_public_url", {
      hint: "set PUBLIC_URL to this server's public https address before people earn certificates",
    });
  }
  const webChat = decideWebChat(config, pushChannels.length);
  if (webChat.refusal) {
    logger.warn("web_chat.refused", { host: config.HOST, reason: webChat.refusal });
    console.log(`\n*** ${webChat.refusal}\n`);
  }
  const readiness = new Readiness();
  const http = createHttpApp(app, {
    webChat: webChat.on,
    readiness,
    adminToken: config.ADMIN_TOKEN,
    publicUrl: config.PUBLIC_URL,
    whatsappAuthTemplate: config.WHATSAPP_TEMPLATE_AUTH,
    metricsToken: config.METRICS_TOKEN,
    channelRoutes: pushChannels.flatMap((c) => (c.routes ? [c.routes] : [])),
  });
  const sender = new OutboxSender(
    app.store,
    pushChannels.map((c) => c.sender),
    app.clock,
    logger,
    { shared: redis?.client, bulkShare: config.BULK_SHARE, onResult: countDeliveries(app.metrics) },
  );
  // Listening before anything starts running: a bad HOST or a PORT in use ends the start with nothing to undo.
  const server = createAdaptorServer({ fetch: http.fetch }) as Server;
  await listen(server, config.PORT, config.HOST);
  const shown = config.HOST === "0.0.0.0" || config.HOST === "::" ? "localhost" : config.HOST;
  const where = `http://${shown.includes(":") ? `[${shown}]` : shown}:${config.PORT}/`;
  logger.info("server.started", { port: config.PORT, database: app.store.dialect, webChat: webChat.on });
  if (webChat.on) console.log(`Lotse is running. Open the local chat at ${where}`);
  else console.log(`Lotse is running on ${where}`);
  console.log(`Staff console: ${where.replace(/\/$/, "")}/staff (API: /api/docs)`);
  const ticker = startTicker(app.scheduler, app.clock, logger);
  // With Redis every process sends (the ceilings are shared there); without it one process at a time
  // does, agreed on Postgres, and another takes over when it dies. On SQLite this process always leads.
  let sending: { stop(): Promise<void> } | undefined;
  if (pushChannels.length > 0 && redis) sender.start();
  else if (pushChannels.length > 0) {
    sending = holdLeadership({
      databaseUrl: config.DATABASE_URL,
      pgSchema: config.DATABASE_SCHEMA,
      name: "outbox",
      logger,
      onGain: () => sender.start(),
      onLose: () => sender.stop(),
    });
  }
  const prune = setInterval(() => void housekeeping(app), 3_600_000);
  // Corrections staff made through another process show here within this interval.
  const corrections = setInterval(
    () =>
      void refreshServiceOverrides(app.store.db, app.content).catch((error) =>
        logger.warn("services.overrides_refresh_failed", { error }),
      ),
    overrideRefreshMs,
  );
  void housekeeping(app);
  // Before the channels start, so a stop signal during a slow start (retrying Telegram) drains too.
  exitOnStopSignal(logger, () =>
    stopGracefully({
      server,
      readiness,
      logger,
      intake: [
        { name: "scheduler", run: () => ticker.stop() },
        { name: "housekeeping", run: () => clearInterval(prune) },
        { name: "service corrections", run: () => clearInterval(corrections) },
        { name: "channels", run: () => Promise.all(pushChannels.map((channel) => channel.stop())) },
      ],
      afterwards: [
        { name: "outbox leadership", run: () => sending?.stop() },
        { name: "outbox sender", run: () => sender.stop() },
        { name: "redis", run: () => redis?.close() },
        { name: "database", run: () => app.close() },
      ],
    }),
  );
  // A channel that throws here ends the process (main's catch): the supervisor restarts it, rather than it
  // staying up deaf. Telegram's set-up calls retry on their own (channels/telegram/retrying.ts).
  for (const channel of pushChannels) await channel.start();
  readiness.markStarted();
  logger.info("server.ready", { channels: pushChannels.length });
}

/**
 * Forgets inbound ids after 7 days and delivered messages after 30, as the consent text promises, and
 * the learners of classes archived longer than `CLASS_KEEP_DAYS` ago.
 */
async function housekeeping(app: Awaited<ReturnType<typeof createApp>>): Promise<void> {
  const now = app.clock.now().getTime();
  try {
    await app.store.pruneInbound(new Date(now - 7 * day));
    await app.store.pruneOutbox(new Date(now - 30 * day));
    // An archived class's learners stay linked to it for CLASS_KEEP_DAYS, then only its counts stay.
    await unlinkArchivedClasses(app.store.db, app.content, new Date(now - app.classKeepDays * day), new Date(now));
  } catch (error) {
    app.logger.warn("housekeeping.failed", { error });
  }
}

main().catch((error: unknown) => {
  // One line naming the variable and the cause, secrets masked; then exit, whatever is still open
  // (a listening server, timers): a process that failed to start must not stay up.
  console.error(describeStartupError(error, process.env));
  process.exit(1);
});
