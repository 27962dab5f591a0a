/**
 * The certificate libraries (signing with JSON-LD and Ed25519, PDF with its fonts), loaded the first
 * time a certificate is issued, checked or printed: about 35 MB of a server's memory that a deployment
 * where nobody has finished a course yet should not carry, and a faster start.
 */

type Credential = typeof import("./credential.ts");
type IssuerKeys = typeof import("./issuer-key.ts");
type Pdf = typeof import("./pdf.ts");

let credential: Promise<Credential> | undefined;
let issuerKeys: Promise<IssuerKeys> | undefined;
let pdf: Promise<Pdf> | undefined;

/** A load that failed (a file unreadable for a moment) is tried again next time, not kept failed. */
function retryable<T>(load: Promise<T>, forget: () => void): Promise<T> {
  load.catch(forget);
  return load;
}

/**
 * Starts loading all three without waiting: called when someone opens the certificate step, so the
 * ~250 ms of loading is done before they confirm their name, not inside the transaction that issues it
 * (on SQLite other people's messages wait for that transaction).
 *
 * @example
 * preloadCertificateLibraries(); // when the certificate flow starts
 */
export function preloadCertificateLibraries(): void {
  for (const load of [credentialLibrary, issuerKeyLibrary, pdfLibrary]) void load().catch(() => undefined);
}

/**
 * Building, signing and verifying credentials (src/certificates/credential.ts).
 *
 * @example
 * const { verifyCredentialJson } = await credentialLibrary();
 */
export function credentialLibrary(): Promise<Credential> {
  credential ??= retryable(import("./credential.ts"), () => {
    credential = undefined;
  });
  return credential;
}

/**
 * Making, exporting and reading the organisation's key (src/certificates/issuer-key.ts).
 *
 * @example
 * const key = await (await issuerKeyLibrary()).generateIssuerKey();
 */
export function issuerKeyLibrary(): Promise<IssuerKeys> {
  issuerKeys ??= retryable(import("./issuer-key.ts"), () => {
    issuerKeys = undefined;
  });
  return issuerKeys;
}

/**
 * The certificate's PDF (src/certificates/pdf.ts).
 *
 * @example
 * const bytes = await (await pdfLibrary()).certificatePdf(texts);
 */
export function pdfLibrary(): Promise<Pdf> {
  pdf ??= retryable(import("./pdf.ts"), () => {
    pdf = undefined;
  });
  return pdf;
}
