/**
 * Every area of the console and the API, in navigation order. A new area adds its page router here
 * and its API routes below; the server mounts both lists.
 */
import type { ApiArea } from "../api/app.ts";
import { registerBroadcastsApi } from "../api/broadcasts.ts";
import { registerCertificatesApi } from "../api/certificates.ts";
import { registerClassesApi } from "../api/classes.ts";
import { registerMeetingsApi } from "../api/meetings.ts";
import { registerOverviewApi } from "../api/overview.ts";
import { registerReferralsApi } from "../api/referrals.ts";
import { registerServicesApi } from "../api/services.ts";
import { broadcastPages } from "./broadcasts.tsx";
import { certificatePages } from "./certificates.tsx";
import { classPages } from "./classes.tsx";
import { meetingPages } from "./meetings.tsx";
import { overviewPages } from "./overview.tsx";
import { referralPages } from "./referrals.tsx";
import type { ConsoleArea } from "./routes.ts";
import { servicePages } from "./services.tsx";
import { textPages } from "./texts.tsx";

/** The console's page areas under `/staff` (sign-in, staff and audit are built in). */
export const consoleAreas: ConsoleArea[] = [
  { path: "/meetings", routes: meetingPages },
  { path: "/broadcasts", routes: broadcastPages },
  { path: "/classes", routes: classPages },
  { path: "/referrals", routes: referralPages },
  { path: "/services", routes: servicePages },
  { path: "/certificates", routes: certificatePages },
  { path: "/texts", routes: textPages },
  // The overview is `/staff` itself (and `/staff/research`): its routes check the role one by one.
  { path: "/", routes: overviewPages },
];

/** The API's areas under `/api` (staff and audit are built in). */
export const apiAreas: ApiArea[] = [
  registerMeetingsApi,
  registerBroadcastsApi,
  registerOverviewApi,
  registerReferralsApi,
  registerClassesApi,
  registerServicesApi,
  registerCertificatesApi,
];
