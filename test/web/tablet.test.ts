import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { tableContents } from '../support/table.ts';
import {
  act,
  cachedUrls,
  click,
  deviceRecords,
  expectTranscriptToShow,
  interviewer,
  PIN,
  screenshot,
  signInAndChoosePin,
  tabletContext,
  toggleAndFinish,
  typeAnswer,
  unlock,
  waitForQueue,
} from '../support/tablet.ts';
import { withTabletApp } from '../support/tablet-app.ts';
import { seriousAxeViolations } from '../support/widget.ts';

/**
 * Issue 8 end to end: the interviewers' tablet app in Debian's Chromium, against the real API and DynamoDB
 * Local, behind a loopback relay the test cuts to take the tablet offline.
 */

const app = withTabletApp({ gate: true });

interface SyncBody {
  events: { eventId: string; expectedVersion: number; event: Record<string, unknown> }[];
}

/** The bodies of the sync requests the server accepted, in order. */
function recordAcceptedSyncs(page: Page): { conversationId: string; body: SyncBody }[] {
  const accepted: { conversationId: string; body: SyncBody }[] = [];
  page.on('response', (response) => {
    const match = /\/conversations\/([^/]+)\/sync$/.exec(new URL(response.url()).pathname);
    if (match && response.status() === 200) {
      accepted.push({ conversationId: match[1]!, body: response.request().postDataJSON() as SyncBody });
    }
  });
  return accepted;
}

async function goOffline(page: Page): Promise<void> {
  app.gate.cut();
  await page.context().setOffline(true);
}

async function goOnline(page: Page): Promise<void> {
  app.gate.restore();
  await page.context().setOffline(false);
}

async function startInterview(page: Page, reference: string, language = 'en'): Promise<void> {
  await page
    .getByLabel(/^(Case reference \(not a name\)|Referencia del caso \(no un nombre\))$/)
    .fill(reference);
  await page.getByLabel(/^(Language of the interview|Idioma de la entrevista)$/).selectOption(language);
  await page.getByRole('button', { name: /^(Start|Comenzar)$/ }).click();
  await page.locator('.interview[data-version="0"]').waitFor();
}

/** Tasks as both runs must agree on them: what, by when, and in what state. */
const taskShape = (
  tasks: { taskType: string; ruleId: string; dueAt: string; status: string; title: string }[],
) =>
  tasks
    .map(({ taskType, ruleId, dueAt, status, title }) => ({ taskType, ruleId, dueAt, status, title }))
    .sort((a, b) => a.ruleId.localeCompare(b.ruleId));

