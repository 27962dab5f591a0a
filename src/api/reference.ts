/**
 * The API's reference page, rendered on the server from the OpenAPI document itself (no external
 * script or stylesheet): every operation with its method, path, summary, roles, parameters, body
 * schema and answers.
 */
import { html, raw } from "hono/html";

type Doc = ReturnType<import("@hono/zod-openapi").OpenAPIHono["getOpenAPI31Document"]>;

function schemaText(schema: unknown): string {
  return JSON.stringify(schema, null, 2);
}

/**
 * The page for a document.
 *
 * @example
 * c.html(renderReference(api.getOpenAPI31Document(apiInfo)));
 */
export function renderReference(doc: Doc) {
  const operations: ReturnType<typeof html>[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of ["get", "post", "put", "patch", "delete"] as const) {
      const op = (item as Record<string, Record<string, unknown> | undefined>)[method];
      if (!op) continue;
      const params =
        (op.parameters as { name: string; in: string; required?: boolean; description?: string }[] | undefined) ?? [];
      const body = (op.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.[
        "application/json"
      ]?.schema;
      const responses = Object.entries((op.responses as Record<string, { description?: string }>) ?? {});
      operations.push(html`<section id="${method}-${path}">
<h3><code>${method.toUpperCase()} /api${path}</code></h3>
<p>${String(op.summary ?? "")}</p>
${params.length ? html`<table><tr><th scope="col">Parameter</th><th scope="col">In</th><th scope="col">Required</th><th scope="col">About</th></tr>${params.map((p) => html`<tr><td><code>${p.name}</code></td><td>${p.in}</td><td>${p.required ? "yes" : "no"}</td><td>${p.description ?? ""}</td></tr>`)}</table>` : ""}
${body ? html`<details><summary>Request body (JSON schema)</summary><pre>${schemaText(body)}</pre></details>` : ""}
<ul>${responses.map(([code, r]) => html`<li><strong>${code}</strong> ${r.description ?? ""}</li>`)}</ul>
</section>`);
    }
  }
  return html`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lotse API reference</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:960px;margin:0 auto;padding:16px}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 8px;text-align:start}pre{background:#f4f4f4;padding:8px;overflow:auto}section{border-top:1px solid #ddd;margin-top:16px}</style></head>
<body><h1>${doc.info.title}</h1><p>${doc.info.description ?? ""}</p>
<p>The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${doc.openapi}).</p>
${raw(operations.map((o) => o.toString()).join("\n"))}
<section id="schemas"><h2>Schemas</h2>
${Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => html`<details id="schema-${name}"><summary><code>${name}</code></summary><pre>${schemaText(schema)}</pre></details>`)}
</section>
</body></html>`;
}
