const { test } = require('node:test');
const assert = require('node:assert/strict');
const { APP, openAs, screenshot, withBrowser } = require('../lib/browser');

test('the sign-in page offers every example user', () =>
  withBrowser('sign-in', async context => {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${APP}/`);
    for (const user of ['dev', 'lead', 'dba-alice', 'dba-bob', 'finance', 'outsider']) {
      await page.getByRole('button', { name: `Sign in as ${user}` }).waitFor({ timeout: 60000 });
    }
    await screenshot(page, '00-sign-in-page');
    await page.getByRole('button', { name: 'Sign in as dev' }).click();
    await page.getByText('Catalog').first().waitFor({ timeout: 60000 });
    // The identity is the real catalog user with its team membership.
    await page.goto(`${APP}/settings`);
    await page.getByText('Dana Developer').first().waitFor({ timeout: 30000 });
    await screenshot(page, '02-signed-in-as-dev');
  }));
