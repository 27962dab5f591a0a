/**
 * The issuer's signing key for course certificates: one Ed25519 key whose did:key is the issuer.
 * A did:key carries its public key in the identifier itself, so any verifier can check a certificate
 * without asking our server (or anyone's) for a key, and the key never needs a web host of its own.
 */

import type { Ed25519MultikeyPair, MultikeyJson } from "@digitalbazaar/ed25519-multikey";
import * as Ed25519Multikey from "@digitalbazaar/ed25519-multikey";

/** Every error code the certificate modules raise on purpose. */
export type CertificateErrorCode =
  | "certificate.context-unknown"
  | "certificate.did-invalid"
  | "certificate.key-invalid"
  | "certificate.input-invalid";

/**
 * An error from src/certificates, with a stable code and the cause that led to it.
 *
 * @example
 * throw new CertificateError("certificate.key-invalid", "the stored key has no secret");
 */
export class CertificateError extends Error {
  override readonly name = "CertificateError";
  constructor(
    readonly code: CertificateErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The context every Multikey document names (W3C Controlled Identifiers). */
export const MULTIKEY_CONTEXT_URL = "https://w3id.org/security/multikey/v1";
/** The DID core context, named by the DID documents that {@link resolveDidKey} returns. */
export const DID_CONTEXT_URL = "https://www.w3.org/ns/did/v1";

/** An Ed25519 issuer key: its did:key, its verification method id and the key pair that signs. */
export interface IssuerKey {
  /** `did:key:z6Mk…`, used as the credential's `issuer.id`. */
  readonly did: string;
  /** `did:key:z6Mk…#z6Mk…`, named by the proof's `verificationMethod`. */
  readonly verificationMethod: string;
  readonly keyPair: Ed25519MultikeyPair;
}

// An Ed25519 public key as multibase: base58btc ("z") of the multicodec header 0xed01 and 32 bytes,
// which always starts "z6Mk" and is 48 characters long.
const ed25519Multibase = /^z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/;

function fromKeyPair(keyPair: Ed25519MultikeyPair): IssuerKey {
  return { did: keyPair.controller, verificationMethod: keyPair.id, keyPair };
}

/**
 * A new random Ed25519 issuer key, controlled by its own did:key.
 *
 * @example
 * const key = await generateIssuerKey();
 * key.did; // "did:key:z6Mk…"
 */
export async function generateIssuerKey(): Promise<IssuerKey> {
  // did:key's id is derived from the public key, which exists only after generating; so generate,
  // then build the key again with its controller and id set.
  const fresh = await Ed25519Multikey.generate();
  const did = `did:key:${fresh.publicKeyMultibase}`;
  const exported = await fresh.export({ publicKey: true, secretKey: true, includeContext: true });
  const keyPair = await Ed25519Multikey.from({
    ...exported,
    controller: did,
    id: `${did}#${fresh.publicKeyMultibase}`,
  });
  return fromKeyPair(keyPair);
}

/**
 * The key as a JSON string for storage. It includes the secret key: keep it where secrets live.
 *
 * @example
 * await writeFile(path, await exportIssuerKey(key), { mode: 0o600 });
 */
export async function exportIssuerKey(key: IssuerKey): Promise<string> {
  return JSON.stringify(await key.keyPair.export({ publicKey: true, secretKey: true, includeContext: true }));
}

/**
 * The key stored by {@link exportIssuerKey}. Throws `certificate.key-invalid` if the JSON is not an
 * Ed25519 Multikey with its secret, if its ids do not match its did:key, or if the secret does not
 * belong to the public key (a key that cannot sign what it claims would issue unverifiable
 * certificates, so it is refused here rather than found out by a learner later).
 *
 * @example
 * const key = await importIssuerKey(await readFile(path, "utf8"));
 */
export async function importIssuerKey(json: string): Promise<IssuerKey> {
  let stored: Partial<MultikeyJson>;
  try {
    stored = JSON.parse(json) as Partial<MultikeyJson>;
  } catch (cause) {
    throw new CertificateError("certificate.key-invalid", "the stored issuer key is not JSON", { cause });
  }
  const { publicKeyMultibase, secretKeyMultibase } = stored;
  if (
    stored?.type !== "Multikey" ||
    typeof publicKeyMultibase !== "string" ||
    !ed25519Multibase.test(publicKeyMultibase)
  ) {
    throw new CertificateError("certificate.key-invalid", "the stored issuer key is not an Ed25519 Multikey");
  }
  if (typeof secretKeyMultibase !== "string") {
    throw new CertificateError("certificate.key-invalid", "the stored issuer key has no secret key");
  }
  const did = `did:key:${publicKeyMultibase}`;
  if (stored.controller !== did || stored.id !== `${did}#${publicKeyMultibase}`) {
    throw new CertificateError("certificate.key-invalid", `the stored issuer key's ids do not match ${did}`);
  }
  let keyPair: Ed25519MultikeyPair;
  try {
    keyPair = await Ed25519Multikey.from(stored);
  } catch (cause) {
    throw new CertificateError("certificate.key-invalid", "the stored issuer key cannot be read", { cause });
  }
  const probe = new TextEncoder().encode("lotse issuer key check");
  const signature = await keyPair.signer().sign({ data: probe });
  if (!(await keyPair.verifier().verify({ data: probe, signature }))) {
    throw new CertificateError("certificate.key-invalid", "the stored secret key does not match its public key");
  }
  return fromKeyPair(keyPair);
}

/**
 * The DID document of an Ed25519 did:key, or with a fragment the verification method itself, built
 * locally from the identifier (did:key needs no lookup). Throws `certificate.did-invalid` for
 * anything else, including a fragment other than the key's own.
 *
 * @example
 * resolveDidKey(`${key.did}#${key.keyPair.publicKeyMultibase}`); // { type: "Multikey", controller: key.did, … }
 */
export function resolveDidKey(url: string): Record<string, unknown> {
  const match = /^did:key:([^#]+)(?:#(.*))?$/.exec(url);
  const multibase = match?.[1];
  const fragment = match?.[2];
  if (
    multibase === undefined ||
    !ed25519Multibase.test(multibase) ||
    (fragment !== undefined && fragment !== multibase)
  ) {
    throw new CertificateError("certificate.did-invalid", `not an Ed25519 did:key: ${url}`);
  }
  const did = `did:key:${multibase}`;
  const method = { id: `${did}#${multibase}`, type: "Multikey", controller: did, publicKeyMultibase: multibase };
  if (fragment !== undefined) return { "@context": MULTIKEY_CONTEXT_URL, ...method };
  return {
    // With the DID context first, jsonld-signatures reads `assertionMethod` as it is instead of
    // framing the document, so the DID context itself is never loaded.
    "@context": [DID_CONTEXT_URL, MULTIKEY_CONTEXT_URL],
    id: did,
    verificationMethod: [method],
    authentication: [method.id],
    assertionMethod: [method.id],
    capabilityDelegation: [method.id],
    capabilityInvocation: [method.id],
  };
}
