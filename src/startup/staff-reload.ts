/**
 * Changing who is staff without a restart: edit `STAFF_ADDRESSES` in `.env`
 * and send the process SIGHUP (`kill -HUP <pid>`). Rights are checked when an
 * action runs, so someone removed loses them from their next action on, even
 * in the middle of a flow. A value set in the real environment at start wins
 * over the file, as it does at start; a bad value is logged and the list stays
 * as it was.
 */
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import type { Logger } from "../log.ts";
import type { StaffDirectory } from "../staff/roles.ts";

/**
 * The staff list as it should be now: the real environment's value if it had one at start, else the file's.
 *
 * @example
 * staff.replace(currentStaffAddresses(".env", false));
 */
export function currentStaffAddresses(path: string, fromEnvironment: boolean): string | undefined {
  if (fromEnvironment) return process.env.STAFF_ADDRESSES;
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const value = parseEnv(text).STAFF_ADDRESSES;
  return value?.trim() ? value : undefined;
}

/**
 * Reloads the staff list on SIGHUP. `fromEnvironment`: whether STAFF_ADDRESSES was in the real
 * environment before `.env` was loaded.
 *
 * @example
 * const fromEnvironment = process.env.STAFF_ADDRESSES !== undefined;
 * loadEnvFile();
 * // ... build the app, then:
 * reloadStaffOnHangup(app.staff, logger, fromEnvironment);
 */
export function reloadStaffOnHangup(
  staff: StaffDirectory,
  logger: Logger,
  fromEnvironment: boolean,
  path = ".env",
): void {
  process.on("SIGHUP", () => {
    try {
      staff.replace(currentStaffAddresses(path, fromEnvironment));
      logger.info("staff.reloaded", { from: fromEnvironment ? "environment" : path });
    } catch (error) {
      logger.error("staff.reload_failed", { error });
    }
  });
}