describe('the interviewers’ tablet app, offline first (issue 8)', () => {
  it('starts online, finishes offline through a reload, syncs on reconnect to the same outcome and tasks as an online run; a second device’s copy changes nothing', async () => {
    const context = await tabletContext(app.browser);
    const page = await context.newPage();
    const accepted = recordAcceptedSyncs(page);
    await signInAndChoosePin(page, app.url);
    await startInterview(page, 'RET-2201');

    // The app is installable, and once its service worker controls the page it opens with no network.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 20_000,
    });
    const cdp = await context.newCDPSession(page);
    const installability = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    // Test contexts are incognito profiles, where Chromium never offers installing; nothing else may stand in the way.
    expect(installability.installabilityErrors.filter((error) => error.errorId !== 'in-incognito')).toEqual(
      [],
    );
    const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; url: string };
    expect(manifest.url).toMatch(/\/tablet\/manifest\.webmanifest$/);
    expect(manifest.errors).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Online: each answer is saved on the tablet and sent at once.
    await toggleAndFinish(page, [
      'Conflict or arguments where I was living',
      'Wanting to be with family or friends',
    ]);
    await typeAnswer(page, 'I missed my little brother');
    await click(page, 'With friends');
    await waitForQueue(page, 0);
    await screenshot(page, '1-online-landscape');

    // The network goes: answers keep being saved, and queue up.
    await goOffline(page);
    await click(page, 'Sometimes');
    await toggleAndFinish(page, ['Something to eat']);
    await click(page, 'Not sure');
    await typeAnswer(page, 'Someone at the new place who listens');
    await waitForQueue(page, 4);
    await expect.poll(() => page.locator('#network').getAttribute('data-state')).toBe('offline');

    // At rest everything about the youth is sealed: neither their words nor the case reference appear.
    const atRest = Object.values(await deviceRecords(page)).join('\n');
    for (const secret of ['missed my little brother', 'new place who listens', 'RET-2201', 'Sometimes'])
      expect(atRest).not.toContain(secret);

    // A reload with no network: the cached app opens locked, and the PIN brings every answer back.
    const reloaded = await page.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await page.getByLabel(/^PIN$/).waitFor();
    expect(await page.locator('main').textContent()).not.toContain('little brother');
    await unlock(page);
    await page.locator('.prompt[data-prompt="safety_exchange"]').waitFor();
    await expectTranscriptToShow(page, [
      'Conflict or arguments where I was living; Wanting to be with family or friends',
      'I missed my little brother',
      'With friends',
      'Sometimes',
      'Something to eat',
      'Someone at the new place who listens',
    ]);
    await waitForQueue(page, 4);
    await screenshot(page, '2-offline-after-reload');

    // The rest of the interview, still offline, going back once to change an answer.
    await click(page, 'Yes');
    await click(page, 'No');
    await click(page, 'Back');
    await click(page, 'Yes');
    await click(page, 'Skip');
    await click(page, 'Yes');
    await click(page, 'Identified as a victim of CSE');
    await click(page, 'Yes');
    await click(page, 'No');
    await toggleAndFinish(page, ['Specialized counseling', 'Legal assistance']);
    const received = await page.evaluate(() => {
      const earlier = new Date(Date.now() - 2 * 3_600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${earlier.getFullYear()}-${pad(earlier.getMonth() + 1)}-${pad(earlier.getDate())}T${pad(earlier.getHours())}:${pad(earlier.getMinutes())}`;
    });
    // A time in the future is refused on the tablet, in the interviewer's words, and nothing is queued.
    await page.getByRole('textbox', { name: 'Date and time' }).fill('2099-01-01T09:00');
    await page.locator('.prompt').getByRole('button', { name: 'Save answer', exact: true }).click();
    await page.getByText('That answer could not be used: the date and time is in the future.').waitFor();
    await waitForQueue(page, 14);
    await act(page, async () => {
      await page.getByRole('textbox', { name: 'Date and time' }).fill(received);
      await page.locator('.prompt').getByRole('button', { name: 'Save answer', exact: true }).click();
    });
    await page.locator('.prompt[data-prompt="finished"]').waitFor();
    const offlineDuties = await page.locator('.duties li').allInnerTexts();
    expect(offlineDuties.length).toBeGreaterThan(0);
    await waitForQueue(page, 15);
    await page.setViewportSize({ width: 820, height: 1180 });
    await screenshot(page, '3-finished-offline-portrait');

    // Back online: the queue syncs in order, the device copy is wiped, the tasks are shown.
    const before = accepted.length;
    await goOnline(page);
    await page.locator('#sent').waitFor({ timeout: 30_000 });
    await screenshot(page, '4-sent-portrait');
    expect(accepted.length).toBeGreaterThan(before);
    const conversationId = accepted[0]!.conversationId;
    const records = await deviceRecords(page);
    expect(Object.keys(records).sort()).toEqual(['p:device', 'p:half', 's:check', 's:refresh', 's:token']);
    const appFiles = app.built.files.map((file) => new URL(file, app.url).href).sort();
    for (const url of await cachedUrls(page)) expect(appFiles).toContain(url);
    const shownTasks = await page.locator('#sent .duties li').count();

    // The server's record: every event, in order, ending where the tablet ended.
    const detail = await app.stack.call('getConversation', { id: conversationId, user: interviewer });
    expect(detail.status).toBe(200);
    expect(detail.body.conversation.status).toBe('completed');
    const sentEvents = accepted.flatMap((sync) => sync.body.events);
    expect(detail.body.events.map((event: { eventId: string }) => event.eventId)).toEqual(
      sentEvents.map((event) => event.eventId),
    );
    expect(detail.body.tasks).toHaveLength(shownTasks);

    // The same answers given online, turn by turn, reach the same outcome and the same tasks.
    const online = await app.stack.call('createConversation', {
      body: { flow: 'runaway-return', locale: 'en', subjectRef: 'RET-2202' },
      user: interviewer,
    });
    let last = online;
    for (const [version, sent] of sentEvents.entries()) {
      last = await app.stack.call('postTurn', {
        id: online.body.conversation.id,
        body: { eventId: randomUUID(), expectedVersion: version, event: sent.event },
        user: interviewer,
      });
      expect(last.status).toBe(200);
    }
    expect(last.body.conversation.status).toBe('completed');
    expect(last.body.outcome.facts).toEqual(detail.body.outcome.facts);
    expect(last.body.outcome.duties).toEqual(detail.body.outcome.duties);
    expect(taskShape(last.body.tasks)).toEqual(taskShape(detail.body.tasks));

    // A second device holding the same queue sends it again: every event is already on record.
    const table = await tableContents(app.stack);
    for (const sync of accepted) {
      const again = await app.stack.call('syncTurns', {
        id: sync.conversationId,
        body: sync.body,
        user: interviewer,
      });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ applied: 0, skipped: sync.body.events.length });
    }
    expect(await tableContents(app.stack)).toEqual(table);
    await context.close();
  }, 180_000);

  it('a change made elsewhere while the tablet was offline is reported, never merged; the answer stays on the tablet', async () => {
    const context = await tabletContext(app.browser);
    const page = await context.newPage();
    await signInAndChoosePin(page, app.url);
    await startInterview(page, 'RET-2203');
    // A double tap on Done saves one answer, not two racing for the same version.
    await page
      .locator('.prompt')
      .getByRole('button', { name: 'Feeling down, stressed or overwhelmed' })
      .click();
    await page.locator('.prompt').getByRole('button', { name: 'Done', exact: true }).dblclick();
    await page.locator('.interview[data-version="1"]').waitFor();
    await waitForQueue(page, 0);
    const conversationId = await page.locator('.interview').getAttribute('data-conversation');
    const before = await app.stack.call('getConversation', { id: conversationId!, user: interviewer });
    expect(before.body.conversation.version).toBe(1);
    expect(await page.locator('.interview').getAttribute('data-version')).toBe('1');

    await goOffline(page);
    await typeAnswer(page, 'Tablet answer');
    await waitForQueue(page, 1);
    // Meanwhile the same conversation moves on through the API.
    const elsewhere = await app.stack.call('postTurn', {
      id: conversationId!,
      body: {
        eventId: randomUUID(),
        expectedVersion: 1,
        event: { type: 'answer.given', promptId: 'leaving_anything_else', value: 'Other device' },
      },
      user: interviewer,
    });
    expect(elsewhere.status).toBe(200);

    await goOnline(page);
    await page.locator('#problem[data-code="version_conflict"]').waitFor({ timeout: 30_000 });
    await waitForQueue(page, 1);
    await screenshot(page, '5-conflict-reported');
    const detail = await app.stack.call('getConversation', { id: conversationId!, user: interviewer });
    expect(detail.body.events.map((event: { value?: unknown }) => event.value)).not.toContain(
      'Tablet answer',
    );
    await context.close();
  }, 120_000);

  it('in Spanish: locks itself when idle (nothing left on screen), refuses a wrong PIN, and a quick wipe leaves nothing', async () => {
    const context = await tabletContext(app.browser);
    const page = await context.newPage();
    await page.goto(`${app.gate.url}/tablet/?lockAfter=5`);
    await page.getByRole('button', { name: 'Español' }).click();
    // The screen is drawn again once the sign-in settings arrive; until then the English link is still there.
    await page.getByRole('link', { name: 'Iniciar sesión', exact: true }).waitFor();
    await signInAndChoosePin(page, `${app.gate.url}/tablet/?lockAfter=5`);
    await startInterview(page, 'RET-2204', 'es');
    await toggleAndFinish(page, ['Algo relacionado con la escuela'], 'Listo');
    await typeAnswer(page, 'Extrañaba a mi abuela', 'Guardar respuesta');
    await waitForQueue(page, 0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, '6-spanish-interview');

    // Idle for longer than the lock time: the key and the interview leave memory and the screen.
    await page.getByRole('heading', { name: 'Bloqueada' }).waitFor({ timeout: 20_000 });
    expect(await page.locator('body').textContent()).not.toContain('abuela');
    await unlock(page, '000000');
    await page.getByText('Ese PIN no abre esta tableta.').waitFor();
    await unlock(page, PIN);
    await page.locator('#transcript').waitFor();
    expect(await page.locator('#transcript').textContent()).toContain('Extrañaba a mi abuela');

    await page.getByRole('button', { name: 'Borrar tableta' }).click();
    await page.getByText('no hay respuestas pendientes de envío').waitFor();
    await page.getByRole('button', { name: 'Borrar ahora' }).click();
    await page.locator('#sign-in').waitFor();
    expect(await deviceRecords(page)).toEqual({});
    await context.close();
  }, 120_000);
});
