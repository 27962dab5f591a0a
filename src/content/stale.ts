/**
 * Which facts need checking again: city services and return pages whose
 * sources nobody has read, or read longer ago than staff should trust. The
 * list is grouped the way staff divide the work (a city's services, a
 * country's return pages), oldest first, so they can start at the top.
 */
import { cities } from "../domain/cities.ts";
import type { Sourced } from "./load.ts";
import type { ReturnInfo, Service } from "./services-schema.ts";

/** Facts older than this many days are listed for checking. */
export const staleAfterDays = 180;

/** One item to check: where it is, what it is, and how old its check is. */
export interface StaleItem {
  file: string;
  id: string;
  name: string;
  /** The day the sources were last read, or null when never. */
  lastVerified: string | null;
  /** Days since then, or null when never. */
  ageDays: number | null;
  /** Read but not every fact confirmed. */
  unconfirmed: boolean;
  sources: string[];
}

/** The items of one city (services) or country (return pages) to check. */
export interface StaleGroup {
  title: string;
  total: number;
  items: StaleItem[];
}

interface Checkable {
  id: string;
  lastVerified?: string | undefined;
  verified: boolean;
  sources: string[];
}

/**
 * The services and return pages to check, per city and per country.
 *
 * @example
 * const groups = staleItems(raw.services, raw.returnInfo, new Date(), 180);
 * groups[0]?.items[0]?.file; // "content/cities/mainz/mainz-vhs.yaml"
 */
export function staleItems(
  services: Sourced<Service>[],
  returnPages: Sourced<ReturnInfo>[],
  now: Date,
  days = staleAfterDays,
): StaleGroup[] {
  const groups: StaleGroup[] = [];
  for (const city of cities) {
    const here = services.filter((s) => s.value.city === city.id);
    groups.push(group(`${city.name} (${city.country}): services`, here, (s) => s.name, now, days));
  }
  const countries = [...new Set(returnPages.map((p) => p.value.country))];
  for (const country of countries) {
    const pages = returnPages.filter((p) => p.value.country === country);
    groups.push(group(`Return pages for ${country}`, pages, (p) => p.title.en ?? p.id, now, days));
  }
  return groups;
}

function group<T extends Checkable>(
  title: string,
  items: Sourced<T>[],
  nameOf: (item: T) => string,
  now: Date,
  days: number,
): StaleGroup {
  const stale = items
    .map(({ file, value }) => toStale(file, value, nameOf(value), now))
    .filter((item) => item.ageDays === null || item.ageDays > days || item.unconfirmed)
    .sort((a, b) => (b.ageDays ?? Number.POSITIVE_INFINITY) - (a.ageDays ?? Number.POSITIVE_INFINITY));
  return { title, total: items.length, items: stale };
}

function toStale(file: string, item: Checkable, name: string, now: Date): StaleItem {
  const ageDays =
    item.lastVerified === undefined
      ? null
      : Math.floor((now.getTime() - Date.parse(`${item.lastVerified}T00:00:00Z`)) / 86_400_000);
  return {
    file,
    id: item.id,
    name,
    lastVerified: item.lastVerified ?? null,
    ageDays,
    unconfirmed: item.lastVerified !== undefined && !item.verified,
    sources: item.sources,
  };
}

/**
 * The list as staff read it: a heading per group with how many of how many, then one line per item.
 *
 * @example
 * for (const line of formatStale(groups, 180)) console.log(line);
 */
export function formatStale(groups: StaleGroup[], days: number): string[] {
  const lines: string[] = [];
  let count = 0;
  for (const g of groups) {
    lines.push(`${g.title}: ${g.items.length} of ${g.total} to check`);
    for (const item of g.items) {
      const state =
        item.lastVerified === null
          ? "never checked"
          : item.ageDays !== null && item.ageDays > days
            ? `checked ${item.lastVerified} (${item.ageDays} days ago)`
            : `read ${item.lastVerified}, not every fact confirmed`;
      lines.push(`  ${state.padEnd(44)} ${item.name}  (${item.file})`);
      lines.push(`  ${"".padEnd(44)} check against: ${item.sources.join(" ")}`);
      count++;
    }
  }
  lines.push(`${count} item(s) to check: never checked, not fully confirmed, or checked more than ${days} days ago`);
  return lines;
}
