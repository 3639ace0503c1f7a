import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, withSessionSecret } from './config.ts';

const errorOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('gives working defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:3000',
      databaseUrl: undefined,
      dataDir: '.data',
      contentDir: 'content/default',
      logLevel: 'info',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every documented variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      PUBLIC_URL: 'https://jobs.example.com/',
      DATABASE_URL: 'postgres://u:p@db:5432/dayone',
      DATA_DIR: '/var/lib/dayone',
      SESSION_SECRET: 'x'.repeat(40),
      SMTP_URL: 'smtps://mail.example.com:465',
      CONTENT_DIR: '/srv/pack',
      LOG_LEVEL: 'warn',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      publicUrl: 'https://jobs.example.com',
      databaseUrl: 'postgres://u:p@db:5432/dayone',
      dataDir: '/var/lib/dayone',
      smtpUrl: 'smtps://mail.example.com:465',
      contentDir: '/srv/pack',
      logLevel: 'warn',
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT', 'PORT must be a number (got "abc")'],
    [{ PORT: '70000' }, 'PORT', 'PORT is out of range'],
    [{ PUBLIC_URL: 'careers.example.com' }, 'PUBLIC_URL', 'PUBLIC_URL must be a URL starting with http:// or https://'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', 'DATABASE_URL must be a URL starting with postgres:// or postgresql://'],
    [{ SMTP_URL: 'http://mail' }, 'SMTP_URL', 'SMTP_URL must be a URL starting with smtp:// or smtps://'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET', 'SESSION_SECRET must be at least 32 characters long'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ DATABASE_URL: 'postgres://db/x' }, 'SESSION_SECRET', 'SESSION_SECRET is required when DATABASE_URL is set'],
  ])('refuses %o with one line naming %s', (env, variable, message) => {
    const error = errorOf(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('\n');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 3000, databaseUrl: undefined });
  });
});

describe('withSessionSecret', () => {
  it('generates a secret once in the data folder and reuses it on the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'dayone-secret-'));
    const first = await withSessionSecret(loadConfig({ DATA_DIR: dataDir }));
    const second = await withSessionSecret(loadConfig({ DATA_DIR: dataDir }));
    expect(first.sessionSecret!.length).toBeGreaterThanOrEqual(32);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect((await readFile(join(dataDir, 'session-secret'), 'utf8')).trim()).toBe(first.sessionSecret);
    expect((await stat(join(dataDir, 'session-secret'))).mode & 0o777).toBe(0o600);
  });

  it('keeps a secret given in the environment', async () => {
    const config = loadConfig({ SESSION_SECRET: 's'.repeat(32), DATA_DIR: '/nonexistent' });
    expect((await withSessionSecret(config)).sessionSecret).toBe('s'.repeat(32));
  });
});

describe('S3 settings', () => {
  it('turn on S3 storage with a bucket and keys', () => {
    const config = loadConfig({ S3_BUCKET: 'resumes', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' });
    expect(config.s3).toEqual({ endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', bucket: 'resumes', accessKeyId: 'k', secretAccessKey: 's', forcePathStyle: true });
    expect(loadConfig({}).s3).toBeUndefined();
  });

  it('refuse a bucket without keys, naming the variable', () => {
    expect(() => loadConfig({ S3_BUCKET: 'resumes' })).toThrow('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required when S3_BUCKET is set');
  });
});

describe('TRUST_PROXY', () => {
  it('reads true, a number of hops or proxy addresses, and defaults to trusting none', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1,10.0.0.2' }).trustProxy).toBe('10.0.0.1,10.0.0.2');
  });
});

describe('OIDC settings', () => {
  const full = { OIDC_ISSUER: 'https://login.example.com', OIDC_CLIENT_ID: 'dayone', OIDC_CLIENT_SECRET: 'shh' };

  it('turn on single sign-on with an issuer, a client id and a secret, labelled "single sign-on" unless named', () => {
    expect(loadConfig(full).oidc).toEqual({ issuer: 'https://login.example.com', clientId: 'dayone', clientSecret: 'shh', label: 'single sign-on' });
    expect(loadConfig({ ...full, OIDC_LABEL: 'Okta' }).oidc?.label).toBe('Okta');
    expect(loadConfig({}).oidc).toBeUndefined();
  });

  it.each([
    [{ OIDC_ISSUER: 'https://login.example.com' }, 'OIDC_CLIENT_ID'],
    [{ OIDC_ISSUER: 'https://login.example.com', OIDC_CLIENT_ID: 'dayone' }, 'OIDC_CLIENT_SECRET'],
    [{ OIDC_CLIENT_ID: 'dayone', OIDC_CLIENT_SECRET: 'shh' }, 'OIDC_ISSUER'],
  ])('refuse a partial set %o with one line naming %s', (env, variable) => {
    const error = errorOf(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(`${variable} is required when`);
    expect(error.message).not.toContain('\n');
  });

  it('refuse an issuer that is not an http(s) URL', () => {
    const error = errorOf({ ...full, OIDC_ISSUER: 'login.example.com' });
    expect(error.variable).toBe('OIDC_ISSUER');
    expect(error.message).toContain('OIDC_ISSUER must be a URL starting with https:// or http://');
  });
});

describe('WEB_CONCURRENCY', () => {
  const server = { DATABASE_URL: 'postgres://u:p@db:5432/dayone', SESSION_SECRET: 'x'.repeat(40) };

  it('runs one server process unless told more, and more on a PostgreSQL server', () => {
    expect(loadConfig({}).webConcurrency).toBe(1);
    expect(loadConfig({ WEB_CONCURRENCY: '' }).webConcurrency).toBe(1);
    expect(loadConfig({ WEB_CONCURRENCY: '1' }).webConcurrency).toBe(1);
    expect(loadConfig({ ...server, WEB_CONCURRENCY: '4' }).webConcurrency).toBe(4);
  });

  it.each(['0', '-1', '1.5', 'two', 'auto', '65'])('refuses %j with one line naming the variable', (value) => {
    const error = errorOf({ ...server, WEB_CONCURRENCY: value });
    expect(error.variable).toBe('WEB_CONCURRENCY');
    expect(error.message).toBe(`WEB_CONCURRENCY must be a whole number from 1 to 64 (got "${value}")`);
  });

  it('refuses more than one process on the embedded database, which one process alone may open', () => {
    const error = errorOf({ WEB_CONCURRENCY: '2' });
    expect(error.variable).toBe('WEB_CONCURRENCY');
    expect(error.message).toBe('WEB_CONCURRENCY above 1 needs DATABASE_URL: the embedded database (PGlite) can be opened by one process only (got "2")');
    expect(error.message).not.toContain('\n');
  });
});
