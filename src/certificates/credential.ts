/**
 * Course certificates as Open Badges 3.0 credentials: a W3C Verifiable Credential (data model 2.0)
 * with an embedded Data Integrity proof (eddsa-rdfc-2022, Ed25519), which any OB 3.0 wallet or
 * verifier can check with the issuer's did:key alone, long after Lotse is gone.
 */
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { issue, verifyCredential } from "@digitalbazaar/vc";
import type { z } from "zod";
import type { competenceId, proficiencyLevel } from "../content/schema.ts";
import { CREDENTIALS_V2_CONTEXT_URL, documentLoader, OPEN_BADGES_CONTEXT_URL } from "./contexts.ts";
import { CertificateError, type IssuerKey } from "./issuer-key.ts";

/** The framework every alignment names, and the page that describes it. */
export const DIGCOMP_FRAMEWORK = "DigComp 3.0";
export const DIGCOMP_URL = "https://joint-research-centre.ec.europa.eu/digcomp_en";

/**
 * OB 3.0's AchievementType for a course: "credential that acknowledges completion of … training or
 * other activity" (CTDL's CertificateOfCompletion). OB's "Certificate" means the knowledge and skills
 * of an occupation, profession or academic program, which a short course does not claim.
 */
export const ACHIEVEMENT_TYPE = "CertificateOfCompletion";

/** One DigComp competence the course teaches, at the level it brings a learner to. */
export interface CompetenceClaim {
  code: z.infer<typeof competenceId>;
  /** The competence's name in the framework, e.g. "Protecting personal data and privacy". */
  name: string;
  level: z.infer<typeof proficiencyLevel>;
}

export interface AchievementCredentialInput {
  /** The issuer's did:key ({@link IssuerKey.did}); the credential must be signed with that key. */
  issuerDid: string;
  /** The https page where anyone can check this certificate; also the credential's id. */
  verifyUrl: string;
  /** The https URL that stands for the course's achievement (the same for every learner). */
  achievementUrl: string;
  /** The name the person chose, exactly as given, in any script. */
  learnerName: string;
  courseTitle: string;
  courseDescription: string;
  /** What a learner did to earn it (Markdown allowed), in the certificate's language. */
  criteriaNarrative: string;
  competences: readonly CompetenceClaim[];
  issuedAt: Date;
  organisation: { name: string; url?: string };
}

/** An unsigned OB 3.0 OpenBadgeCredential, as plain JSON. */
export type OpenBadgeCredential = Record<string, unknown> & {
  "@context": string[];
  id: string;
  type: string[];
  issuer: { id: string; type: string[]; name: string; url?: string };
  validFrom: string;
  credentialSubject: Record<string, unknown>;
};

/** The answer for a verification page: `issuer` is the did:key that signed, when verified. */
export interface CredentialCheck {
  verified: boolean;
  issuer?: string;
  error?: string;
}

function requireUrl(value: string, field: string, protocols: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new CertificateError("certificate.input-invalid", `${field} is not a URL: ${value}`, { cause });
  }
  if (!protocols.includes(url.protocol)) {
    throw new CertificateError("certificate.input-invalid", `${field} must be ${protocols.join(" or ")}: ${value}`);
  }
  return value;
}

function requireText(value: string, field: string): string {
  if (value.trim() === "") throw new CertificateError("certificate.input-invalid", `${field} is empty`);
  return value;
}

/**
 * The unsigned OpenBadgeCredential for one learner and course, with the issuer's did:key as issuer.
 * The name is stored in plain text (`hashed: false`): the certificate exists to show it.
 *
 * @example
 * const credential = buildAchievementCredential({ ...input, issuerDid: key.did });
 * const signed = await signCredential(credential, key);
 */
