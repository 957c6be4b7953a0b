import { makeRequest } from '../__testUtils__/fixtures';
import { requestLabel, requestTitle } from './requestTitle';

describe('request titles', () => {
  const change = makeRequest({
    kind: 'change',
    targetRequestId: 'c9f0f895-fb98-4b91-9f6c-3e7a2f0d6f01',
    environment: 'staging',
  });
  const extension = makeRequest({
    kind: 'extension',
    environment: 'staging',
    extension: { days: 14 },
  });

  it('names a new resource by its name, and its page by template and environment', () => {
    const provision = makeRequest();
    expect(requestLabel(provision)).toBe('orders-db');
    expect(requestTitle(provision, 'PostgreSQL database')).toBe(
      'PostgreSQL database · orders-db (production)',
    );
    // Requests recorded before kinds existed read as provisions.
    expect(requestLabel(makeRequest({ kind: 'provision' }))).toBe('orders-db');
  });

  it('leads with the kind for a change', () => {
    expect(requestLabel(change)).toBe('Change: orders-db');
    expect(requestTitle(change, 'PostgreSQL database')).toBe(
      'Change: PostgreSQL database · orders-db (staging)',
    );
  });

  it('says how long an extension asks for', () => {
    expect(requestLabel(extension)).toBe('Extend orders-db by 14 days');
    expect(requestTitle(extension, 'PostgreSQL database')).toBe(
      'Extend orders-db by 14 days (staging)',
    );
    expect(
      requestLabel(makeRequest({ kind: 'extension', extension: { days: 1 } })),
    ).toBe('Extend orders-db by 1 day');
    expect(requestLabel(makeRequest({ kind: 'extension' }))).toBe(
      'Extend orders-db',
    );
  });
});
