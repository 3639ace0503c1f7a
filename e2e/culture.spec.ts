import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifacts, expectAccessible, launchBrowser, noScriptContext, startSite, type Site } from './support/journey.ts';

let browser: Browser;
let site: Site;

beforeAll(async () => {
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe('reading the culture, teams and principles', () => {
  it('walks home → teams → one team → principles → one principle, each page accessible', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(site.url);
    await expect.poll(() => page.title()).toBe("It's always Day 1 · Day One Careers");
    await expectAccessible(page);
    await page.screenshot({ path: `${artifacts}home.png`, fullPage: true });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Teams' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/teams`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Business teams');
    expect(await page.locator('.cards > li').count()).toBe(10);
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Amazon Web Services' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/teams/amazon-web-services`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Amazon Web Services');
    await expectAccessible(page);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Principles' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/principles`);
    expect(await page.locator('.cards > li').count()).toBe(14);
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Have backbone; disagree and commit' }).click();
    await expect.poll(() => page.url()).toBe(`${site.url}/principles/have-backbone-disagree-and-commit`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Have backbone; disagree and commit');
    await expectAccessible(page);
    await page.close();
  });

  it('works the same with JavaScript switched off, on a phone-sized screen', async () => {
    const context = await noScriptContext(browser, { width: 390, height: 844 });
    const page = await context.newPage();
    await page.goto(`${site.url}/`);
    await page.getByRole('link', { name: /Read our 14 principles/ }).click();
    await page.getByRole('link', { name: 'Customer obsession' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Customer obsession');
    await page.getByRole('link', { name: /Next Ownership/ }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Ownership');
    // No horizontal scrolling on a narrow screen.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('lets a keyboard user skip straight to the content', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/teams`);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await skip.isVisible()).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.close();
  });

  it('shows a helpful, accessible 404 page', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${site.url}/principles/think-small`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('We couldn’t find that page');
    expect(await page.locator('.cards > li').count()).toBe(14);
    await expectAccessible(page);
    await page.close();
  });
});
