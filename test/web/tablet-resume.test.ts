import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ScreeningDriver } from '../support/screening.ts';
import { click, interviewer, signInAndChoosePin, tabletContext, waitForQueue } from '../support/tablet.ts';
import { withTabletApp } from '../support/tablet-app.ts';
import { seriousAxeViolations } from '../support/widget.ts';

/**
 * Issue 17 on the interviewers' tablet: after sign-in it lists the server's unfinished conversations of
 * this interviewer (whichever channel started them) and continues one at the same prompt, offline from then
 * on; without a connection it says plainly that the list needs one.
 */

const app = withTabletApp({ gate: true });

async function serverState(id: string) {
  const stored = await app.stack.call('getConversation', { id, user: interviewer });
  expect(stored.status).toBe(200);
  return stored.body as {
    conversation: { version: number; status: string };
    prompt: { id: string; text: string } | null;
  };
}

const entry = (page: Page, id: string) => page.locator(`#unfinished li[data-conversation="${id}"]`);

describe('unfinished conversations on the tablet (issue 17)', () => {
  it('lists the server’s unfinished conversations after sign-in and continues one at the same prompt; the answers after it sync', {
    timeout: 180_000,
  }, async () => {
    // Started elsewhere (the chat page, say): two questions answered, then left.
    const active = await ScreeningDriver.start(app.stack, 'en', 'RESUME-TAB-1', 'cse-screening', interviewer);
    await active.sendAll([{ answer: 'present' }, { unknown: true }]);
    const before = await serverState(active.id);
    expect(before.conversation.version).toBe(2);

    const context = await tabletContext(app.browser);
    const page = await context.newPage();
    await signInAndChoosePin(page, app.url);
    await page.locator('#unfinished[data-state="listed"]').waitFor();
    const item = entry(page, active.id);
    expect(await item.textContent()).toContain('RESUME-TAB-1');
    expect(await item.textContent()).toContain('CSE screening');
    expect(await item.textContent()).toMatch(/stopped at question 3 of \d+/);
    expect(await seriousAxeViolations(page)).toEqual([]);

    await item.getByRole('button', { name: 'Continue' }).click();
    await page.locator(`.interview[data-conversation="${active.id}"][data-version="2"]`).waitFor();
    expect(await page.locator('#question').textContent()).toBe(before.prompt!.text);
    // What was answered elsewhere is in the transcript, in words.
    expect(await page.locator('#transcript li').count()).toBe(2);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The next answer is given on the tablet and reaches the county's record.
    await click(page, 'No, not from what I know');
    await waitForQueue(page, 0);
    await expect.poll(async () => (await serverState(active.id)).conversation.version).toBe(3);
    await context.close();
  });

  it('continues a paused conversation at the prompt it was paused on; offline, says the list needs a connection', {
    timeout: 180_000,
  }, async () => {
    const paused = await ScreeningDriver.start(app.stack, 'en', 'RESUME-TAB-2', 'cse-screening', interviewer);
    await paused.sendAll([{ unknown: true }]);
    const pausedOn = (await serverState(paused.id)).prompt!;
    await paused.sendAll([{ pause: true }]);

    const context = await tabletContext(app.browser);
    const page = await context.newPage();
    await signInAndChoosePin(page, app.url);
    await page.locator('#unfinished[data-state="listed"]').waitFor();
    expect(await entry(page, paused.id).textContent()).toContain('paused');

    // Offline: the list is not guessed at; the tablet says what it needs.
    app.gate.cut();
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Español' }).click();
    await page.locator('html[lang="es"] #unfinished[data-state="offline"]').waitFor();
    expect(await page.locator('#unfinished-status').textContent()).toContain('necesita conexión');
    await page.getByRole('button', { name: 'English' }).click();
    // The Spanish screen is still there for a moment after the press: wait for the English one.
    await page.locator('html[lang="en"] #unfinished[data-state="offline"]').waitFor();
    expect(await page.locator('#unfinished-status').textContent()).toBe(
      'The list of unfinished conversations needs a connection. Interviews saved on this tablet are not affected.',
    );
    expect(await page.locator('#unfinished li').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);

    app.gate.restore();
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Español' }).click();
    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('#unfinished[data-state="listed"]').waitFor();
    await entry(page, paused.id).getByRole('button', { name: 'Continue' }).click();
    await page.locator(`.interview[data-conversation="${paused.id}"][data-version="2"]`).waitFor();
    expect(await page.locator('.prompt').getAttribute('data-prompt')).toBe('paused');
    await page.locator('.prompt').getByRole('button').first().click();
    await page.locator(`.interview[data-conversation="${paused.id}"][data-version="3"]`).waitFor();
    expect(await page.locator('#question').textContent()).toBe(pausedOn.text);
    await waitForQueue(page, 0);
    await expect.poll(async () => (await serverState(paused.id)).prompt?.id).toBe(pausedOn.id);
    await context.close();
  });
});
