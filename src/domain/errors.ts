/**
 * Errors that carry a stable code and the cause that led to them, so logs and
 * tests can tell "the platform said no" from "the network failed" from "our
 * data is broken" without parsing messages.
 */

/** Every error code Lotse raises on purpose. */
export type ErrorCode =
  | "config.invalid"
  | "content.invalid"
  | "address.invalid"
  | "snapshot.corrupt"
  | "snapshot.version"
  | "flow.unknown"
  | "flow.unsupported"
  | "storage.failed"
  | "storage.unavailable"
  | "channel.api"
  | "channel.network"
  | "redis.unreachable"
  | "classes.code"
  | "classes.invalid";

/**
 * An error with a code and an optional cause.
 *
 * @example
 * throw new LotseError("address.invalid", `not an address: ${raw}`);
 */
export class LotseError extends Error {
  override readonly name = "LotseError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Whether `error` is a {@link LotseError}, optionally with the given code.
 *
 * @example
 * if (isLotseError(e, "snapshot.version")) sendToMenu();
 */
export function isLotseError(error: unknown, code?: ErrorCode): error is LotseError {
  return error instanceof LotseError && (code === undefined || error.code === code);
}
