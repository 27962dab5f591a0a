import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { isLotseError } from "../src/domain/errors.ts";

function errorOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (isLotseError(error, "config.invalid")) return error.message;
    throw error;
  }
  throw new Error("expected the configuration to be rejected");
}

describe("configuration", () => {
  it("uses the embedded defaults when nothing is set, and treats empty variables as unset", () => {
    const config = loadConfig({ PORT: "", DATABASE_URL: " ", DEFAULT_TIME_ZONE: "" });
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: "./data",
      DEFAULT_TIME_ZONE: "Europe/Berlin",
      WEB_CHAT: "auto",
    });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://localhost/db" }, "DATABASE_URL"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ DEFAULT_TIME_ZONE: "Mars/Olympus" }, "DEFAULT_TIME_ZONE"],
    [{ WEB_CHAT: "maybe" }, "WEB_CHAT"],
  ])("stops on a bad value and names the variable: %o", (env, name) => {
    expect(errorOf(env)).toMatch(new RegExp(`^\\s*${name}: `, "m"));
  });

  it("names every bad variable at once", () => {
    const message = errorOf({ PORT: "x", LOG_LEVEL: "y" });
    expect(message).toContain("PORT");
    expect(message).toContain("LOG_LEVEL");
  });
});

describe("staff addresses", () => {
  it("reads addresses with roles, plain staff by default", async () => {
    const { parseStaff } = await import("../src/staff/roles.ts");
    const staff = parseStaff("telegram:1=counsellor, whatsapp:4915112345678, console:anna=admin+counsellor");
    expect(staff.withRole("counsellor")).toEqual(["telegram:1", "console:anna"]);
    expect([...staff.rolesOf("whatsapp:4915112345678")]).toEqual(["staff"]);
  });

  it.each([
    ["telegram:1=boss", /unknown role "boss"/],
    ["12345", /"12345" is not an address/],
  ])("stops on %s with a clear message", async (value, message) => {
    const { parseStaff } = await import("../src/staff/roles.ts");
    expect(() => parseStaff(value)).toThrow(message);
  });
});

describe("channel credentials", () => {
  it("asks for every WhatsApp credential when the token is set", () => {
    const message = errorOf({ WHATSAPP_TOKEN: "EAAG-a-long-enough-token" });
    for (const name of ["WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"]) {
      expect(message).toContain(`${name}: required when WHATSAPP_TOKEN is set`);
    }
  });

  it("rejects a malformed Telegram token and webhook secret", () => {
    expect(errorOf({ TELEGRAM_BOT_TOKEN: "not-a-token" })).toContain("TELEGRAM_BOT_TOKEN: a bot token from BotFather");
    expect(errorOf({ TELEGRAM_WEBHOOK_SECRET: "has spaces in it" })).toContain("TELEGRAM_WEBHOOK_SECRET");
  });
});

describe("defaults that go through their schema", () => {
  it("regression: QUIET_HOURS unset is 21 to 8 as hours, not the raw string (nudges came at 3 a.m.)", () => {
    expect(loadConfig({}).QUIET_HOURS).toEqual({ start: 21, end: 8 });
    expect(loadConfig({ QUIET_HOURS: "" }).QUIET_HOURS).toEqual({ start: 21, end: 8 });
    expect(loadConfig({ QUIET_HOURS: "22-7" }).QUIET_HOURS).toEqual({ start: 22, end: 7 });
  });
});
