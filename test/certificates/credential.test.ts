import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { issue, verifyCredential } from "@digitalbazaar/vc";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { documentLoader } from "../../src/certificates/contexts.ts";
import {
  type AchievementCredentialInput,
  buildAchievementCredential,
  type OpenBadgeCredential,
  signCredential,
  verifyCredentialJson,
} from "../../src/certificates/credential.ts";
import {
  CertificateError,
  exportIssuerKey,
  generateIssuerKey,
  type IssuerKey,
  importIssuerKey,
} from "../../src/certificates/issuer-key.ts";

const arabicName = "فاطمة الزهراء";
const persianTitle = "ایمنی در اینترنت";

let key: IssuerKey;
let otherKey: IssuerKey;
beforeAll(async () => {
  [key, otherKey] = await Promise.all([generateIssuerKey(), generateIssuerKey()]);
});

function input(overrides: Partial<AchievementCredentialInput> = {}): AchievementCredentialInput {
  return {
    issuerDid: key.did,
    verifyUrl: "https://lotse.example/c/7Hq2mX",
    achievementUrl: "https://lotse.example/courses/safe-online",
    learnerName: arabicName,
    courseTitle: persianTitle,
    courseDescription: "گذرواژه‌های قوی، ورود دو مرحله‌ای و شناختن پیام‌های کلاهبرداری.",
    criteriaNarrative: "همه درس‌ها و آزمون‌های دوره را تمام کرد.",
    competences: [
      { code: "4.1", name: "Protecting devices", level: "basic" },
      { code: "4.2", name: "Protecting personal data and privacy", level: "intermediate" },
    ],
    issuedAt: new Date("2026-03-02T09:15:30.123Z"),
    organisation: { name: "Lotse", url: "https://lotse.example" },
    ...overrides,
  };
}

/** The standard verifier as a wallet would call it, with only the bundled documents. */
async function standardVerify(credential: object): Promise<boolean> {
  const suite = new DataIntegrityProof({ cryptosuite });
  const result = await verifyCredential({ credential, suite, documentLoader });
  return result.verified;
}

function subjectOf(credential: OpenBadgeCredential) {
  return credential.credentialSubject as {
    identifier: { identityHash: string }[];
    achievement: Record<string, unknown> & { alignment: Record<string, unknown>[]; criteria: Record<string, unknown> };
  } & Record<string, unknown>;
}

