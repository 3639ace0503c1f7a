import { z } from 'zod';

/** Raised when an environment variable holds a value the app cannot use. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The typed, frozen settings of one process. Read from the environment once, by `loadConfig`. */
export interface Config {
  /** TCP port to listen on. */
  readonly port: number;
  /** Interface to bind; 0.0.0.0 listens on every interface. */
  readonly host: string;
  /** The address people use to reach the site, without a trailing slash; used in canonical links and emails. */
  readonly publicUrl: string;
  /** A PostgreSQL server; when absent the embedded PGlite database in `dataDir` is used. */
  readonly databaseUrl: string | undefined;
  /** Folder for the embedded database, the generated session secret and local files. */
  readonly dataDir: string;
  /** Signs session cookies. Generated and kept in `dataDir` when absent in embedded mode. */
  readonly sessionSecret: string | undefined;
  /** SMTP server for mail; when absent mail goes to the outbox in the database. */
  readonly smtpUrl: string | undefined;
  /** The content pack loaded on first start and by `dayone content load` without a folder. */
  readonly contentDir: string;
  /** pino log level. */
  readonly logLevel: (typeof logLevels)[number];
  /** The board token (Greenhouse-compatible API) and site name (Lever-compatible API) of this careers site. */
  readonly boardToken: string;
  /** How often a node checks whether another node loaded new content, in milliseconds. */
  readonly contentRefreshMs: number;
  /** Days after a person's last application closed before retention erases them (unless kept; see docs/privacy.md). */
  readonly retentionDays: number;
  /** Recent search results kept per node until the catalogue changes; 0 turns the result cache off. */
  readonly searchCacheEntries: number;
  /** Server processes `dayone serve` runs (node:cluster); above 1 only on a PostgreSQL server. */
  readonly webConcurrency: number;
  /** Which proxies in front may name the client's address (X-Forwarded-For), for rate limits and logs. */
  readonly trustProxy: boolean | number | string;
  /** An S3-compatible bucket for resumes; when absent they are kept in DATA_DIR/files. */
  readonly s3:
    | { endpoint: string | undefined; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean }
    | undefined;
  /** OpenID Connect single sign-on for staff; undefined when the OIDC_* variables are unset. */
  readonly oidc: { issuer: string; clientId: string; clientSecret: string; label: string } | undefined;
}

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`);

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const wholeProcesses = 'must be a whole number from 1 to 64';

const envSchema = z.object({
  // Port the HTTP server listens on.
  PORT: optional(z.coerce.number().int().min(1).max(65535)).default(3000),
  // Interface to bind.
  HOST: optional(z.string().trim().min(1)).default('0.0.0.0'),
  // Public base URL, e.g. https://careers.example.com.
  PUBLIC_URL: optional(url(['http:', 'https:'])),
  // postgres://user:pass@host:5432/db — unset means the embedded PGlite database.
  DATABASE_URL: optional(url(['postgres:', 'postgresql:'])),
  // Folder for local state (embedded database, generated secret, uploaded files).
  DATA_DIR: optional(z.string().trim().min(1)).default('.data'),
  // At least 32 characters; required with DATABASE_URL so every node signs alike.
  SESSION_SECRET: optional(z.string().min(32, 'must be at least 32 characters long')),
  // smtp://user:pass@host:587 or smtps://… — unset means the database outbox.
  SMTP_URL: optional(url(['smtp:', 'smtps:'])),
  // Content pack folder.
  CONTENT_DIR: optional(z.string().trim().min(1)).default('content/default'),
  // Names this site in the job-board APIs: /v1/boards/<token>/… and /v0/postings/<token>.
  BOARD_TOKEN: optional(z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lowercase letters, digits and hyphens')).default('dayone'),
  // Days after the last application closed before a person's data is erased; at least 30.
  // S3-compatible storage for resumes: the bucket turns it on; the endpoint is needed for anything but AWS.
  S3_BUCKET: optional(z.string().trim().min(3).max(63)),
  S3_ENDPOINT: optional(url(['http:', 'https:'])),
  S3_REGION: optional(z.string().trim().min(1)).default('us-east-1'),
  S3_ACCESS_KEY_ID: optional(z.string().trim().min(1)),
  S3_SECRET_ACCESS_KEY: optional(z.string().min(1)),
  // true for MinIO and most self-hosted servers (bucket in the path); false for virtual-host style.
  S3_FORCE_PATH_STYLE: optional(z.enum(['true', 'false'])).default('true'),
  // Behind a load balancer: true, the number of proxy hops, or their addresses (comma-separated) — so rate limits see each client.
  TRUST_PROXY: optional(z.string().trim().regex(/^(true|false|\d{1,2}|[\w.:/,\s-]+)$/, 'must be true, false, a number of hops or proxy addresses')).default('false'),
  // OpenID Connect single sign-on for staff: all three or none. The issuer's discovery document must answer at
  // <issuer>/.well-known/openid-configuration; http:// only for a provider on a private network or in tests.
  OIDC_ISSUER: optional(url(['https:', 'http:'])),
  OIDC_CLIENT_ID: optional(z.string().trim().min(1)),
  OIDC_CLIENT_SECRET: optional(z.string().min(1)),
  // The words after "Sign in with" on the staff sign-in button, e.g. "Okta" or "Google Workspace".
  OIDC_LABEL: optional(z.string().trim().min(1).max(60, 'must be at most 60 characters')).default('single sign-on'),
  RETENTION_DAYS: optional(z.coerce.number().int().min(30, 'must be a whole number of at least 30')).default(365),
  // Recent search results each node keeps until the catalogue changes; 0 runs every search (benchmarks).
  SEARCH_CACHE_ENTRIES: optional(z.coerce.number().int().min(0).max(100_000, 'must be a whole number from 0 to 100000')).default(1000),
  // Server processes sharing the port, e.g. one per core; above 1 needs DATABASE_URL (PGlite is one process's).
  WEB_CONCURRENCY: optional(z.coerce.number(wholeProcesses).int(wholeProcesses).min(1, wholeProcesses).max(64, wholeProcesses)).default(1),
  // One of fatal, error, warn, info, debug, trace, silent.
  LOG_LEVEL: optional(z.enum(logLevels)).default('info'),
});

/**
 * Parses the environment into a frozen Config, or throws a ConfigError naming the first
 * variable that is wrong. The only place in the app that reads environment variables.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0]);
    const got = env[variable];
    throw new ConfigError(variable, `${variable} ${describeIssue(issue)} (got ${JSON.stringify(got)})`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.SESSION_SECRET) {
    throw new ConfigError(
      'SESSION_SECRET',
      'SESSION_SECRET is required when DATABASE_URL is set, so that every node signs sessions alike',
    );
  }
  if (e.WEB_CONCURRENCY > 1 && !e.DATABASE_URL) {
    throw new ConfigError(
      'WEB_CONCURRENCY',
      `WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database (PGlite) can be opened by one process only (got ${JSON.stringify(env.WEB_CONCURRENCY)})`,
    );
  }
  if (e.S3_BUCKET && (!e.S3_ACCESS_KEY_ID || !e.S3_SECRET_ACCESS_KEY)) {
    throw new ConfigError('S3_ACCESS_KEY_ID', 'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required when S3_BUCKET is set');
  }
  const oidcGiven = (['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const).filter((name) => e[name] !== undefined);
  if (oidcGiven.length > 0 && oidcGiven.length < 3) {
    const missing = (['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET'] as const).find((name) => e[name] === undefined)!;
    throw new ConfigError(missing, `${missing} is required when ${oidcGiven.join(' and ')} ${oidcGiven.length === 1 ? 'is' : 'are'} set: single sign-on needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET`);
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    sessionSecret: e.SESSION_SECRET,
    smtpUrl: e.SMTP_URL,
    contentDir: e.CONTENT_DIR,
    logLevel: e.LOG_LEVEL,
    boardToken: e.BOARD_TOKEN,
    contentRefreshMs: 5_000,
    retentionDays: e.RETENTION_DAYS,
    searchCacheEntries: e.SEARCH_CACHE_ENTRIES,
    webConcurrency: e.WEB_CONCURRENCY,
    trustProxy: e.TRUST_PROXY === 'true' ? true : e.TRUST_PROXY === 'false' ? false : /^\d+$/.test(e.TRUST_PROXY) ? Number(e.TRUST_PROXY) : e.TRUST_PROXY,
    s3: e.S3_BUCKET
      ? {
          endpoint: e.S3_ENDPOINT,
          region: e.S3_REGION,
          bucket: e.S3_BUCKET,
          accessKeyId: e.S3_ACCESS_KEY_ID!,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY!,
          forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true',
        }
      : undefined,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET, label: e.OIDC_LABEL }
        : undefined,
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.message.startsWith('must') ? issue.message : 'must be a number';
    case 'too_small':
    case 'too_big':
      return issue.message.startsWith('must') ? issue.message : `is out of range: ${issue.message}`;
    case 'invalid_value':
      return `must be one of ${issue.values.join(', ')}`;
    default:
      return issue.message.startsWith('must') ? issue.message : `is invalid: ${issue.message}`;
  }
}

/**
 * Returns the config with a session secret. In embedded mode a missing secret is generated
 * once and kept in DATA_DIR/session-secret (mode 0600), so sessions survive restarts.
 */
export async function withSessionSecret(config: Config): Promise<Config> {
  if (config.sessionSecret) return config;
  const { mkdir, readFile, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { randomBytes } = await import('node:crypto');
  const file = join(config.dataDir, 'session-secret');
  await mkdir(config.dataDir, { recursive: true });
  let secret: string;
  try {
    secret = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    secret = randomBytes(32).toString('base64url');
    // 'wx' fails if another process wrote it first; then we read theirs.
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' }).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
      secret = (await readFile(file, 'utf8')).trim();
    });
  }
  if (secret.length < 32) throw new ConfigError('SESSION_SECRET', `${file} holds a secret shorter than 32 characters`);
  return Object.freeze({ ...config, sessionSecret: secret });
}
