/**
 * Finding certificates the way staff look for them: by the name the person chose, by a course as its
 * title reads in any language ("Sicher im Internet", "Money online"), or by the number, whole, in part
 * or inside a pasted check link.
 */
import type { ContentPack } from "../content/pack.ts";
import type { Store } from "../storage/store.ts";
import { listCertificates, type StoredCertificate } from "./repository.ts";

/**
 * The newest certificates (at most 100) matching `search`, or the newest of all without one.
 *
 * @example
 * await searchCertificates(app.store, app.content, "Sicher im Internet");
 */
export function searchCertificates(store: Store, pack: ContentPack, search: string): Promise<StoredCertificate[]> {
  const term = search.trim().toLowerCase();
  if (!term) return listCertificates(store.db, { limit: 100 });
  const courses = pack.courses
    .filter((c) => Object.values(c.title).some((title) => title.toLowerCase().includes(term)))
    .map((c) => c.id);
  return listCertificates(store.db, { search, courses, limit: 100 });
}
