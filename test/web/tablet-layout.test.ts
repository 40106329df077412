import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { answerFirst, screenshot, signInAndChoosePin } from '../support/tablet.ts';
import { withTabletApp } from '../support/tablet-app.ts';
import { seriousAxeViolations } from '../support/widget.ts';

/**
 * Issue 20, item 2: the network badge, the count of answers waiting to be sent and the progress bar stay in
 * view however far a long question is scrolled, on a portrait tablet (820×1180) and a phone (390×844); on
 * the phone every question's first answer is on the first screen, without scrolling.
 */

const app = withTabletApp();

function sized(width: number, height: number): Promise<BrowserContext> {
  return app.browser.newContext({
    viewport: { width, height },
    timezoneId: 'America/Los_Angeles',
    locale: 'en-US',
    serviceWorkers: 'allow',
  });
}

async function startInterview(page: Page, reference: string): Promise<void> {
  await page.getByLabel('Case reference (not a name)').fill(reference);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.locator('.interview[data-version="0"]').waitFor();
}

/** The (first) element's box lies wholly inside the viewport as it is scrolled now. */
async function expectInView(page: Page, selector: string): Promise<void> {
  const box = await page.locator(selector).first().boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, selector).not.toBeNull();
  expect(box!.y, `${selector} top`).toBeGreaterThanOrEqual(0);
  expect(box!.x, `${selector} left`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${selector} bottom`).toBeLessThanOrEqual(viewport.height);
  expect(box!.x + box!.width, `${selector} right`).toBeLessThanOrEqual(viewport.width);
}

/** Scrolls to the very bottom of the question and returns how far the page moved. */
async function scrollToBottom(page: Page): Promise<number> {
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  // The scroll is applied before the next frame.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  return page.evaluate(() => window.scrollY);
}

const BADGES = ['#network', '#queue', '#progress'];

describe('status and progress always in sight; the question fits a phone (issue 20)', () => {
  it('on a portrait tablet, the badges and the progress stay in view at the bottom of a long question', async () => {
    const context = await sized(820, 1180);
    const page = await context.newPage();
    await signInAndChoosePin(page, app.url);
    await startInterview(page, 'RET-3001');
    // Two answers on the record make the page longer than the screen.
    await answerFirst(page);
    await answerFirst(page);
    await page.locator('#queue[data-pending="0"]').waitFor();
    expect(await page.locator('#progress-text').textContent()).toMatch(/^Question 3 of \d+$/);

    expect(await scrollToBottom(page)).toBeGreaterThan(0);
    for (const badge of BADGES) await expectInView(page, badge);
    await screenshot(page, 'layout-tablet-scrolled');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  }, 120_000);

  it('on a 390×844 phone, every youth question shows its first answer without scrolling, and the badges stay in view', async () => {
    const context = await sized(390, 844);
    const page = await context.newPage();
    await signInAndChoosePin(page, app.url);
    await startInterview(page, 'RET-3002');
    expect(await seriousAxeViolations(page)).toEqual([]);
    let scrolledOnce = false;
    // The youth's part: every question up to the interviewer's section.
    for (let asked = 0; asked < 11; asked += 1) {
      const id = await page.locator('.prompt').getAttribute('data-prompt');
      expect(await page.evaluate(() => window.scrollY), `${id} starts at the top`).toBe(0);
      await expectInView(page, '#question');
      await expectInView(page, '.prompt button.choice, .prompt #answer');
      if (asked === 0) await screenshot(page, 'layout-phone-first-screen');
      const moved = await scrollToBottom(page);
      scrolledOnce ||= moved > 0;
      for (const badge of BADGES) await expectInView(page, badge);
      await answerFirst(page);
    }
    // The first question (ten choices) is longer than the phone's screen: the check above had to scroll.
    expect(scrolledOnce).toBe(true);
    expect(await page.locator('.prompt').getAttribute('data-prompt')).toBe('determination');
    await expectInView(page, '.prompt button.choice');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  }, 180_000);
});
