const { test } = require('node:test');
const assert = require('node:assert/strict');
const { APP, openAs, screenshot, withBrowser } = require('../lib/browser');

test('guest signs in and sees the PostgreSQL template on Create…', () =>
  withBrowser('create-page', async context => {
    const page = await openAs(context, 'guest', '/create');
    await page
      .getByText('PostgreSQL database')
      .first()
      .waitFor({ timeout: 120000 });
    // The cards render their text before their actions; wait for the button
    // rather than sampling it once (isVisible does not wait).
    const choose = page.getByRole('button', { name: /choose/i }).first();
    await choose.waitFor({ state: 'visible', timeout: 30000 });
    assert.ok(await choose.isVisible());
    await screenshot(page, '01-create-page-guest');
  }));
