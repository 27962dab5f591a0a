/**
 * Building the bot's core: storage, translations, the registered features
 * and the engine. The server (`main.ts`), the terminal chat and the tests all
 * build it here, so they run exactly the same bot.
 */
import { fileURLToPath } from "node:url";
import { onboardingFlow } from "../flows/onboarding.ts";
import { privacyFlow } from "../flows/privacy.ts";
import { refusedFlow } from "../flows/refused.ts";
import { createServicesFlow } from "../flows/services.ts";
import { settingsFlow } from "../flows/settings.ts";
import { stopFlow } from "../flows/stop.ts";
import { registerQuestions } from "./ask/feature.ts";
import { registerCertificates } from "./certificates/feature.ts";
import { registerClassLearners } from "./classes/learner-feature.ts";
import { registerClassTeachers } from "./classes/teacher-feature.ts";
import { type ContentPack, loadContentPack } from "./content/pack.ts";
import { type Clock, systemClock } from "./domain/clock.ts";
import type { Purpose } from "./domain/outbound.ts";
import { Engine } from "./engine/engine.ts";
import { PromptCodec } from "./engine/prompt-codec.ts";
import { FlowRegistry } from "./engine/registry.ts";
import { createTranslator, readLocales, type Translator } from "./i18n/index.ts";
import { registerLearning } from "./learning/feature.ts";
import { type Logger, silentLogger } from "./log.ts";
import { registerMeetings } from "./meetings/feature.ts";
import { createMetrics, type Metrics } from "./metrics/metrics.ts";
import { registerNudges } from "./nudges/feature.ts";
import type { QuietHours } from "./nudges/nudges.ts";
import { registerReturn } from "./referrals/feature.ts";
import { registerResearch } from "./research/feature.ts";
import { SqlScheduler } from "./scheduler/scheduler.ts";
import { refreshServiceOverrides } from "./services/overrides.ts";
import { searchWordsFrom } from "./services/search-words.ts";
import { parseStaff, type StaffDirectory } from "./staff/roles.ts";
import { openDatabase } from "./storage/database.ts";
import { Store } from "./storage/store.ts";
import { isStorageUnavailable, storageCode } from "./storage/unavailable.ts";

/**
 * Where the project's own folders (content/, locales/) are, whatever the working directory: one folder
 * up from src/app.ts, two from the built dist/src/app.js (`npm run build`), which reads the same files.
 */
export const projectRoot = fileURLToPath(new URL(import.meta.url.endsWith(".js") ? "../.." : "..", import.meta.url));

/** What the core needs. */
export interface AppOptions {
  /** Postgres URL; SQLite at `sqlitePath` when absent. */
  databaseUrl?: string | undefined;
  sqlitePath: string;
  /** A Postgres schema of its own (tests). */
  pgSchema?: string | undefined;
  clock?: Clock;
  logger?: Logger;
  defaultTimeZone?: string;
  localesDir?: string;
  contentDir?: string;
  /** Local hours when nothing is sent on the bot's own initiative; 21:00 to 08:00 by default. */
  quietHours?: QuietHours;
  /** `STAFF_ADDRESSES`: staff and their roles. */
  staffAddresses?: string | undefined;
  /** The public address of the server, for links to calendar files. */
  publicUrl?: string | undefined;
  /** `ORG_NAME`: the organisation behind the counsellors, named in the consent and their messages. */
  orgName?: string | undefined;
  /** The research export: `RESEARCH_HASH_KEY` (off while unset) and `PUBLIC_URL` for xAPI account names. */
  research?: ResearchSettings | undefined;
  /** `WHATSAPP_TEMPLATE_*`: approved template names by purpose, for previews of what the sender will use. */
  whatsappTemplates?: Partial<Record<Purpose, string>> | undefined;
  /** `TELEGRAM_BOT_USERNAME` and `WHATSAPP_NUMBER`: for a class's join links; without them the join text is shown. */
  telegramBotUsername?: string | undefined;
  whatsappNumber?: string | undefined;
  /** `CLASS_KEEP_DAYS`: how long an archived class keeps its learners linked (90 by default). */
  classKeepDays?: number | undefined;
}

/** What the research export needs from the configuration. */
export interface ResearchSettings {
  /** The key of the pseudonyms (HMAC-SHA256); the export is off while unset. */
  hashKey?: string | undefined;
  /** The xAPI account home page (`PUBLIC_URL`); `https://lotse.invalid` when unset. */
  homePage?: string | undefined;
}

/** The running core. */
export interface App {
  store: Store;
  engine: Engine;
  registry: FlowRegistry;
  translator: Translator;
  content: ContentPack;
  scheduler: SqlScheduler;
  staff: StaffDirectory;
  clock: Clock;
  logger: Logger;
  /** This app's Prometheus metrics (served at `/metrics`). */
  metrics: Metrics;
  /** `ORG_NAME` ("Lotse" by default). */
  orgName: string;
  /** `PUBLIC_URL` (http://localhost:3000 by default), for links such as the console's in counsellors' notices. */
  publicUrl: string;
  /** `DEFAULT_TIME_ZONE`: new people's zone, and an online meeting's unless staff pick another. */
  defaultTimeZone: string;
  /** The research export's key and home page (see {@link ResearchSettings}). */
  research: ResearchSettings;
  /** Approved WhatsApp template names by purpose, as configured (empty when none). */
  whatsappTemplates: Partial<Record<Purpose, string>>;
  /** The bot's Telegram username and the WhatsApp number, for join links (undefined when not configured). */
  telegramBotUsername: string | undefined;
  whatsappNumber: string | undefined;
  /** How long an archived class keeps its learners linked, in days. */
  classKeepDays: number;
  close(): Promise<void>;
}

