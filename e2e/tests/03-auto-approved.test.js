/*
 * An auto-approved request: a small dev database goes from Create… straight
 * to applied in one run, and the finished run says it was applied (not that
 * it is "applying it now"). Terraform is the recorded stand-in.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { openAs, screenshot, withBrowser } = require('../lib/browser');

const DB_NAME = `scratch-e2e-${Date.now().toString(36)}`;

test('as the developer: a dev database is approved automatically and the finished run says it was applied', () =>
  withBrowser('auto-approved', async context => {
    const page = await openAs(
      context,
      'dev',
      '/create/templates/default/postgres-database',
    );
    await page.getByLabel('Name').first().fill(DB_NAME);
    // The developer's only team is chosen already.
    await page
      .getByLabel('Justification')
      .first()
      .fill('Scratch database for a spike');
    await page
      .getByText(/per month/)
      .first()
      .waitFor({ timeout: 30000 });
    assert.equal(
      await page.getByLabel('Owning team').first().inputValue(),
      'team-a',
    );
    await page
      .getByRole('button', { name: 'Review' })
      .or(page.getByRole('button', { name: 'Next' }))
      .first()
      .click();
    await page.getByRole('button', { name: 'Create' }).click();
    await page
      .getByText(/^Applied: the resource is ready/)
      .first()
      .waitFor({ timeout: 180000 });
    assert.equal(await page.getByText(/applying it now/).count(), 0);
    await screenshot(page, '04b-task-finished-auto-approved');
  }));
