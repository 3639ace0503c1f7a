import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJob } from '../test/support/builders.ts';
import { createJobs } from '../src/server/features/jobs/jobs.service.ts';
import { artifacts, expectAccessible, launchBrowser, noScriptContext, startSite, type Site } from './support/journey.ts';

let browser: Browser;
let site: Site;

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
  await createJobs({
    db: site.database.db,
    inputs: [
      buildJob({ title: 'Software Development Engineer, Payments' }),
      buildJob({ title: 'Remote Support Engineer', team: 'seller-service', category: 'Customer Support', workplaceType: 'remote', locations: [], applicantCountries: ['US'] }),
      buildJob({ title: 'Financial Analyst', team: 'finance-administration', category: 'Finance', workplaceType: 'hybrid' }),
      ...Array.from({ length: 22 }, (_, i) => buildJob({ title: `Warehouse Associate ${i + 1}`, team: 'worldwide-operations-customer-service', category: 'Operations' })),
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('finding a job', () => {
  it('searches, filters without a reload, opens a job with its JobPosting, and comes back to the same search', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${site.url}/jobs`);
    await expectAccessible(page);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

    await page.getByLabel('Keywords').fill('engineer');
    await page.getByLabel('Keywords').press('Enter');
    await expect.poll(() => page.url()).toBe(`${site.url}/jobs?q=engineer`);
    await expect.poll(() => page.locator('.result').count()).toBe(2);

    await page.getByRole('checkbox', { name: /Remote/ }).check();
    await expect.poll(() => page.url()).toBe(`${site.url}/jobs?q=engineer&workplace=remote`);
    await expect.poll(() => page.locator('.result').count()).toBe(1);
    // Still the same document: the results changed in place.
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    expect(await page.locator('.result mark').first().textContent()).toBe('Engineer');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Remote Support Engineer', exact: true }).click();
    await expect.poll(() => page.url()).toMatch(/\/jobs\/\d+\/remote-support-engineer$/);
    const postings = await page.locator('script[type="application/ld+json"]').allTextContents();
    expect(postings).toHaveLength(1);
    expect(JSON.parse(postings[0]!)).toMatchObject({ '@type': 'JobPosting', title: 'Remote Support Engineer', jobLocationType: 'TELECOMMUTE' });
    await expectAccessible(page);
    await page.screenshot({ path: `${artifacts}job.png`, fullPage: true });

    await page.getByRole('link', { name: 'How to prepare for your interviews' }).click();
    await expect.poll(() => page.url()).toMatch(/\/remote-support-engineer\/prepare$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Prepare for your interviews');
    await expectAccessible(page);
    await page.goBack();

    await page.goBack();
    await expect.poll(() => page.url()).toBe(`${site.url}/jobs?q=engineer&workplace=remote`);
    expect(await page.getByLabel('Keywords').inputValue()).toBe('engineer');
    expect(await page.getByRole('checkbox', { name: /Remote/ }).isChecked()).toBe(true);
    await expect.poll(() => page.locator('.result').count()).toBe(1);

    await page.goBack();
    await expect.poll(() => page.url()).toBe(`${site.url}/jobs?q=engineer`);
    await expect.poll(() => page.locator('.result').count()).toBe(2);
    await page.close();
  });

  it('keeps what was typed when the skip link moves focus to the content', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/jobs`);
    await page.getByLabel('Keywords').fill('not yet submitted');
    await page.getByRole('link', { name: 'Skip to main content' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toBe(`${site.url}/jobs#main`);
    await new Promise((r) => setTimeout(r, 300));
    expect(await page.getByLabel('Keywords').inputValue()).toBe('not yet submitted');
    await page.close();
  });

  it('pages through results and shows an empty state with a way out', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/jobs?q=warehouse`);
    expect(await page.locator('.result').count()).toBe(20);
    await page.getByRole('link', { name: 'Next page' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/jobs?q=warehouse&page=2`);
    await expect.poll(() => page.locator('.result').count()).toBe(2);
    await page.goto(`${site.url}/jobs?q=warehouse&country=JP`);
    expect(await page.getByText('No jobs match.').count()).toBe(1);
    await expectAccessible(page);
    await page.getByRole('link', { name: /Remove the country filter/ }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/jobs?q=warehouse`);
    await page.close();
  });

  it('works the same with JavaScript switched off', async () => {
    const context = await noScriptContext(browser);
    const page = await context.newPage();
    await page.goto(`${site.url}/`);
    await page.getByLabel('Search open jobs').fill('analyst');
    await page.getByRole('button', { name: 'Search jobs' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/jobs?q=analyst`);
    await page.getByRole('checkbox', { name: /Hybrid/ }).check();
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(() => page.url()).toContain('workplace=hybrid');
    expect(await page.locator('.result').count()).toBe(1);
    await page.getByRole('link', { name: 'Financial Analyst', exact: true }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Financial Analyst');
    await context.close();
  });
});
