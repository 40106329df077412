import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  act,
  answerFirst,
  interviewer,
  screenshot,
  signInAndChoosePin,
  tabletContext,
  unlock,
  waitForQueue,
} from '../support/tablet.ts';
import { withTabletApp } from '../support/tablet-app.ts';
import { seriousAxeViolations } from '../support/widget.ts';

/**
 * Issue 20, item 1, in Chromium: an interview started, answered and finished with no network from its first
 * request, then synced; the server's replay reaches the device's outcome, with duties due from the time the
 * interviewer recorded. A second tablet's interview of the same youth at the same time is reported, not merged.
 */

const app = withTabletApp({ gate: true });

/** Signed in and set up while online; `cached`: its app is held by the service worker, to open offline. */
async function setUpTablet(cached = false): Promise<{ context: BrowserContext; page: Page }> {
  const context = await tabletContext(app.browser);
  const page = await context.newPage();
  await signInAndChoosePin(page, app.url);
  await page.getByLabel('Case reference (not a name)').waitFor();
  if (cached) {
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 60_000,
    });
  }
  return { context, page };
}

async function cutNetwork(page: Page): Promise<void> {
  app.gate.cut();
  await page.context().setOffline(true);
}

async function restoreNetwork(page: Page): Promise<void> {
  app.gate.restore();
  await page.context().setOffline(false);
}

async function startInterview(page: Page, reference: string): Promise<void> {
  await page.getByLabel('Case reference (not a name)').fill(reference);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.locator('.interview[data-version="0"]').waitFor();
}

