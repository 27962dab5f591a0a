/**
 * Local time in a person's time zone, from UTC instants and back. Everything
 * is stored in UTC; these turn "8:00 in Lund" into an instant, across
 * daylight-saving changes.
 */

const partsFormat = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let format = partsFormat.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    partsFormat.set(timeZone, format);
  }
  return format;
}

/** Local calendar fields, as read for one zone and one minute of UTC. */
interface LocalFields {
  day: string;
  hour: number;
  minute: number;
}

/**
 * The last minute read per zone: every message asks for "today" in the person's zone, and
 * `formatToParts` was 2% of a message's CPU. Zone offsets are whole minutes, so the fields of a UTC
 * minute are those of every instant in it.
 */
const lastMinute = new Map<string, { minute: number; fields: LocalFields }>();

/** The local calendar fields of an instant. */
export function localParts(at: Date, timeZone: string): LocalFields {
  const minute = Math.floor(at.getTime() / 60_000);
  const cached = lastMinute.get(timeZone);
  if (cached?.minute === minute) return { ...cached.fields };
  const parts = Object.fromEntries(
    formatFor(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const fields = {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
  // formatFor(timeZone) above has refused an unknown zone, so the map holds real zones only.
  lastMinute.set(timeZone, { minute, fields });
  return { ...fields };
}

/**
 * The local calendar day (YYYY-MM-DD) of an instant.
 *
 * @example
 * localDay(new Date("2026-03-01T22:30:00Z"), "Europe/Istanbul"); // "2026-03-02"
 */
export function localDay(at: Date, timeZone: string): string {
  return localParts(at, timeZone).day;
}

/** Minutes the zone is ahead of UTC at an instant. */
function offsetMinutes(at: Date, timeZone: string): number {
  const { day, hour, minute } = localParts(at, timeZone);
  const asUtc = Date.parse(`${day}T${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}:00Z`);
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The instant when it is `hour`:00 on local `day` in the zone. In the hour a
 * clock skips in spring, the instant after the jump.
 *
 * @example
 * zonedInstant("2026-03-29", 8, "Europe/Rome"); // 2026-03-29T06:00:00Z (summer time)
 */
export function zonedInstant(day: string, hour: number, timeZone: string): Date {
  const naive = Date.parse(`${day}T${String(hour).padStart(2, "0")}:00:00Z`);
  let guess = naive - offsetMinutes(new Date(naive), timeZone) * 60_000;
  guess = naive - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
}

/** The next day after a local day (YYYY-MM-DD). */
export function nextDay(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/**
 * The first instant at or after `now` when the local time is `hour`:00.
 *
 * @example
 * nextLocalOccurrence(new Date("2026-03-01T07:30:00Z"), "Europe/Berlin", 8); // 2026-03-02T07:00:00Z
 */
export function nextLocalOccurrence(now: Date, timeZone: string, hour: number): Date {
  const today = localDay(now, timeZone);
  const candidate = zonedInstant(today, hour, timeZone);
  return candidate.getTime() >= now.getTime() ? candidate : zonedInstant(nextDay(today), hour, timeZone);
}

/**
 * A date and time typed by a person in their time zone: "2026-03-05 18:00",
 * "5.3.2026 18:00" or "05/03/2026 18:30" (day first). Undefined if it is not one.
 *
 * @example
 * parseLocalDateTime("5.3.2026 18:00", "Europe/Berlin"); // 2026-03-05T17:00:00Z
 */
export function parseLocalDateTime(text: string, timeZone: string): Date | undefined {
  const t = text.trim().normalize("NFKC");
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2})[:.](\d{2})$/.exec(t);
  const dayFirst = /^(\d{1,2})[./](\d{1,2})[./](\d{4})[ ,]+(\d{1,2})[:.](\d{2})$/.exec(t);
  const parts = iso
    ? { y: iso[1], mo: iso[2], d: iso[3], h: iso[4], mi: iso[5] }
    : dayFirst
      ? { y: dayFirst[3], mo: dayFirst[2], d: dayFirst[1], h: dayFirst[4], mi: dayFirst[5] }
      : undefined;
  if (!parts) return undefined;
  const [y, mo, d, h, mi] = [parts.y, parts.mo, parts.d, parts.h, parts.mi].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
  const day = `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  if (new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) return undefined;
  return new Date(zonedInstant(day, h, timeZone).getTime() + mi * 60_000);
}
