/**
 * The terminal chat as a person (or a script) uses it: piped input, one
 * message a line, every reply printed, exit 0 at the end of input.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);

async function chat(lines: string[], args: string[] = []): Promise<{ stdout: string; code: number }> {
  const child = run("node", ["--import", "tsx", "src/channels/console/cli.ts", "--db", ":memory:", ...args], {
    env: { ...process.env, DATABASE_URL: "" },
  });
  child.child.stdin?.end(`${lines.join("\n")}\n`);
  const { stdout } = await child;
  return { stdout, code: child.child.exitCode ?? 0 };
}

describe("npm run chat with piped input", () => {
  it.each([
    ["English", ["hi", "English", "Leipzig", "yes", "menu"], "Main menu. What would you like to do?"],
    ["German", ["hallo", "Deutsch", "Leipzig", "ja", "menü"], "Hauptmenü. Was möchten Sie tun?"],
    ["Arabic", ["مرحبا", "العربية", "لايبزيغ", "نعم", "القائمة"], "القائمة الرئيسية"],
  ])("walks through onboarding to the menu in %s and exits 0", async (_name, lines, menu) => {
    const { stdout, code } = await chat(lines);
    expect(code).toBe(0);
    const answers = stdout.split(/^> /m);
    expect(answers).toHaveLength(lines.length + 1);
    expect(answers.at(-1)).toContain(menu);
    expect(answers.at(-1)).toMatch(/1\) \S/);
  });

  it("renders under WhatsApp's limits with --channel whatsapp: a list for more than 3 choices", async () => {
    const { stdout } = await chat(["hi", "English", "Leipzig"], ["--channel", "whatsapp"]);
    expect(stdout).toContain("[buttons]");
    expect(stdout).toContain("[list: Choose]");
  });

  it("stops with a clear message on an unknown option", async () => {
    await expect(
      run("node", ["--import", "tsx", "src/channels/console/cli.ts", "--colour", "red"]),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining("unknown option --colour"),
    });
  });
});
