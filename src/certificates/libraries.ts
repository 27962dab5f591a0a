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

/**
 * Building, signing and verifying credentials (src/certificates/credential.ts).
 *
 * @example
 * const { verifyCredentialJson } = await credentialLibrary();
 */
export function credentialLibrary(): Promise<Credential> {
  credential ??= import("./credential.ts");
  return credential;
}

/**
 * Making, exporting and reading the organisation's key (src/certificates/issuer-key.ts).
 *
 * @example
 * const key = await (await issuerKeyLibrary()).generateIssuerKey();
 */
export function issuerKeyLibrary(): Promise<IssuerKeys> {
  issuerKeys ??= import("./issuer-key.ts");
  return issuerKeys;
}

/**
 * The certificate's PDF (src/certificates/pdf.ts).
 *
 * @example
 * const bytes = await (await pdfLibrary()).certificatePdf(texts);
 */
export function pdfLibrary(): Promise<Pdf> {
  pdf ??= import("./pdf.ts");
  return pdf;
}