describe("OB 3.0 certificate, signed and verified", () => {
  it("an Arabic-script name and a Persian title verify with @digitalbazaar/vc's verifier", async () => {
    const signed = await signCredential(buildAchievementCredential(input()), key);
    expect(signed.proof).toMatchObject({
      type: "DataIntegrityProof",
      cryptosuite: "eddsa-rdfc-2022",
      proofPurpose: "assertionMethod",
      verificationMethod: key.verificationMethod,
    });
    expect(await standardVerify(signed)).toBe(true);
    // As stored and sent: JSON text, read back by the verification page.
    const check = await verifyCredentialJson(JSON.stringify(signed));
    expect(check).toEqual({ verified: true, issuer: key.did });
    expect(subjectOf(JSON.parse(JSON.stringify(signed))).identifier[0]?.identityHash).toBe(arabicName);
  });

  it.each([
    ["Ethiopic", "ሰላም ተስፋዬ"],
    ["Cyrillic", "Олена Коваленко"],
    ["Persian", "زهره رضایی"],
  ])("a %s name verifies too", async (_script, name) => {
    const signed = await signCredential(buildAchievementCredential(input({ learnerName: name })), key);
    expect(await standardVerify(signed)).toBe(true);
  });

  it("changing the name after signing breaks verification", async () => {
    const signed = await signCredential(buildAchievementCredential(input()), key);
    const tampered = structuredClone(signed);
    const identity = subjectOf(tampered).identifier[0];
    if (identity) identity.identityHash = "فاطمة الزهرا";
    expect(await standardVerify(tampered)).toBe(false);
    const check = await verifyCredentialJson(JSON.stringify(tampered));
    expect(check.verified).toBe(false);
    expect(check.error).toMatch(/signature/i);
  });

  it("a credential signed with one key does not verify with another issuer swapped in", async () => {
    const signed = await signCredential(buildAchievementCredential(input()), key);
    const issuerSwapped = structuredClone(signed);
    issuerSwapped.issuer.id = otherKey.did;
    expect(await standardVerify(issuerSwapped)).toBe(false);
    // Also pointing the proof at the other key: the signature is then checked against the wrong key.
    const bothSwapped = structuredClone(issuerSwapped);
    bothSwapped.proof.verificationMethod = otherKey.verificationMethod;
    expect(await standardVerify(bothSwapped)).toBe(false);
    expect((await verifyCredentialJson(JSON.stringify(bothSwapped))).verified).toBe(false);
  });

  it("a valid signature by another key than the issuer's does not verify (no signing in Lotse's name)", async () => {
    // Signed honestly, but by otherKey, over a credential naming key's DID as issuer.
    const credential = buildAchievementCredential(input());
    const suite = new DataIntegrityProof({ signer: otherKey.keyPair.signer(), cryptosuite });
    const forged = await issue({ credential, suite, documentLoader });
    const check = await verifyCredentialJson(JSON.stringify(forged));
    expect(check.verified).toBe(false);
    expect(check.error).toMatch(/issuer must match/);
  });

  it("refuses to sign with a key that is not the credential's issuer", async () => {
    const credential = buildAchievementCredential(input({ issuerDid: otherKey.did }));
    await expect(signCredential(credential, key)).rejects.toMatchObject({ code: "certificate.input-invalid" });
  });

  it("is not valid before its validFrom", async () => {
    const signed = await signCredential(buildAchievementCredential(input()), key);
    const check = await verifyCredentialJson(JSON.stringify(signed), new Date("2026-03-01T00:00:00Z"));
    expect(check.verified).toBe(false);
  });
});

describe("the bundled document loader", () => {
  it("throws with a code naming any URL it does not bundle, and never calls fetch", async () => {
    const fetchSpy = vi.spyOn(globalThis, "fetch");
    const url = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json";
    const error = await documentLoader(url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CertificateError);
    expect(error).toMatchObject({ code: "certificate.context-unknown" });
    expect((error as Error).message).toContain(url);
    // A credential naming such a context fails verification instead of fetching it.
    const signed = await signCredential(buildAchievementCredential(input()), key);
    const foreign = { ...signed, "@context": [...signed["@context"], "https://example.org/extra-context.json"] };
    const check = await verifyCredentialJson(JSON.stringify(foreign));
    expect(check).toMatchObject({ verified: false });
    expect(check.error).toContain("https://example.org/extra-context.json");
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  });

  it("resolves a did:key to a DID document that authorises the key for assertions", async () => {
    const { document } = await documentLoader(key.did);
    expect(document).toMatchObject({ id: key.did, assertionMethod: [key.verificationMethod] });
    await expect(documentLoader(`${key.did}#z6MkNotTheKey`)).rejects.toMatchObject({ code: "certificate.did-invalid" });
  });
});

describe("the issuer key", () => {
  it("survives export and import, and signs credentials that verify", async () => {
    const restored = await importIssuerKey(await exportIssuerKey(key));
    expect([restored.did, restored.verificationMethod]).toEqual([key.did, key.verificationMethod]);
    expect(restored.did).toMatch(/^did:key:z6Mk/);
    const signed = await signCredential(buildAchievementCredential(input()), restored);
    expect(await standardVerify(signed)).toBe(true);
  });

  it("refuses a stored key whose secret belongs to another key", async () => {
    const mine = JSON.parse(await exportIssuerKey(key));
    const theirs = JSON.parse(await exportIssuerKey(otherKey));
    const mixed = JSON.stringify({ ...mine, secretKeyMultibase: theirs.secretKeyMultibase });
    await expect(importIssuerKey(mixed)).rejects.toMatchObject({ code: "certificate.key-invalid" });
    const publicOnly = JSON.stringify({ ...mine, secretKeyMultibase: undefined });
    await expect(importIssuerKey(publicOnly)).rejects.toMatchObject({ code: "certificate.key-invalid" });
  });
});

