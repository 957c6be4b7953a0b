/*
 * The self-service pages in the dark theme on a 390 px wide phone screen:
 * nothing may stick out sideways and the page must actually be dark. Runs
 * after the approval flow, so the developer has a request to look at.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { APP, openAs, screenshot, withBrowser } = require('../lib/browser');
const { api } = require('../lib/api');

const PHONE = { width: 390, height: 844 };

/**
 * How wide the page scrolls sideways (the document and Backstage's own
 * content scroller; a table may still scroll inside its card), and the
 * page's background luminance.
 */
async function layoutOf(page) {
  return page.evaluate(() => {
    const widest = Math.max(
      document.documentElement.scrollWidth,
      document.body.scrollWidth,
      ...[...document.querySelectorAll('main')].map(e => e.scrollWidth),
    );
    const bg = getComputedStyle(document.body).backgroundColor;
    const [r, g, b] = (bg.match(/\d+/g) ?? ['255', '255', '255']).map(Number);
    return { widest, luminance: 0.2126 * r + 0.7152 * g + 0.0722 * b, bg };
  });
}

test('dark theme at 390 px: my requests and a request page fit and are dark', () =>
  withBrowser('dark-narrow', async context => {
    const mine = await api(
      'dev',
      'GET',
      '/api/self-service/requests?mine=true&limit=5',
    );
    assert.equal(mine.status, 200);
    assert.ok(
      mine.body.items.length > 0,
      'the approval flow left the developer a request',
    );
    const id = mine.body.items[0].id;

    const page = context.pages()[0] ?? (await context.newPage());
    await page.setViewportSize(PHONE);
    // Backstage keeps the chosen theme in local storage under "theme".
    await page.goto(APP);
    await page.evaluate(() => window.localStorage.setItem('theme', 'dark'));

    await openAs(context, 'dev', '/self-service/mine');
    await page
      .getByText(/orders-e2e/)
      .first()
      .waitFor({ timeout: 60000 });
    const list = await layoutOf(page);
    await screenshot(page, '11-my-requests-dark-390');
    assert.ok(list.luminance < 80, `dark background expected, got ${list.bg}`);
    assert.ok(
      list.widest <= PHONE.width + 1,
      `content is ${list.widest}px wide on a ${PHONE.width}px screen`,
    );

    await openAs(context, 'dev', `/self-service/requests/${id}`);
    await page
      .getByText('aws_db_instance.this')
      .first()
      .waitFor({ timeout: 60000 });
    const detail = await layoutOf(page);
    await screenshot(page, '12-request-dark-390');
    assert.ok(
      detail.luminance < 80,
      `dark background expected, got ${detail.bg}`,
    );
    assert.ok(
      detail.widest <= PHONE.width + 1,
      `content is ${detail.widest}px wide on a ${PHONE.width}px screen`,
    );
  }));
