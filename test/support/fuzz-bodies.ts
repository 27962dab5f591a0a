/**
 * Webhook bodies for fuzzing, from a seeded generator so that a failure can be
 * reproduced from the seed it prints: random text, truncated JSON, wrong
 * types, deep nesting, 1 MB strings, lone surrogates, and the captured real
 * samples of each channel (src/channels/<channel>/samples) mutated.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The channels with webhooks. */
export type FuzzChannel = "telegram" | "whatsapp";

/** A seeded pseudo-random generator (mulberry32): the same seed gives the same bodies. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
}

/**
 * A generator for `seed`.
 *
 * @example
 * const rng = seededRng(42); rng.int(10);
 */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)] as (typeof items)[number] };
}

/** The captured samples of a channel, parsed. */
export function loadSamples(channel: FuzzChannel): unknown[] {
  const dir = join(import.meta.dirname, "../../src/channels", channel, "samples");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as unknown);
}

const loneSurrogates = ["\ud800", "\udfff", "a\ud83d", "\ude00b", "\ud83d\ud83d"];

function randomText(rng: Rng, max: number): string {
  const length = rng.int(max);
  let out = "";
  for (let i = 0; i < length; i++) {
    const roll = rng.int(10);
    // Mostly ASCII (JSON's own characters among them), some control characters, some of every plane.
    if (roll < 5) out += String.fromCharCode(32 + rng.int(95));
    else if (roll < 6) out += String.fromCharCode(rng.int(32));
    else if (roll < 7) out += rng.pick(loneSurrogates);
    else out += String.fromCodePoint(rng.int(0x10ffff + 1 - 0x800) + 0x800).replace(/[\ud800-\udfff]/g, "x");
  }
  return out;
}

/** A value of a random JSON type, or an awkward one of a familiar type. */
function randomValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 2 ? 9 : 12)) {
    case 0:
      return null;
    case 1:
      return rng.next() < 0.5;
    case 2:
      return rng.pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER, 5123456789]);
    case 3:
      return rng.pick(["", "undefined", "null", "NaN", "0", "-1", "1e999", "__proto__", "constructor"]);
    case 4:
      return randomText(rng, 40);
    case 5:
      return rng.pick(loneSurrogates);
    case 6:
      return "x".repeat(rng.int(20) === 0 ? 200_000 : 5_000);
    case 7:
      return String(rng.int(1e15));
    case 8:
      return rng.pick(["private", "group", "text", "interactive", "messages", "whatsapp_business_account"]);
    case 9:
      return [randomValue(rng, depth + 1), randomValue(rng, depth + 1)];
    case 10:
      return { [randomText(rng, 8)]: randomValue(rng, depth + 1) };
    default:
      return { id: randomValue(rng, depth + 1), type: randomValue(rng, depth + 1) };
  }
}

/** Every path to a value inside `value` (objects and arrays), for mutations. */
function paths(
  value: unknown,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (typeof value !== "object" || value === null) return out;
  for (const [key, inner] of Object.entries(value)) {
    const path = [...prefix, Array.isArray(value) ? Number(key) : key];
    out.push(path);
    paths(inner, path, out);
  }
  return out;
}

function parentOf(root: unknown, path: (string | number)[]): Record<string | number, unknown> | undefined {
  let node = root as Record<string | number, unknown> | undefined;
  for (const key of path.slice(0, -1)) node = node?.[key] as Record<string | number, unknown> | undefined;
  return typeof node === "object" && node !== null ? node : undefined;
}

/** A real sample with a few random changes: a value of another type, a key removed, a part doubled. */
function mutate(rng: Rng, sample: unknown, channel: FuzzChannel): unknown {
  const copy = structuredClone(sample) as Record<string, unknown>;
  // New ids, so the engine does not skip them as seen: they go all the way through.
  if (channel === "telegram") copy.update_id = rng.int(2 ** 31);
  else
    for (const path of paths(copy).filter((p) => p.at(-1) === "id" && p.includes("messages"))) {
      const parent = parentOf(copy, path);
      if (parent) parent[path.at(-1) as string] = `wamid.FUZZ${rng.int(2 ** 31)}`;
    }
  const all = paths(copy);
  const changes = 1 + rng.int(3);
  for (let i = 0; i < changes && all.length > 0; i++) {
    const path = rng.pick(all);
    const parent = parentOf(copy, path);
    if (!parent) continue;
    const key = path.at(-1) as string | number;
    // An earlier change may have turned the parent into an array: `length` there is not a field.
    if (Array.isArray(parent) && typeof key !== "number") continue;
    const roll = rng.int(4);
    if (roll === 0) delete parent[key];
    else if (roll === 1 && Array.isArray(parent)) parent.push(structuredClone(parent[key as number]));
    else parent[key] = randomValue(rng);
  }
  return copy;
}

function deepNesting(rng: Rng, channel: FuzzChannel): string {
  const depth = 1_000 + rng.int(60_000);
  const open = rng.next() < 0.5 ? "[".repeat(depth) : '{"a":'.repeat(depth);
  const close = open.startsWith("[") ? "]".repeat(depth) : "}".repeat(depth);
  const inner = `${open}1${close}`;
  // Inside a field the parser reads, or as the whole body.
  if (rng.next() < 0.5) return inner;
  return channel === "telegram"
    ? `{"update_id":${rng.int(1e9)},"message":${inner}}`
    : `{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[${inner}]}}]}]}`;
}

/**
 * One fuzzed webhook body for `channel`, as the raw text to POST.
 *
 * @example
 * const body = fuzzBody(seededRng(7), "telegram", loadSamples("telegram"));
 */
export function fuzzBody(rng: Rng, channel: FuzzChannel, samples: readonly unknown[]): string {
  const sample = rng.pick(samples);
  const roll = rng.int(100);
  // Huge bodies are few (they cost time, not coverage); mutated real samples go deepest, so they are most.
  if (roll < 3) return deepNesting(rng, channel);
  if (roll < 6) {
    // A 1 MB string: above the body limit (413), or just below it (it reaches the parser).
    const big = rng.next() < 0.5 ? 1_048_576 : 250_000;
    const body = mutate(rng, sample, channel) as Record<string, unknown>;
    body[rng.pick(["message", "callback_query", "entry", "object", "filler"])] = "y".repeat(big);
    return JSON.stringify(body);
  }
  if (roll < 18) return randomText(rng, 400);
  if (roll < 33) {
    const json = JSON.stringify(mutate(rng, sample, channel));
    return json.slice(0, rng.int(json.length));
  }
  if (roll < 45) {
    // Lone surrogates escaped the way JSON allows them, where text and ids go.
    const json = JSON.stringify(mutate(rng, sample, channel));
    return json.replace(
      /"(hi|hello|lang\.ar|menu|wamid[^"]*|private|text)"/g,
      () => `"${rng.pick(["\\ud800", "\\udfff", "a\\ud83d"])}"`,
    );
  }
  if (roll < 55) return JSON.stringify(randomValue(rng));
  return JSON.stringify(mutate(rng, sample, channel));
}
