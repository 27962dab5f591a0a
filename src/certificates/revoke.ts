/**
 * Withdrawing a certificate, the one action staff take on certificates (a certificate issued by
 * mistake, or to the wrong name): shared by the console page and the API, so both refuse the same
 * input with the same words. The revocation is stored with who, when and why, audited in the same
 * transaction, the public page says "withdrawn" from then on, and the holder is told in the chat how
 * to get a new one.
 */
import { msg } from "../../flows/kit.ts";
import type { App } from "../app.ts";
import { audit } from "../console/audit.ts";
import { actor, type StaffSession } from "../console/context.ts";
import { certificateById, certificateLimits, revokeCertificate, type StoredCertificate } from "./repository.ts";

/** Why a revocation was refused: the field and the console text key. */
export interface RevokeError {
  field: "reason" | "id";
  key: string;
  params: Record<string, unknown>;
}

/** The outcome of {@link revokeAsStaff}. */
export type RevokeResult =
  | { ok: true; certificate: StoredCertificate; alreadyRevoked: boolean }
  | { ok: false; error: RevokeError };

/**
 * Revokes a certificate with a reason (1 to 200 characters, shown to staff and in the audit log, not
 * on the public page). `newAllowed` (default yes: the usual case is a wrong name) lets the person ask
 * for a new one; without it they are told to ask the team. A certificate already withdrawn stays as it was.
 *
 * @example
 * const result = await revokeAsStaff(app, c.get("staff"), "q3J0c1…", "Issued to the wrong name");
 */
export async function revokeAsStaff(
  app: App,
  staff: StaffSession,
  id: string,
  reasonTyped: string,
  options: { newAllowed?: boolean } = {},
): Promise<RevokeResult> {
  const newAllowed = options.newAllowed ?? true;
  const reason = reasonTyped.replace(/\s+/g, " ").trim();
  if (reason.length === 0)
    return { ok: false, error: { field: "reason", key: "certificates.revoke.reasonNeeded", params: {} } };
  if ([...reason].length > certificateLimits.revokeReason) {
    return {
      ok: false,
      error: {
        field: "reason",
        key: "certificates.revoke.reasonTooLong",
        params: { max: certificateLimits.revokeReason },
      },
    };
  }
  const now = app.clock.now();
  return app.store.transaction(async (tx): Promise<RevokeResult> => {
    const before = await certificateById(tx.db, id);
    if (!before) return { ok: false, error: { field: "id", key: "certificates.missing", params: {} } };
    if (before.revokedAt) return { ok: true, certificate: before, alreadyRevoked: true };
    const after = await revokeCertificate(tx.db, id, { actor: actor(staff), reason, now, newAllowed });
    await audit(
      tx.db,
      staff,
      "certificate.revoke",
      { certificateId: id, course: before.courseId, reason, newAllowed },
      now,
    );
    // The holder hears it (and how to get a new one), unless they deleted their data and kept it.
    const course = app.content.course(before.courseId);
    if (before.address && course) {
      const notice = msg(newAllowed ? "certificates.withdrawnNotice" : "certificates.withdrawnFinal", {
        course: course.title,
      });
      await app.engine.notify(
        tx,
        before.address as Parameters<App["engine"]["notify"]>[1],
        { kind: "text", lines: [notice] },
        now,
      );
    }
    return { ok: true, certificate: after ?? before, alreadyRevoked: false };
  });
}
