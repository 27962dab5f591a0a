/**
 * Every area of the console and the API, in navigation order. A new area adds its page router here
 * and its API routes below; the server mounts both lists.
 */
import type { ApiArea } from "../api/app.ts";
import type { ConsoleArea } from "./routes.ts";
import { textPages } from "./texts.tsx";

/** The console's page areas under `/staff` (sign-in, staff and audit are built in). */
export const consoleAreas: ConsoleArea[] = [{ path: "/texts", routes: textPages }];

/** The API's areas under `/api` (staff and audit are built in). */
export const apiAreas: ApiArea[] = [];
