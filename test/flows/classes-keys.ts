/**
 * What counts as the same state when the class flows are walked (test/flows/classes-model.test.ts):
 * a state with only what changes its questions and choices, so a walk over every draft a person can
 * type stays small enough to repeat in every language. What the coarser states leave out (the words a
 * person typed, the 3rd to 19th language picked) is walked on its own in the longest-things tests.
 */

interface Snapshot {
  value: string;
  context: Record<string, unknown>;
}

const parse = (snapshot: string) => JSON.parse(snapshot) as Snapshot;
const count = (list: unknown) => Math.min(Array.isArray(list) ? list.length : 0, 2);

/**
 * The learner's class flow: which class is open, how many there are, and whether the learner chose
 * a name for the open one and how they answered its session (the answer given is no longer offered).
 *
 * @example
 * walkFlow(flow, input, 2_000, { stateKey: learnerKey });
 */
export function learnerKey(snapshot: string): string {
  const { value, context: c } = parse(snapshot);
  const data = c.data as {
    join: { kind: string } | null;
    classes: { id: number; displayName: string | null; session: { answer: unknown; waiting: boolean } | null }[];
  };
  const open = data.classes.find((v) => v.id === c.classId);
  const shown = open && [open.displayName !== null, open.session?.answer, open.session?.waiting];
  return JSON.stringify([value, c.classId, c.start, data.join?.kind, data.classes.length, shown]);
}

/**
 * The new-class draft: online or in a city, and how many languages and courses were picked (after the
 * second, picking another asks nothing new).
 *
 * @example
 * walkFlow(teachingFlow, input, 2_000, { stateKey: draftKey });
 */
export function draftKey(snapshot: string): string {
  const { value, context } = parse(snapshot);
  const d = context.draft as { city: string | null; languages: string[]; courses: string[]; capacity: unknown };
  return JSON.stringify([value, d.city === null, count(d.languages), count(d.courses), d.capacity === null]);
}

/**
 * A class screen with only what it shows: a session draft (a place or a link), the ticks, the
 * languages written so far. Each is started afresh, so what is left of it at the list of actions
 * changes nothing.
 *
 * @example
 * walkFlow(teachingClassFlow, input, 2_000, { stateKey: classKey });
 */
export function classKey(snapshot: string): string {
  const { value, context: c } = parse(snapshot);
  const s = c.session as { startsAt: string; place: string | null; onlineUrl: string | null };
  const session = [s.startsAt !== "", s.place !== null, s.onlineUrl !== null];
  const written = Object.keys(c.texts as Record<string, string>);
  const shown: Record<string, unknown[]> = {
    when: session,
    minutes: session,
    where: session,
    link: session,
    confirmSession: session,
    marking: [c.meetingId, c.marks],
    text: [written, c.langIndex],
    confirmMessage: [written],
  };
  return JSON.stringify([value, c.allowed, (c.cls as { id: number } | null)?.id, ...(shown[value] ?? [])]);
}