export function buildAchievementCredential(input: AchievementCredentialInput): OpenBadgeCredential {
  if (Number.isNaN(input.issuedAt.getTime())) {
    throw new CertificateError("certificate.input-invalid", "issuedAt is not a date");
  }
  const issuer: OpenBadgeCredential["issuer"] = {
    id: requireUrl(input.issuerDid, "issuerDid", ["did:"]),
    type: ["Profile"],
    name: requireText(input.organisation.name, "organisation.name"),
  };
  if (input.organisation.url !== undefined) {
    issuer.url = requireUrl(input.organisation.url, "organisation.url", ["https:", "http:"]);
  }
  const courseTitle = requireText(input.courseTitle, "courseTitle");
  return {
    "@context": [CREDENTIALS_V2_CONTEXT_URL, OPEN_BADGES_CONTEXT_URL],
    // http too: a server without a public https address (a local trial) still issues checkable credentials.
    id: requireUrl(input.verifyUrl, "verifyUrl", ["https:", "http:"]),
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: courseTitle,
    issuer,
    // Whole seconds, as in OB's examples; the milliseconds say nothing on a certificate.
    validFrom: input.issuedAt.toISOString().replace(/\.\d{3}Z$/, "Z"),
    credentialSubject: {
      type: ["AchievementSubject"],
      identifier: [
        {
          type: "IdentityObject",
          identityHash: requireText(input.learnerName, "learnerName"),
          identityType: "name",
          hashed: false,
        },
      ],
      achievement: {
        id: requireUrl(input.achievementUrl, "achievementUrl", ["https:", "http:"]),
        type: ["Achievement"],
        achievementType: ACHIEVEMENT_TYPE,
        name: courseTitle,
        description: requireText(input.courseDescription, "courseDescription"),
        criteria: { narrative: requireText(input.criteriaNarrative, "criteriaNarrative") },
        // No targetType: DigComp is not published as CASE or CTDL, the only kinds OB's
        // AlignmentTargetType names, and the field is optional.
        alignment: input.competences.map((competence) => ({
          type: ["Alignment"],
          targetName: requireText(competence.name, "competence name"),
          targetCode: competence.code,
          targetDescription: `Proficiency: ${competence.level.replace("-", " ")}`,
          targetFramework: DIGCOMP_FRAMEWORK,
          targetUrl: DIGCOMP_URL,
        })),
      },
    },
  };
}

/**
 * The credential with a DataIntegrityProof (eddsa-rdfc-2022) by `key`, whose did:key must be the
 * credential's issuer (a verifier checks exactly that, so a mismatch is refused here, not there).
 *
 * @example
 * const signed = await signCredential(buildAchievementCredential({ ...input, issuerDid: key.did }), key);
 * signed.proof; // { type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", … }
 */
export async function signCredential(
  credential: OpenBadgeCredential,
  key: IssuerKey,
): Promise<OpenBadgeCredential & { proof: Record<string, unknown> }> {
  if (credential.issuer.id !== key.did) {
    throw new CertificateError(
      "certificate.input-invalid",
      `issuer ${credential.issuer.id} is not the key's ${key.did}`,
    );
  }
  const suite = new DataIntegrityProof({ signer: key.keyPair.signer(), cryptosuite });
  const signed = await issue({ credential: structuredClone(credential), suite, documentLoader });
  return signed as OpenBadgeCredential & { proof: Record<string, unknown> };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // jsonld-signatures gathers the reasons of every proof it tried in `errors`.
  const inner = (error as Error & { errors?: unknown[] }).errors;
  if (Array.isArray(inner) && inner.length > 0) return inner.map(describe).join("; ");
  return error.message;
}

/**
 * Checks a certificate's JSON with @digitalbazaar/vc's verifier, the bundled contexts and an
 * eddsa-rdfc-2022 proof only. `verified` says the proof holds for this issuer and the credential is
 * valid now; whether the issuer is one you trust is the caller's question: compare `issuer` with
 * Lotse's own did:key. There is no status check: Lotse issues no credentialStatus.
 *
 * @example
 * const check = await verifyCredentialJson(body);
 * if (check.verified && check.issuer === ourKey.did) showValid();
 */
export async function verifyCredentialJson(json: string, now: Date = new Date()): Promise<CredentialCheck> {
  let credential: unknown;
  try {
    credential = JSON.parse(json);
  } catch {
    return { verified: false, error: "not JSON" };
  }
  if (typeof credential !== "object" || credential === null || Array.isArray(credential)) {
    return { verified: false, error: "not a JSON object" };
  }
  const suite = new DataIntegrityProof({ cryptosuite });
  const result = await verifyCredential({ credential, suite, documentLoader, now });
  if (!result.verified) {
    const error = result.error ?? result.results?.find((r) => r.error !== undefined)?.error;
    return { verified: false, error: describe(error ?? "verification failed") };
  }
  const issuer = (credential as { issuer?: unknown }).issuer;
  const issuerId = typeof issuer === "string" ? issuer : (issuer as { id?: unknown } | undefined)?.id;
  return typeof issuerId === "string" ? { verified: true, issuer: issuerId } : { verified: true };
}
