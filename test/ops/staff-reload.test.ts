/**
 * Regression: a staff member removed from the configuration kept their rights
 * until a restart. STAFF_ADDRESSES is re-read from `.env` on SIGHUP (the real
 * environment, if it set the list at start, still wins).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Address } from "../../src/domain/address.ts";
import { silentLogger } from "../../src/log.ts";
import { parseStaff } from "../../src/staff/roles.ts";
import { currentStaffAddresses, reloadStaffOnHangup } from "../../src/startup/staff-reload.ts";

describe("reloading staff on SIGHUP", () => {
  const folder = mkdtempSync(join(tmpdir(), "lotse-staff-"));
  const envFile = join(folder, ".env");
  afterEach(() => {
    process.removeAllListeners("SIGHUP");
  });

  it("regression: someone removed from STAFF_ADDRESSES in .env loses the role at the next SIGHUP", async () => {
    writeFileSync(envFile, "PORT=3000\nSTAFF_ADDRESSES=telegram:1=staff,telegram:2=counsellor\n");
    const staff = parseStaff(currentStaffAddresses(envFile, false));
    expect(staff.rolesOf("telegram:1" as Address).has("staff")).toBe(true);
    reloadStaffOnHangup(staff, silentLogger, false, envFile);
    writeFileSync(envFile, "PORT=3000\nSTAFF_ADDRESSES=telegram:2=counsellor\n");
    process.emit("SIGHUP", "SIGHUP");
    expect(staff.rolesOf("telegram:1" as Address).size).toBe(0);
    expect(staff.rolesOf("telegram:2" as Address).has("counsellor")).toBe(true);
    rmSync(folder, { recursive: true, force: true });
  });

  it("keeps the list as it was when the new value is malformed", () => {
    const dir = mkdtempSync(join(tmpdir(), "lotse-staff-"));
    const file = join(dir, ".env");
    writeFileSync(file, "STAFF_ADDRESSES=telegram:1=staff\n");
    const staff = parseStaff(currentStaffAddresses(file, false));
    reloadStaffOnHangup(staff, silentLogger, false, file);
    writeFileSync(file, "STAFF_ADDRESSES=telegram:1=emperor\n");
    process.emit("SIGHUP", "SIGHUP");
    expect(staff.rolesOf("telegram:1" as Address).has("staff")).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  });
});
