import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact.ts';

describe('redactUrl', () => {
  it.each([
    ['/v0/postings/dayone/abc?key=dk_SECRET&mode=json', '/v0/postings/dayone/abc?key=[redacted]&mode=json'],
    ['/account/reset/Zt8x-secret', '/account/reset/[redacted]'],
    ['/account/sign-in/link/abcDEF?x=1', '/account/sign-in/link/[redacted]?x=1'],
    ['/account/verify?token=abc', '/account/verify?token=[redacted]'],
    ['/applications/confirm?token=abc&a=b', '/applications/confirm?token=[redacted]&a=b'],
    ['/alerts/unsubscribe?alert=3&sig=xyz', '/alerts/unsubscribe?alert=3&sig=[redacted]'],
    ['/jobs?q=engineer&team=legal', '/jobs?q=engineer&team=legal'],
    ['/principles', '/principles'],
  ])('keeps %s out of the logs as %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});
