/*
 * A resource's life after it is provisioned (issue #16), in the browser:
 * the request page counts down to the expiry; Extend moves it at once within
 * the dev limit and sends a longer extension to the team leads (the lead
 * approves it); Change opens the template's form with the current values,
 * plans the update against the existing resource and, for dev, applies it,
 * after which the resource shows the new size and the change shows the cost
 * difference.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { openAs, screenshot, withBrowser } = require('../lib/browser');
const { api, eventually } = require('../lib/api');

const DB_NAME = `life-e2e-${Date.now().toString(36)}`;
const DAY = 24 * 3600 * 1000;

/** A dev database of the developer's, auto-approved and applied. */
async function liveDevDatabase() {
  const started = await api('dev', 'POST', '/api/scaffolder/v2/tasks', {
    templateRef: 'template:default/postgres-database',
    values: {
      name: DB_NAME,
      team: 'group:default/team-a',
      instance_size: 'small',
      storage_gb: 20,
      backup_enabled: true,
      environment: 'dev',
      justification: 'lifecycle browser test',
    },
  });
  assert.equal(started.status, 201, JSON.stringify(started.body));
  return eventually(async () => {
    const mine = await api('dev', 'GET', '/api/self-service/requests?mine=true&limit=100');
    const found = mine.body.items.find(r => r.resourceName === DB_NAME && r.kind !== 'change');
    return found?.state === 'succeeded' ? found : undefined;
  }, 180000);
}

test('as the developer: count down, extend, and change a live database', () =>
  withBrowser('lifecycle', async context => {
    const live = await liveDevDatabase();
    const page = await openAs(context, 'dev', `/self-service/requests/${live.id}`);

    // The countdown to the TTL tear-down.
    const countdown = page.getByTestId('expiry-countdown').first();
    await countdown.waitFor({ timeout: 30000 });
    assert.match(await countdown.innerText(), /^Expires in 7 days/);
    await screenshot(page, '16-request-countdown');

    // Within the dev limit: applied at once.
    await page.getByRole('button', { name: 'Extend' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Days').fill('3');
    await dialog.getByTestId('extend-new-expiry').waitFor();
    assert.match(await dialog.getByTestId('extend-policy').innerText(), /7 days/);
    await screenshot(page, '17-extend-dialog');
    await dialog.getByRole('button', { name: 'Request extension' }).click();
    await page.getByTestId('extension-applied').waitFor({ timeout: 30000 });
    const extended = await eventually(async () => {
      const r = (await api('dev', 'GET', `/api/self-service/requests/${live.id}`)).body;
      return r.expiresAt !== live.expiresAt ? r : undefined;
    }, 30000);
    assert.equal(Date.parse(extended.expiresAt) - Date.parse(live.expiresAt), 3 * DAY);
    // The page follows: ten days left now.
    await page.getByTestId('expiry-countdown').first().filter({ hasText: /^Expires in 10 days/ }).waitFor({ timeout: 30000 });
    await screenshot(page, '17b-request-extended');

    // Longer than the limit: it waits for the team leads.
    await page.getByRole('button', { name: 'Extend' }).click();
    await page.getByRole('dialog').getByLabel('Days').fill('20');
    await page.getByRole('dialog').getByRole('button', { name: 'Request extension' }).click();
    await page.getByTestId('extension-pending').waitFor({ timeout: 30000 });
    await screenshot(page, '18-extension-pending');
    const pending = (await api('dev', 'GET', `/api/self-service/requests/${live.id}`)).body.followUps.find(
      f => f.kind === 'extension' && f.state === 'pending_approval',
    );
    assert.ok(pending, 'the longer extension waits');
    // The developer cannot approve it; the lead can.
    assert.equal(
      (await api('dev', 'POST', `/api/self-service/requests/${pending.id}/decisions`, { decision: 'approve' })).status,
      403,
    );
    // The lead sees it in a browser of their own (a fresh profile signs in anew).
    await withBrowser('lifecycle-lead', async leadContext => {
      const lead = await openAs(leadContext, 'lead', `/self-service/requests/${pending.id}`);
      await lead.getByTestId('follow-up-notice').waitFor({ timeout: 30000 });
      await screenshot(lead, '19-extension-for-the-lead');
    });
    assert.equal(
      (await api('lead', 'POST', `/api/self-service/requests/${pending.id}/decisions`, { decision: 'approve', comment: 'ok' })).status,
      200,
    );
    const longer = await eventually(async () => {
      const r = (await api('dev', 'GET', `/api/self-service/requests/${live.id}`)).body;
      return Date.parse(r.expiresAt) - Date.parse(live.expiresAt) === 23 * DAY ? r : undefined;
    }, 30000);
    assert.ok(longer);

    // Day 2: more storage, planned against the existing database.
    const owner = page;
    await owner.goto(new URL(`/self-service/requests/${live.id}`, owner.url()).toString());
    await owner.getByRole('button', { name: 'Change', exact: true }).click();
    await owner.getByTestId('change-explanation').waitFor({ timeout: 30000 });
    const storage = owner.getByLabel('Storage (GB)').first();
    await storage.waitFor();
    assert.equal(await storage.inputValue(), '20');
    assert.equal(await owner.getByLabel('Name').first().inputValue(), DB_NAME);
    await storage.fill('80');
    await screenshot(owner, '20-change-form');
    await owner
      .getByRole('button', { name: 'Review' })
      .or(owner.getByRole('button', { name: 'Next' }))
      .first()
      .click();
    await owner.getByRole('button', { name: 'Plan change' }).click();
    // The change run's page: dev changes are applied at once.
    await owner.waitForURL(/\/create\/tasks\//, { timeout: 30000 });
    await owner.getByText(/^Applied: the resource is ready/).first().waitFor({ timeout: 180000 });
    await screenshot(owner, '21-change-run-applied');

    const changed = await eventually(async () => {
      const r = (await api('dev', 'GET', `/api/self-service/requests/${live.id}`)).body;
      return r.parameters.storage_gb === 80 ? r : undefined;
    }, 60000);
    const change = changed.followUps.find(f => f.kind === 'change');
    assert.equal(change.state, 'succeeded');
    const changeDetail = (await api('dev', 'GET', `/api/self-service/requests/${change.id}`)).body;
    assert.equal(
      changeDetail.planSummary.resources.find(r => r.address === 'aws_db_instance.this').action,
      'update',
    );
    assert.equal(changed.cost.monthlyTotal, changeDetail.cost.monthlyTotal);

    await owner.goto(new URL(`/self-service/requests/${change.id}`, owner.url()).toString());
    await owner.getByTestId('cost-delta').waitFor({ timeout: 30000 });
    assert.match(await owner.getByTestId('cost-delta').innerText(), /→/);
    await screenshot(owner, '22-change-request');

    await owner.goto(new URL(`/self-service/requests/${live.id}`, owner.url()).toString());
    await owner.getByTestId('follow-ups').waitFor({ timeout: 30000 });
    assert.equal(await owner.getByTestId('follow-up').count(), 3);
    await screenshot(owner, '23-request-after-change');
  }));
