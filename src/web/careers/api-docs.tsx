import type { ContentSnapshot } from '../../shared/contracts/content.ts';
import { Layout } from '../ui/Layout.tsx';
import type { Page } from './pages.tsx';

interface Parameter {
  name: string;
  in: string;
  description?: string;
  required?: boolean;
  schema?: { type?: string | string[]; enum?: unknown[]; items?: { enum?: unknown[]; type?: string }; default?: unknown };
}
interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  parameters?: Parameter[];
  responses: Record<string, { description: string }>;
}
interface OpenApi {
  info: { title: string; description: string; version: string };
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
}

function typeOf(schema: Parameter['schema']): string {
  if (!schema) return '';
  const values = schema.enum ?? schema.items?.enum;
  const base = schema.type === 'array' ? `list of ${schema.items?.type ?? 'values'}` : String(schema.type ?? '');
  return values ? `${base}: ${values.join(', ')}` : base;
}

/** A readable page of the API's OpenAPI document, rendered on the server. */
export function apiDocsPage(content: ContentSnapshot | undefined, doc: OpenApi): Page {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));
  return {
    meta: { title: 'API documentation', description: doc.info.description, path: '/api/v1/docs' },
    body: (
      <Layout organization={content?.organization ?? 'Day One'} section="none">
        <div className="container">
          <header className="page-head">
            <p className="eyebrow">Version {doc.info.version}</p>
            <h1>{doc.info.title}</h1>
            <p className="page-head__lead">{doc.info.description}</p>
            <p>
              Base URL: <code>{doc.servers[0]?.url}</code>. Machine-readable description: <a href="/api/v1/openapi.json">OpenAPI 3.1 document</a>. The
              job-board APIs that speak Greenhouse and Lever are described in the project's docs.
            </p>
          </header>
          <nav aria-label="Endpoints" className="section">
            <ul className="link-list">
              {operations.map(({ path, method, op }) => (
                <li key={op.operationId}>
                  <a href={`#${op.operationId}`}>
                    <code>
                      {method.toUpperCase()} {path}
                    </code>{' '}
                    — {op.summary}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          {operations.map(({ path, method, op }) => (
            <section key={op.operationId} id={op.operationId} className="section" aria-labelledby={`${op.operationId}-title`}>
              <h2 id={`${op.operationId}-title`}>
                <code>
                  {method.toUpperCase()} {path}
                </code>
              </h2>
              <p>
                <strong>{op.summary}.</strong> {op.description}
              </p>
              {op.parameters?.length ? (
                <div className="table-scroll">
                  <table className="api-table">
                    <caption className="visually-hidden">Parameters of {op.operationId}</caption>
                    <thead>
                      <tr>
                        <th scope="col">Parameter</th>
                        <th scope="col">In</th>
                        <th scope="col">Type</th>
                        <th scope="col">Meaning</th>
                      </tr>
                    </thead>
                    <tbody>
                      {op.parameters.map((p) => (
                        <tr key={p.name}>
                          <th scope="row">
                            <code>{p.name}</code>
                            {p.required ? ' (required)' : ''}
                          </th>
                          <td>{p.in}</td>
                          <td>{typeOf(p.schema)}</td>
                          <td>{p.description}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : null}
              <h3>Responses</h3>
              <ul>
                {Object.entries(op.responses).map(([status, r]) => (
                  <li key={status}>
                    <code>{status}</code> — {r.description}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </div>
      </Layout>
    ),
  };
}
