import type { CostEstimate } from '@internal/plugin-self-service-common';
import { DEFAULT_GUARDRAILS } from '@internal/plugin-self-service-node';
import { requestBody, templateEntity } from '../__testUtils__/fixtures';
import { authoritativeBody } from './authority';

const NOW = new Date('2026-12-03T12:00:00Z');

const priced = (monthlyTotal: number): CostEstimate => ({
  currency: 'USD',
  monthlyTotal,
  lines: [{ item: 'db', monthly: monthlyTotal }],
  unpriced: [],
});

function deps(estimate: CostEstimate) {
  return {
    templates: { getTemplate: async () => templateEntity() },
    estimator: { estimate: async () => estimate },
    guardrails: { ...DEFAULT_GUARDRAILS, financeThreshold: 400 },
  };
}

const stagesOf = (r: Awaited<ReturnType<typeof authoritativeBody>>) =>
  r.body.approvalPolicy.stages.map(s => s.name);

describe('authoritativeBody', () => {
  it("judges by the plan's cost when the price book's estimate is lower", async () => {
    const body = requestBody({ approvalPolicy: { stages: [] }, cost: priced(450) });
    const r = await authoritativeBody(body, deps(priced(100)), NOW);
    expect(stagesOf(r)).toEqual(['finance']);
    expect(r.raised.stages).toEqual(['finance']);
  });

  it("judges by the price book's estimate when the claimed cost is lower", async () => {
    const body = requestBody({ approvalPolicy: { stages: [] }, cost: priced(5) });
    const r = await authoritativeBody(body, deps(priced(900)), NOW);
    expect(stagesOf(r)).toEqual(['finance']);
  });

  it('keeps the claimed findings the backend did not derive, after its own', async () => {
    const body = requestBody({
      environment: 'production',
      approvalPolicy: { stages: [] },
      findings: [{ code: 'custom.rule', severity: 'warn', message: 'from code' }],
    });
    const r = await authoritativeBody(body, deps(priced(10)), NOW);
    expect(r.body.findings.map(f => f.code)).toContain('custom.rule');
    expect(stagesOf(r)).toEqual(['team-lead']);
    expect(r.raised.stages).toEqual(['team-lead']);
  });

  it('lets a claimed expiry shorten the TTL, never lengthen it', async () => {
    const later = requestBody({ expiresAt: '2027-06-01T00:00:00.000Z' });
    expect((await authoritativeBody(later, deps(priced(1)), NOW)).body.expiresAt).toBe(
      '2026-12-10T12:00:00.000Z',
    );
    const sooner = requestBody({ expiresAt: '2026-12-05T00:00:00.000Z' });
    expect((await authoritativeBody(sooner, deps(priced(1)), NOW)).body.expiresAt).toBe(
      '2026-12-05T00:00:00.000Z',
    );
  });

  it('refuses a templateRef that is not a Template in the catalog', async () => {
    const missing = { ...deps(priced(1)), templates: { getTemplate: async () => undefined } };
    await expect(authoritativeBody(requestBody(), missing, NOW)).rejects.toThrow(
      /templateRef: .* is not a Template in the catalog/,
    );
  });

  it("records a plan the price book cannot price at the book's estimate of the parameters", async () => {
    const unpricedPlan: CostEstimate = {
      currency: 'USD',
      monthlyTotal: 0,
      lines: [{ item: 'terraform_data.database', monthly: null }],
      unpriced: ['terraform_data.database'],
    };
    const body = requestBody({ approvalPolicy: { stages: [] }, cost: unpricedPlan });
    const r = await authoritativeBody(body, deps(priced(30)), NOW);
    expect(r.body.cost.monthlyTotal).toBe(30);
    expect(r.body.cost.unpriced).toEqual(['terraform_data.database']);
    // A priced plan keeps its own cost.
    const own = await authoritativeBody(requestBody({ cost: priced(12) }), deps(priced(30)), NOW);
    expect(own.body.cost.monthlyTotal).toBe(12);
  });
});
