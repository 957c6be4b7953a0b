/*
 * The catalog side in the browser: a template's page says what it costs and
 * who approves it; a provisioned resource's page links the request that
 * created it and says when it expires. The resource comes from a dev request
 * started here through the scaffolder API (auto-approved, applied by the
 * Terraform stand-in, registered by the catalog module).
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { openAs, screenshot, withBrowser } = require('../lib/browser');
const { api, eventually } = require('../lib/api');

const DB_NAME = `cards-e2e-${Date.now().toString(36)}`;

test('as the developer: the template page shows the price range and who approves', () =>
  withBrowser('template-card', async context => {
    const page = await openAs(context, 'dev', '/catalog/default/template/postgres-database');
    await page.getByText('Estimated from the smallest and the largest options').first().waitFor({ timeout: 60000 });
    // From the smallest to the largest instance and storage of the price book.
    await page.getByText(/^\$[\d,.]+ – \$[\d,.]+ per month$/).first().waitFor();
    const approvals = page.getByRole('list', { name: 'Approvals' });
    await approvals.waitFor({ timeout: 30000 });
    const text = await approvals.innerText();
    assert.match(text, /dba/);
    assert.match(text, /production/);
    // The approver groups are catalog links.
    assert.match(await approvals.getByRole('link', { name: /dba/ }).first().getAttribute('href'), /\/catalog\/default\/group\/dba$/);
    await screenshot(page, '13-template-card');
  }));

test('as the developer: a provisioned resource links its request and says when it expires', () =>
  withBrowser('resource-card', async context => {
    const started = await api('dev', 'POST', '/api/scaffolder/v2/tasks', {
      templateRef: 'template:default/postgres-database',
      values: {
        name: DB_NAME,
        team: 'group:default/team-a',
        instance_size: 'small',
        storage_gb: 20,
        backup_enabled: true,
        environment: 'dev',
        justification: 'entity cards e2e',
      },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const task = await eventually(async () => {
      const res = await api('dev', 'GET', `/api/scaffolder/v2/tasks/${started.body.id}`);
      return ['completed', 'failed'].includes(res.body.status) ? res.body : undefined;
    }, 120000);
    assert.equal(task.status, 'completed');

    // The catalog module registers the Resource entity; find it by its name.
    const entity = await eventually(async () => {
      const res = await api('dev', 'GET', `/api/catalog/entities/by-query?filter=kind=resource,metadata.name=postgres-database-${DB_NAME}-dev`);
      return res.body.items?.[0];
    }, 60000);
    const requestId = entity.metadata.annotations['self-service.io/request-id'];
    assert.match(requestId, /^[0-9a-f-]{36}$/);

    const page = await openAs(context, 'dev', `/catalog/default/resource/${entity.metadata.name}`);
    const link = page.getByRole('link', { name: requestId });
    await link.waitFor({ timeout: 60000 });
    assert.equal(await link.getAttribute('href'), `/self-service/requests/${requestId}`);
    // Dev resources expire after the configured time to live; the card says when.
    await page
      .getByTestId('expiry-countdown')
      .filter({ hasText: /^Expires in \d+ days · \d+ \w{3} \d{4}$/ })
      .first()
      .waitFor({ timeout: 30000 });
    await page.getByText('succeeded').first().waitFor({ timeout: 30000 });
    // The browser tests simulate Terraform, and the card says so.
    if (process.env.E2E_TERRAFORM !== 'real') {
      await page.getByTestId('resource-simulated').waitFor({ timeout: 30000 });
    }
    await page.getByText(/per month/).first().waitFor();
    await screenshot(page, '14-resource-card');

    await link.click();
    await page.waitForURL(`**/self-service/requests/${requestId}`);
    await page.getByText(DB_NAME).first().waitFor({ timeout: 30000 });
  }));
