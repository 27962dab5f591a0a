/**
 * Who may see a class and its learners: its teacher and admins, nobody else (counsellors and other
 * teachers included). Checked on every console page, API call and chat action that names a class.
 */
import type { Address } from "../domain/address.ts";
import type { ClassRecord } from "./repository.ts";

/** The roles that matter here, as the console's session or the staff directory gives them. */
export interface ClassViewer {
  address: Address;
  roles: readonly string[];
}

/**
 * Whether this person may see the class and its learners.
 *
 * @example
 * canSeeClass({ address: "telegram:7", roles: ["teacher"] }, cls); // true only when cls.teacher is telegram:7
 */
export function canSeeClass(viewer: ClassViewer, cls: ClassRecord): boolean {
  if (viewer.roles.includes("admin")) return true;
  return viewer.roles.includes("teacher") && cls.teacher === viewer.address;
}

/** Whether this person may create classes (a teacher or an admin). */
export function canTeach(viewer: ClassViewer): boolean {
  return viewer.roles.includes("teacher") || viewer.roles.includes("admin");
}

/**
 * The `teacher` filter for listing classes: none for admins (all classes), the viewer's own address
 * for a teacher.
 */
export function classListScope(viewer: ClassViewer): { teacher?: Address } {
  return viewer.roles.includes("admin") ? {} : { teacher: viewer.address };
}
