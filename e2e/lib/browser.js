const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { chromiumPath } = require('./env');

const APP = process.env.E2E_APP_URL ?? 'http://localhost:3000';
const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');

/**
 * Launches Debian's Chromium with the flags this closed network needs and a
 * fresh profile, so every test starts signed out.
 */
async function launch() {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const close = async () => {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}

/** Opens `pathname` signed in as an example user (or 'guest'). */
async function openAs(context, user, pathname) {
  const page = context.pages()[0] ?? (await context.newPage());
  const url = new URL(pathname, APP);
  url.searchParams.set('as', user);
  await page.goto(url.toString());
  return page;
}

/**
 * Saves a screenshot of the whole page. Backstage scrolls inside its own
 * content element, so `fullPage` alone would cut it off: the viewport is
 * stretched to the content's height for the shot.
 */
async function screenshot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // A real-terraform run keeps its own screenshots beside the simulated ones.
  const prefix = process.env.E2E_TERRAFORM === 'real' ? 'real-' : '';
  const file = path.join(ARTIFACTS, `${prefix}${name}.png`);
  const viewport = page.viewportSize();
  const height = await page
    .evaluate(() => Math.max(...[...document.querySelectorAll('main, body')].map(e => e.scrollHeight)))
    .catch(() => viewport.height);
  await page.setViewportSize({ width: viewport.width, height: Math.min(Math.max(height, viewport.height), 6000) });
  await page.screenshot({ path: file, fullPage: true });
  await page.setViewportSize(viewport);
  return file;
}

/**
 * Runs a browser test body with a fresh Chromium; on failure saves a
 * screenshot of every open page as FAILED-<name>-<n>.png before rethrowing.
 */
async function withBrowser(name, body) {
  const { context, close } = await launch();
  try {
    await body(context);
  } catch (error) {
    let n = 0;
    for (const page of context.pages()) {
      await screenshot(page, `FAILED-${name}-${n++}`).catch(() => undefined);
    }
    throw error;
  } finally {
    await close();
  }
}

module.exports = { APP, launch, openAs, screenshot, withBrowser };