/** `YYYY-MM-DDTHH:mm` in the tablet's zone, `hours` ago, as a datetime-local field takes it. */
function localHoursAgo(page: Page, hours: number): Promise<string> {
  return page.evaluate((back) => {
    const earlier = new Date(Date.now() - back * 3_600_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${earlier.getFullYear()}-${pad(earlier.getMonth() + 1)}-${pad(earlier.getDate())}T${pad(earlier.getHours())}:${pad(earlier.getMinutes())}`;
  }, hours);
}

/** Answers to the end: the youth's first offers, CSE identified, and the information received `received`. */
async function finishInterview(page: Page, received: string): Promise<void> {
  for (let turn = 0; turn < 80; turn += 1) {
    if ((await page.locator('.prompt[data-prompt="finished"]').count()) > 0) return;
    const prompt = page.locator('.prompt');
    const id = await prompt.getAttribute('data-prompt');
    if (id === 'determination') {
      await act(page, () =>
        prompt.getByRole('button', { name: 'Identified as a victim of CSE', exact: true }).click(),
      );
    } else if (id === 'received_at') {
      await act(page, async () => {
        await prompt.locator('input[type="datetime-local"]').fill(received);
        await prompt.locator('.row button').click();
      });
    } else {
      await answerFirst(page);
    }
  }
  throw new Error('the interview did not finish');
}

/** Requests to the sync endpoint, with whether they carried the interview's start. */
function watchSyncs(page: Page): { conversationId: string; start: boolean; status: number }[] {
  const seen: { conversationId: string; start: boolean; status: number }[] = [];
  page.on('response', (response) => {
    const match = /\/conversations\/([^/]+)\/sync$/.exec(new URL(response.url()).pathname);
    if (!match) return;
    const body = response.request().postDataJSON() as { start?: unknown };
    seen.push({ conversationId: match[1]!, start: body.start !== undefined, status: response.status() });
  });
  return seen;
}

describe('an interview started on the tablet with no connection (issue 20)', () => {
  it('is started, answered and finished offline, then synced: the server replays it to the device’s outcome, duties due from the recorded time', async () => {
    const { context, page } = await setUpTablet(true);
    const syncs = watchSyncs(page);

    // No network from here on: the app itself opens from its cache, locked, and the PIN opens it.
    await cutNetwork(page);
    await page.reload();
    await unlock(page);
    await page.getByLabel('Case reference (not a name)').waitFor();
    await expect.poll(() => page.locator('#network').getAttribute('data-state')).toBe('offline');
    expect(await page.locator('main').textContent()).toContain(
      'You can start and finish an interview without a connection.',
    );
    expect(await seriousAxeViolations(page)).toEqual([]);

    const startedAt = Date.now();
    await startInterview(page, 'RET-3301');
    // The start itself waits to be sent, sealed like an answer.
    await waitForQueue(page, 1);
    const conversationId = (await page.locator('.interview').getAttribute('data-conversation'))!;
    const received = await localHoursAgo(page, 3);
    await finishInterview(page, received);
    const answers = Number(await page.locator('.interview').getAttribute('data-version'));
    await waitForQueue(page, answers + 1);
    const deviceDuties = (await page.locator('.duties li').allInnerTexts()).sort();
    expect(deviceDuties.length).toBeGreaterThan(0);
    await screenshot(page, '7-started-and-finished-offline');
    // Nothing reached the server, and it knows nothing of the interview.
    expect(syncs.every((sync) => sync.status === 0 || sync.conversationId !== conversationId)).toBe(true);
    expect((await app.stack.call('getConversation', { id: conversationId, user: interviewer })).status).toBe(
      404,
    );

    await restoreNetwork(page);
    await page.locator('#sent').waitFor({ timeout: 60_000 });
    const accepted = syncs.filter((sync) => sync.status === 200);
    expect(accepted[0]).toMatchObject({ conversationId, start: true });
    // The tasks the server opened are the duties the tablet showed, with the same due times.
    expect((await page.locator('#sent .duties li').allInnerTexts()).sort()).toEqual(deviceDuties);

    const detail = await app.stack.call('getConversation', { id: conversationId, user: interviewer });
    expect(detail.status).toBe(200);
    const { conversation, outcome, tasks, events } = detail.body;
    expect(conversation).toMatchObject({ status: 'completed', version: answers, subjectRef: 'RET-3301' });
    // The record begins when the interviewer pressed Start, not when the tablet found a signal.
    expect(Date.parse(conversation.createdAt)).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(Date.parse(conversation.createdAt)).toBeLessThan(Date.parse(conversation.deviceStart.receivedAt));
    expect(events).toHaveLength(answers);
    const receivedAt = await page.evaluate((local) => new Date(local).toISOString(), received);
    expect(outcome.informationReceivedAt).toBe(receivedAt);
    const report = tasks.find((task: { requirementId: string }) => task.requirementId === 'R-REPORT-1');
    expect(report.dueAt).toBe(new Date(Date.parse(receivedAt) + 24 * 3_600_000).toISOString());
    await context.close();
  }, 240_000);

  it('a second tablet’s interview of the same youth at the same time is reported, nothing merged, and sent only when called separate', async () => {
    const first = await setUpTablet();
    const second = await setUpTablet();
    await cutNetwork(first.page);
    await second.page.context().setOffline(true);

    await startInterview(first.page, 'RET-3302');
    await answerFirst(first.page);
    await startInterview(second.page, 'RET-3302');
    await answerFirst(second.page);
    await answerFirst(second.page);
    const firstId = (await first.page.locator('.interview').getAttribute('data-conversation'))!;
    const secondId = (await second.page.locator('.interview').getAttribute('data-conversation'))!;

    // The first tablet reaches the county first and is accepted.
    await restoreNetwork(first.page);
    await waitForQueue(first.page, 0);
    expect((await app.stack.call('getConversation', { id: firstId, user: interviewer })).status).toBe(200);

    // The second is told, in the interviewer's words, and keeps everything.
    await second.page.context().setOffline(false);
    const problem = second.page.locator('#problem[data-code="possible_duplicate"]');
    await problem.waitFor({ timeout: 30_000 });
    await waitForQueue(second.page, 3);
    expect(await problem.textContent()).toContain(
      'Another interview about this youth was started at about the same time.',
    );
    await problem.locator(`li[data-conversation="${firstId}"]`).waitFor();
    expect(await problem.locator('li').textContent()).toMatch(/by you, on a tablet: in progress, 1 answer$/);
    expect(await seriousAxeViolations(second.page)).toEqual([]);
    await screenshot(second.page, '8-possible-duplicate');
    expect((await app.stack.call('getConversation', { id: secondId, user: interviewer })).status).toBe(404);

    // Called separate, it is sent as its own record; the first is untouched.
    await second.page.getByRole('button', { name: 'Send as a separate interview' }).click();
    await waitForQueue(second.page, 0);
    const sent = await app.stack.call('getConversation', { id: secondId, user: interviewer });
    expect(sent.status).toBe(200);
    expect(sent.body.events).toHaveLength(2);
    const firstRecord = await app.stack.call('getConversation', { id: firstId, user: interviewer });
    expect(firstRecord.body.events).toHaveLength(1);
    await first.context.close();
    await second.context.close();
  }, 240_000);
});
