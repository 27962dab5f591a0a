/**
 * Issuing a certificate: the organisation's key (made once and kept in the database), the Open Badges
 * 3.0 credential in the person's language, signed, stored with the name they chose.
 */
import type { Kysely, Transaction } from "kysely";
import type { z } from "zod";
import type { ContentPack } from "../content/pack.ts";
import type { Course, proficiencyLevel } from "../content/schema.ts";
import type { Translator } from "../i18n/index.ts";
import type { Database } from "../storage/schema.ts";
import type { CompetenceClaim } from "./credential.ts";
import type { IssuerKey } from "./issuer-key.ts";
import { credentialLibrary, issuerKeyLibrary } from "./libraries.ts";
import { insertCertificate, newCertificateId, type StoredCertificate } from "./repository.ts";

type Db = Kysely<Database> | Transaction<Database>;
type Level = z.infer<typeof proficiencyLevel>;

/** The one key row: a second process making one at the same time loses the insert and reads the first's. */
const keyId = "default";

/**
 * Stored keys already read, by their JSON: reading one checks it by signing, which a public page view
 * should not repeat every time.
 */
const imported = new Map<string, Promise<IssuerKey>>();

function readKey(json: string): Promise<IssuerKey> {
  let key = imported.get(json);
  if (!key) {
    key = issuerKeyLibrary().then((keys) => keys.importIssuerKey(json));
    // A refused key is not kept: the next call says why again.
    key.catch(() => imported.delete(json));
    imported.set(json, key);
  }
  return key;
}

const levels: readonly Level[] = ["basic", "intermediate", "advanced", "highly-advanced"];

/** What issuing needs besides the database. */
export interface IssueSettings {
  pack: ContentPack;
  translator: Translator;
  orgName: string;
  /** The server's public address, e.g. `https://lotse.example.org`. */
  publicUrl: string;
}

/**
 * The organisation's signing key: read from the database, or made and stored on first use.
 *
 * @example
 * const key = await issuerKey(db);
 * key.did; // "did:key:z6Mk…"
 */
export async function issuerKey(db: Db): Promise<IssuerKey> {
  const stored = await db.selectFrom("issuer_keys").select("key_pair").where("id", "=", keyId).executeTakeFirst();
  if (stored) return readKey(stored.key_pair);
  const keys = await issuerKeyLibrary();
  const made = await keys.generateIssuerKey();
  await db
    .insertInto("issuer_keys")
    .values({ id: keyId, key_pair: await keys.exportIssuerKey(made), created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  const row = await db.selectFrom("issuer_keys").select("key_pair").where("id", "=", keyId).executeTakeFirstOrThrow();
  return readKey(row.key_pair);
}

/**
 * The organisation's did:key, or undefined when no key was made yet. For the public pages: a visitor's
 * request must never make a key (a lost key row would otherwise be replaced silently, and every
 * certificate signed before would read "unknown").
 *
 * @example
 * await issuerDid(db); // "did:key:z6Mk…"
 */
export async function issuerDid(db: Db): Promise<string | undefined> {
  const stored = await db.selectFrom("issuer_keys").select("key_pair").where("id", "=", keyId).executeTakeFirst();
  return stored ? (await readKey(stored.key_pair)).did : undefined;
}

/** The addresses of a certificate's page, PDF and credential under the public address. */
export function certificateUrls(publicUrl: string, id: string): { page: string; pdf: string; json: string } {
  const base = `${publicUrl.replace(/\/+$/, "")}`;
  return {
    page: `${base}/verify/${id}`,
    pdf: `${base}/verify/${id}/certificate.pdf`,
    json: `${base}/verify/${id}/credential.json`,
  };
}

/**
 * The DigComp competences a course teaches, each at the highest level any of its lessons reaches, in
 * competence order, with their names in `language`.
 */
export function courseCompetences(
  pack: ContentPack,
  course: Course,
  translator: Translator,
  language: string,
): CompetenceClaim[] {
  const best = new Map<string, Level>();
  for (const lesson of pack.lessonsOf(course.id)) {
    for (const code of lesson.competences) {
      const current = best.get(code);
      if (!current || levels.indexOf(lesson.proficiency) > levels.indexOf(current)) best.set(code, lesson.proficiency);
    }
  }
  return [...best.entries()]
    .sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))
    .map(([code, level]) => ({
      code: code as CompetenceClaim["code"],
      name: translator.t(language, `digcomp.${code}`),
      level,
    }));
}

/**
 * Issues and stores a certificate for `course` in the person's name and language.
 *
 * @example
 * const certificate = await issueCertificate(tx.db, settings, { address, language: "fa" }, course, "مریم احمدی", now);
 */
export async function issueCertificate(
  db: Db,
  settings: IssueSettings,
  person: { address: string; language: string },
  course: Course,
  name: string,
  now: Date,
): Promise<StoredCertificate> {
  const { pack, translator, orgName, publicUrl } = settings;
  const language = person.language;
  const id = newCertificateId();
  const key = await issuerKey(db);
  const title = course.title[language] ?? course.title.en ?? course.id;
  const lessons = pack.lessonsOf(course.id).length;
  const { buildAchievementCredential, signCredential } = await credentialLibrary();
  const credential = buildAchievementCredential({
    issuerDid: key.did,
    verifyUrl: certificateUrls(publicUrl, id).page,
    achievementUrl: `${publicUrl.replace(/\/+$/, "")}/courses/${course.id}`,
    learnerName: name,
    courseTitle: title,
    courseDescription: course.summary[language] ?? course.summary.en ?? title,
    criteriaNarrative: translator.t(language, "certificates.criteria", { lessons, course: title }),
    competences: courseCompetences(pack, course, translator, language),
    issuedAt: now,
    organisation: { name: orgName, url: publicUrl },
  });
  const signed = await signCredential(credential, key);
  const stored = {
    id,
    address: person.address,
    courseId: course.id,
    courseVersion: course.version,
    name,
    language,
    issuedAt: now.toISOString(),
    credential: JSON.stringify(signed),
  };
  await insertCertificate(db, stored);
  return { ...stored, revokedAt: null, revokedBy: null, revokeReason: null, newAllowed: true };
}
