/*
 * The end of a resource's life in the browser: the requester opens the
 * database the approval flow provisioned, destroys it after confirming, and
 * the page follows the tear-down to destroyed; the team's usage drops.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { openAs, screenshot, withBrowser } = require('../lib/browser');
const { api, eventually } = require('../lib/api');

test('as the requester: destroy the provisioned database and watch it go', () =>
  withBrowser('destroy', async context => {
    const mine = await api('dev', 'GET', '/api/self-service/requests?mine=true&state=succeeded&limit=100');
    assert.equal(mine.status, 200);
    const target = mine.body.items.find(r => (r.resourceName ?? '').startsWith('orders-e2e-'));
    assert.ok(target, 'the approval flow left a succeeded orders-e2e database');
    const team = encodeURIComponent(target.team);
    const before = (await api('dev', 'GET', `/api/self-service/teams/${team}/usage`)).body;

    const page = await openAs(context, 'dev', `/self-service/requests/${target.id}`);
    await page.getByRole('button', { name: 'Destroy' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Destroy' }).click();
    // No reload: the page follows the tear-down.
    await page.getByLabel('State: destroyed').first().waitFor({ timeout: 120000 });
    await screenshot(page, '15-request-destroyed');

    const after = await eventually(async () => {
      const usage = (await api('dev', 'GET', `/api/self-service/teams/${team}/usage`)).body;
      return usage.quota.live < before.quota.live ? usage : undefined;
    }, 30000);
    assert.equal(after.quota.live, before.quota.live - 1);
  }));
