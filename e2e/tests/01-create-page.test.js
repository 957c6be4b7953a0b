const { test } = require('node:test');
const assert = require('node:assert/strict');
const { launch, openAs, screenshot } = require('../lib/browser');

test('guest signs in and sees the PostgreSQL template on Create…', async () => {
  const { context, close } = await launch();
  try {
    const page = await openAs(context, 'guest', '/create');
    await page.getByText('PostgreSQL database').first().waitFor({ timeout: 60000 });
    assert.ok(await page.getByRole('button', { name: /choose/i }).first().isVisible());
    const file = await screenshot(page, '01-create-page-guest');
    assert.ok(file.endsWith('.png'));
  } finally {
    await close();
  }
});

test('the sign-in page offers every example user', async () => {
  const { context, close } = await launch();
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('http://localhost:3000/');
    for (const user of ['dev', 'lead', 'dba-alice', 'dba-bob', 'finance', 'outsider']) {
      await page.getByRole('button', { name: `Sign in as ${user}` }).waitFor({ timeout: 60000 });
    }
    await screenshot(page, '00-sign-in-page');
    await page.getByRole('button', { name: 'Sign in as dev' }).click();
    await page.getByText('Catalog').first().waitFor({ timeout: 60000 });
    // The identity is the real catalog user with its team membership.
    await page.goto('http://localhost:3000/settings');
    await page.getByText('Dana Developer').first().waitFor({ timeout: 30000 });
    await screenshot(page, '02-signed-in-as-dev');
  } finally {
    await close();
  }
});
