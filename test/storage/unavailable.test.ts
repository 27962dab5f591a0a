/**
 * Which errors count as "the database is unavailable" (answered 503 so the
 * platform retries) and which are bugs (apologised for and acknowledged).
 * The outage tests make the real databases fail; this covers the codes they
 * cannot easily produce (a Postgres failover, a dropped connection).
 */
import { describe, expect, it } from "vitest";
import { LotseError } from "../../src/domain/errors.ts";
import { isStorageUnavailable, storageCode, storageUnavailable } from "../../src/storage/unavailable.ts";

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe("isStorageUnavailable", () => {
  it.each([
    "SQLITE_BUSY",
    "SQLITE_BUSY_SNAPSHOT",
    "SQLITE_FULL",
    "SQLITE_IOERR_WRITE",
    "SQLITE_READONLY",
    "57P01", // admin shutdown
    "08006", // connection failure
    "53100", // disk full
    "55P03", // lock timeout
    "25006", // read-only transaction on a standby after a failover
    "ECONNREFUSED",
  ])("%s is unavailable", (code) => {
    expect(isStorageUnavailable(coded(code))).toBe(true);
  });

  it.each([
    ["a flow's TypeError", new TypeError("cannot read properties of undefined")],
    ["a unique violation (a bug in a query)", coded("23505")],
    ["a syntax error", coded("42601")],
    ["an SQLite constraint", coded("SQLITE_CONSTRAINT_UNIQUE")],
    ["another LotseError", new LotseError("address.invalid", "x")],
  ])("%s is not", (_, error) => {
    expect(isStorageUnavailable(error)).toBe(false);
  });

  it("looks through causes, and keeps the database's own code", () => {
    const wrapped = storageUnavailable(
      new LotseError("storage.failed", "write failed", { cause: coded("SQLITE_FULL") }),
    );
    expect(isStorageUnavailable(new Error("outer", { cause: wrapped }))).toBe(true);
    expect(storageCode(wrapped)).toBe("SQLITE_FULL");
    expect(isStorageUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
  });
});
