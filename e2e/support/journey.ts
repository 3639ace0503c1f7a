import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { testApp, type TestApp } from '../../test/support/test-app.ts';

/** Where journeys keep screenshots and other artifacts. */
export const artifacts = new URL('../../test-results/', import.meta.url).pathname;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, with the flags this sandbox needs (no network beyond loopback, no GPU). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export interface Site extends TestApp {
  url: string;
}

/** The real app with the default content pack, listening on a free loopback port. */
export async function startSite(): Promise<Site> {
  const t = await testApp();
  const url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  await mkdir(artifacts, { recursive: true });
  return { ...t, url };
}

/**
 * Runs axe-core on the page and fails on any serious or critical violation, listing them.
 * axe is injected through the DevTools protocol, which the page's CSP does not govern.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(axeSource);
  const { violations, passes } = await page.evaluate(async () => {
    type Rule = { id: string; impact: string; help: string; nodes: Array<{ target: string[] }> };
    const axe = (globalThis as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Rule[]; passes: Rule[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return {
      passes: result.passes.length,
      violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })),
    };
  });
  // axe really ran: it checked rules such as colour contrast and found them satisfied.
  expect(passes).toBeGreaterThan(10);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `axe found serious problems on ${page.url()}`).toEqual([]);
}

/** A context whose pages run with JavaScript switched off, as some candidates browse. */
export function noScriptContext(browser: Browser, viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  return browser.newContext({ javaScriptEnabled: false, viewport });
}
