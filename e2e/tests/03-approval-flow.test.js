/*
 * The product's core loop in the browser: the developer submits a
 * production database from Create…, two approvers decide it from their
 * inbox, and the request reaches succeeded on screen without a reload; the
 * requester and an outsider cannot decide it. Terraform is the recorded
 * stand-in (e2e/app-config.e2e.yaml), or with E2E_TERRAFORM=real the real
 * terraform on the local target.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { APP, openAs, screenshot, withBrowser } = require('../lib/browser');
const { api } = require('../lib/api');

const DB_NAME = `orders-e2e-${Date.now().toString(36)}`;
// The recorded AWS plan's database, or the local target's with the real terraform.
const MAIN_RESOURCE = process.env.E2E_TERRAFORM === 'real' ? 'terraform_data.database' : 'aws_db_instance.this';
let requestUrl;

async function chooseOption(page, label, option) {
  await page.getByLabel(label).first().click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('as the developer: submit the production PostgreSQL template and land on the pending request', () =>
  withBrowser('submit', async context => {
    const page = await openAs(context, 'dev', '/create/templates/default/postgres-database');
    // The page is named for what it is, not the scaffolder's default.
    await page.getByRole('heading', { name: 'Self-service infrastructure' }).first().waitFor({ timeout: 60000 });
    assert.equal(await page.getByText('Create a new component').count(), 0);
    // A name the pattern refuses first: the error says what it wants in words.
    await page.getByLabel('Name').first().fill('Orders DB');
    const team = page.getByLabel('Owning team').first();
    await team.click();
    // Only the developer's own team is offered (not dba, finance, platform).
    await page.getByRole('option').first().waitFor({ timeout: 30000 });
    assert.deepEqual(await page.getByRole('option').allInnerTexts(), ['team-a']);
    await team.fill('team-a');
    await page.getByRole('option', { name: /^team-a$/ }).first().click();
    await chooseOption(page, 'Environment', 'production');
    await page.getByLabel('Justification').first().fill('Orders service needs its own database');
    // The live estimate prices the form before anything is submitted.
    await page.getByText(/per month/).first().waitFor({ timeout: 30000 });
    const review = page.getByRole('button', { name: 'Review' }).or(page.getByRole('button', { name: 'Next' })).first();
    await review.click();
    await page.getByText(/must start with a lowercase letter/).first().waitFor({ timeout: 10000 });
    assert.equal(await page.getByText(/must match pattern/).count(), 0);
    await screenshot(page, '03a-name-error-in-words');
    await page.getByLabel('Name').first().fill(DB_NAME);
    await screenshot(page, '03-form-with-estimate');
    await review.click();
    await page.getByRole('button', { name: 'Create' }).click();
    // The run ends successfully with "pending approval" and a link to the request.
    const link = page.getByRole('link', { name: /\/self-service\/requests\// });
    await link.first().waitFor({ timeout: 120000 });
    assert.match(await page.getByText('The request waits for approval').first().innerText(), /team-lead, dba/);
    await screenshot(page, '04-task-finished-pending');
    // "Request" opens the request page in this tab, without reloading the app.
    await page.evaluate(() => {
      window.e2eSameApp = true;
    });
    await page.locator('a').filter({ hasText: /^\s*Request\s*$/ }).first().click();
    await page.waitForURL(/\/self-service\/requests\//, { timeout: 30000 });
    assert.equal(context.pages().length, 1, 'no new tab');
    assert.equal(await page.evaluate(() => window.e2eSameApp === true), true, 'the app did not reload');
    await page.getByText('pending approval').first().waitFor({ timeout: 30000 });
    requestUrl = new URL(page.url()).pathname;
    assert.match(requestUrl, /^\/self-service\/requests\/[0-9a-f-]{36}$/);
    // Named in words, not by its id.
    await page.getByRole('heading', { name: `PostgreSQL database · ${DB_NAME} (production)` }).first().waitFor({ timeout: 30000 });
    // The plan shows counts and resources; attributes stay folded until opened.
    await page.getByText(MAIN_RESOURCE).first().waitFor();
    assert.equal(await page.getByRole('list', { name: `Changes of ${MAIN_RESOURCE}` }).count(), 0);
    const height = await page.evaluate(() => Math.max(...[...document.querySelectorAll('main')].map(e => e.scrollHeight)));
    console.log(`request page height: ${height}px`);
    await screenshot(page, '05-request-pending-as-requester');
    await page.getByRole('button', { name: new RegExp(`^${MAIN_RESOURCE.replace('.', '\\.')}: \\d+ attribute`) }).click();
    await page.getByRole('list', { name: `Changes of ${MAIN_RESOURCE}` }).waitFor();
    await screenshot(page, '05b-request-plan-resource-opened');
  }));

test('as the requester: approving your own request is refused', () =>
  withBrowser('self-approval', async context => {
    assert.ok(requestUrl, 'the submit test created a request');
    const page = await openAs(context, 'dev', requestUrl);
    await page.getByTestId('why-no-decision').waitFor({ timeout: 30000 });
    assert.match(await page.getByTestId('why-no-decision').innerText(), /cannot approve or reject their own request/);
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
    await screenshot(page, '06-requester-cannot-approve');
    // Going around the UI does not help: the backend refuses it too.
    const id = requestUrl.split('/').pop();
    const res = await api('dev', 'POST', `/api/self-service/requests/${id}/decisions`, { decision: 'approve' });
    assert.equal(res.status, 403);
    assert.match(res.body.error.message, /requester cannot decide their own request/);
  }));

test('as an outsider: no Approve button', () =>
  withBrowser('outsider', async context => {
    // The example policy shows a request to its requester, team and approvers only.
    const page = await openAs(context, 'outsider', requestUrl);
    await page.getByText('You may not see this request').first().waitFor({ timeout: 30000 });
    assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0);
    const id = requestUrl.split('/').pop();
    const res = await api('outsider', 'POST', `/api/self-service/requests/${id}/decisions`, { decision: 'approve' });
    assert.equal(res.status, 403);
    assert.equal(await page.getByRole('button', { name: 'Reject' }).count(), 0);
    await screenshot(page, '07-outsider-no-approve');
  }));

test('as the approvers: see it in the inbox with plan and cost, approve, watch it succeed live', () =>
  withBrowser('approve', async context => {
    // Stage 1: the team lead.
    const page = await openAs(context, 'lead', '/self-service');
    await page.getByText(DB_NAME).first().waitFor({ timeout: 30000 });
    await screenshot(page, '08-inbox-lead');
    await page.getByText(DB_NAME).first().click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    await page.getByText('1 of 1 approvals').first().waitFor({ timeout: 30000 });

    // Stage 2: a DBA, in a fresh session; the page updates itself.
    const dba = await openAs(context, 'dba-alice', '/self-service');
    await dba.getByText(DB_NAME).first().waitFor({ timeout: 30000 });
    await dba.getByText(DB_NAME).first().click();
    await dba.getByText(MAIN_RESOURCE).first().waitFor();
    await dba.getByText(/\$\d/).first().waitFor();
    await screenshot(dba, '09-request-as-dba-before-approval');
    await dba.getByRole('button', { name: 'Approve' }).click();
    await dba.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
    // No reload from here on: signals bring the apply phase's progress.
    await dba.getByText('succeeded').first().waitFor({ timeout: 120000 });
    // The catalog registers the Resource entity; the page links it.
    const resources = dba.getByRole('list', { name: 'Registered resources' });
    await resources.getByRole('link').first().waitFor({ timeout: 60000 });
    assert.match(
      await resources.getByRole('link').first().getAttribute('href'),
      /^\/catalog\/default\/resource\/postgres-database-orders-e2e-/,
    );
    await screenshot(dba, '10-request-succeeded-live');
    // Both stages were decided, and the log says so in words.
    for (const stage of ['team-lead', 'dba']) {
      await dba.getByRole('region', { name: `Stage ${stage}` }).getByText('approved', { exact: true }).waitFor();
    }
    await dba.getByText('Approved (stage 1: team-lead)').first().waitFor();
    await dba.getByText('Approved (stage 2: dba)').first().waitFor();
    assert.equal(await dba.getByText(/approved-stage-\d/).count(), 0);
  }));