/**
 * Registers the features every bot has: onboarding, the refusal path, settings and privacy.
 *
 * @example
 * registerCoreFeatures(new FlowRegistry());
 */
export function registerCoreFeatures(registry: FlowRegistry): FlowRegistry {
  return registry
    .addFlow(onboardingFlow)
    .addFlow(refusedFlow)
    .addFlow(settingsFlow)
    .addFlow(privacyFlow)
    .addFlow(stopFlow);
}

/**
 * Loads the locales and the content pack (a broken pack stops here, with every error named),
 * opens storage (applying migrations) and builds the engine.
 *
 * @example
 * const app = await createApp({ sqlitePath: ":memory:" });
 * await app.engine.handle(inbound);
 */
export async function createApp(options: AppOptions): Promise<App> {
  const clock = options.clock ?? systemClock;
  const metrics = createMetrics();
  const logger = options.logger ?? silentLogger;
  const staff = parseStaff(options.staffAddresses);
  const translator = createTranslator(readLocales(options.localesDir ?? `${projectRoot}locales`));
  const content = await loadContentPack(options.contentDir ?? `${projectRoot}content`);
  const registry = registerLearning(registerCoreFeatures(new FlowRegistry()), content);
  const store = new Store(
    await openDatabase({
      databaseUrl: options.databaseUrl,
      sqlitePath: options.sqlitePath,
      schema: options.pgSchema,
      onConnectionLost: (error) => {
        metrics.databaseErrors.inc({ kind: "connection_lost" });
        logger.warn("storage.connection_lost", { error });
      },
      onCheckpointError: (error) => {
        metrics.databaseErrors.inc({ kind: "checkpoint" });
        logger.warn("storage.checkpoint_failed", { error });
      },
      onQueryError: (error) => {
        // A lock wait that gave up (55P03) is a shared transaction's own timeout: its works run again,
        // each alone, and it is counted as shared_rollback, not as the database being unavailable. A
        // statement refused because an earlier one of its transaction failed (25P02: the other works
        // of a shared transaction, already on the wire) is that one failure, counted once already.
        const code = storageCode(error);
        if (code === "55P03" || code === "25P02") return;
        metrics.databaseErrors.inc({ kind: isStorageUnavailable(error) ? "unavailable" : "query" });
      },
    }),
    {
      onSharedRollback: (error, works) => {
        metrics.databaseErrors.inc({ kind: "shared_rollback" });
        logger.info("storage.shared_rollback", { works, dbCode: storageCode(error), error });
      },
    },
  );
  await refreshServiceOverrides(store.db, content);
  const engine = new Engine({
    store,
    registry,
    translator,
    clock,
    logger,
    defaultTimeZone: options.defaultTimeZone ?? "Europe/Berlin",
    prompts: promptsOver(content, translator.languages),
    onHandled: (inbound, result) =>
      metrics.messagesIn.inc({ channel: inbound.address.slice(0, inbound.address.indexOf(":")), result }),
  });
  const scheduler = new SqlScheduler(store, logger);
  registerNudges(registry, { pack: content, scheduler, engine, quiet: options.quietHours ?? { start: 21, end: 8 } });
  const searchWords = searchWordsFrom(translator);
  registry.addFlow(createServicesFlow(content, searchWords));
  registerQuestions(registry, { pack: content, words: searchWords, translator });
  const orgName = options.orgName ?? "Lotse";
  const publicUrl = options.publicUrl ?? "http://localhost:3000";
  registerReturn(registry, { pack: content, engine, translator, staff, logger, orgName, publicUrl });
  registerCertificates(registry, { pack: content, translator, orgName, publicUrl, logger });
  registerResearch(registry);
  const calendarBase = `${(options.publicUrl ?? "http://localhost:3000").replace(/\/+$/, "")}/calendar`;
  registerMeetings(registry, {
    pack: content,
    scheduler,
    engine,
    staff,
    logger,
    languages: translator.languages,
    calendarBase,
  });
  registerClassTeachers(registry, {
    pack: content,
    engine,
    scheduler,
    staff,
    logger,
    publicUrl,
    telegramBotUsername: options.telegramBotUsername?.replace(/^@/, ""),
    whatsappNumber: options.whatsappNumber,
    broadcastTemplate: options.whatsappTemplates?.broadcast,
  });
  registerClassLearners(registry, { pack: content, scheduler, translator });
  return {
    store,
    engine,
    registry,
    translator,
    content,
    scheduler,
    staff,
    clock,
    logger,
    metrics,
    orgName,
    publicUrl,
    defaultTimeZone: options.defaultTimeZone ?? "Europe/Berlin",
    research: options.research ?? {},
    whatsappTemplates: options.whatsappTemplates ?? {},
    telegramBotUsername: options.telegramBotUsername?.replace(/^@/, ""),
    whatsappNumber: options.whatsappNumber?.replace(/\D/g, ""),
    classKeepDays: options.classKeepDays ?? 90,
    close: () => store.close(),
  };
}

/**
 * Stored prompts name the pack's texts (courses, lessons, placement, return pages, services as the
 * files have them) by reference. Staff corrections of services stay inline: another process, or one
 * started before the correction, would not know them.
 */
function promptsOver(content: ContentPack, languages: readonly string[]): PromptCodec {
  return PromptCodec.over(
    {
      courses: content.courses,
      lessons: content.courses.flatMap((course) => content.lessonsOf(course.id)),
      placement: content.placement,
      return: content.returnInfo,
      services: content.contentServices,
    },
    languages,
  );
}
