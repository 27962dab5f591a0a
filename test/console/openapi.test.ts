/**
 * The API's document: valid OpenAPI 3.1, and every route registered under `/api` is in it (and
 * nothing is in it that is not registered), so the document cannot drift from the code.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRoutes } from "../../src/api/app.ts";
import { apiAreas } from "../../src/console/areas.ts";
import { createHttpApp } from "../../src/http/server.ts";
import { createTestApp, type TestApp } from "../support/app.ts";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp("sqlite");
});
afterAll(() => app.dispose());

/** `/meetings/:id` and `/meetings/{id}` as one key. */
function key(method: string, path: string): string {
  return `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ":$1")}`;
}

describe("/api/openapi.json", () => {
  it("validates as OpenAPI 3.1", async () => {
    const http = createHttpApp(app, { webChat: false });
    const res = await http.request("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string };
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("lists every route registered under /api, and only those", async () => {
    const api = apiRoutes(app, { areas: apiAreas });
    const doc = api.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "t", version: "1" } });
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths ?? {}))
      for (const method of Object.keys(item as object))
        if (["get", "post", "put", "patch", "delete"].includes(method)) documented.add(key(method, path));
    const registered = new Set(
      api.routes
        .filter((r) => r.method !== "ALL" && !["/openapi.json", "/docs"].includes(r.path))
        .map((r) => key(r.method, r.path)),
    );
    expect(registered.size).toBeGreaterThan(3);
    expect([...registered].filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented].filter((d) => !registered.has(d))).toEqual([]);
  });

  it("serves a reference page made from the document", async () => {
    const http = createHttpApp(app, { webChat: false });
    const page = await (await http.request("/api/docs")).text();
    expect(page).toContain("GET /api/staff");
    expect(page).toContain("DELETE /api/staff/{address}");
    expect(page).not.toMatch(/<script/i);
  });
});