describe("OB 3.0 required fields", () => {
  // From 1EdTech's OB 3.0 data model (common_credentials.lines, cardinality 1 or 1..*).
  const required = {
    OpenBadgeCredential: ["@context", "id", "type", "issuer", "validFrom", "credentialSubject"],
    Profile: ["id", "type"],
    AchievementSubject: ["type", "achievement"],
    IdentityObject: ["type", "hashed", "identityHash", "identityType"],
    Achievement: ["id", "type", "criteria", "description", "name"],
    Alignment: ["type", "targetName", "targetUrl"],
  };
  const missing = (object: Record<string, unknown> | undefined, fields: string[]) =>
    fields.filter((field) => object?.[field] === undefined || object[field] === "");

  it("every class in the credential has the fields OB 3.0 requires, with the required types", async () => {
    const signed = await signCredential(buildAchievementCredential(input()), key);
    const subject = subjectOf(signed);
    const { achievement } = subject;
    expect(missing(signed, required.OpenBadgeCredential)).toEqual([]);
    expect(missing(signed.issuer, required.Profile)).toEqual([]);
    expect(missing(subject, required.AchievementSubject)).toEqual([]);
    expect(missing(subject.identifier[0], required.IdentityObject)).toEqual([]);
    expect(missing(achievement, required.Achievement)).toEqual([]);
    expect(achievement.alignment).toHaveLength(2);
    for (const alignment of achievement.alignment) expect(missing(alignment, required.Alignment)).toEqual([]);

    expect(signed["@context"]).toEqual([
      "https://www.w3.org/ns/credentials/v2",
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]);
    expect(signed.type).toEqual(expect.arrayContaining(["VerifiableCredential", "OpenBadgeCredential"]));
    expect(signed.issuer.type).toContain("Profile");
    expect(subject.type).toContain("AchievementSubject");
    // AchievementSubject needs an id or at least one identifier; Criteria should have id or narrative.
    expect(subject.identifier.length).toBeGreaterThan(0);
    expect(achievement.criteria.narrative).toBeTruthy();
    expect(achievement.type).toContain("Achievement");
    expect(subject.identifier[0]).toMatchObject({ type: "IdentityObject", identityType: "name", hashed: false });
    expect(achievement.alignment[0]).toMatchObject({
      type: ["Alignment"],
      targetCode: "4.1",
      targetFramework: "DigComp 3.0",
      targetDescription: "Proficiency: basic",
    });
    // Values from OB 3.0's enumerations (AchievementType; IdentifierTypeEnum extended with "name").
    expect(achievement.achievementType).toBe("CertificateOfCompletion");
    expect(signed.validFrom).toBe("2026-03-02T09:15:30Z");
    expect(signed.id).toBe("https://lotse.example/c/7Hq2mX");
    expect(signed.issuer).toEqual({ id: key.did, type: ["Profile"], name: "Lotse", url: "https://lotse.example" });
  });

  it("refuses inputs that would make an invalid credential", () => {
    expect(() => buildAchievementCredential(input({ verifyUrl: "ftp://lotse.example/c/1" }))).toThrow(CertificateError);
    expect(() => buildAchievementCredential(input({ learnerName: "  " }))).toThrow(CertificateError);
    expect(() => buildAchievementCredential(input({ issuedAt: new Date("nonsense") }))).toThrow(CertificateError);
  });
});
