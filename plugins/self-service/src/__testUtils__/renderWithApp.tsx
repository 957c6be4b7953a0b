import { ReactNode } from 'react';
import { act, type RenderResult } from '@testing-library/react';
import { type ApiRef, identityApiRef } from '@backstage/core-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import type { SignalApi } from '@backstage/plugin-signals-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import type { JsonObject } from '@backstage/types';
import { SelfServiceClient, selfServiceApiRef } from '../api';
import { rootRouteRef } from '../routes';

export const API_BASE = 'http://example.com/api/self-service';

/** A signal API whose messages the test publishes. */
export class FakeSignalApi implements SignalApi {
  private readonly listeners = new Map<string, Set<(message: any) => void>>();

  subscribe<T extends JsonObject>(
    channel: string,
    onMessage: (message: T) => void,
  ) {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(onMessage);
    this.listeners.set(channel, set);
    return { unsubscribe: () => set.delete(onMessage) };
  }

  publish(channel: string, message: JsonObject) {
    act(() => {
      this.listeners.get(channel)?.forEach(listener => listener(message));
    });
  }
}

/** Reads a dotted entity field, e.g. `metadata.annotations.a/b`. */
function field(entity: Entity, key: string): unknown {
  const [root, ...rest] = key.split('.');
  if (root === 'kind') return entity.kind;
  if (root !== 'metadata' && root !== 'spec') return undefined;
  const section = (entity as any)[root] ?? {};
  if (rest[0] === 'annotations' || rest[0] === 'labels') {
    return section[rest[0]]?.[rest.slice(1).join('.')];
  }
  return section[rest.join('.')];
}

/**
 * A catalog answering `getEntities` from a fixed list with the catalog's
 * filter semantics for plain key/value filters (case-insensitive values).
 */
function fakeCatalog(entities: Entity[]) {
  return {
    async getEntities(request?: { filter?: Record<string, string> }) {
      const filter = request?.filter ?? {};
      const items = entities.filter(entity =>
        Object.entries(filter).every(
          ([key, value]) =>
            String(field(entity, key) ?? '').toLowerCase() ===
            value.toLowerCase(),
        ),
      );
      return { items };
    },
    async getEntityByRef(ref: string) {
      return entities.find(
        e =>
          `${e.kind}:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase() ===
          ref.toLowerCase(),
      );
    },
  };
}

/**
 * Renders inside a test app with the real client (answered by msw), a
 * signed-in user and, optionally, signals.
 */
export async function renderWithApp(
  ui: ReactNode,
  options: {
    routeEntries?: string[];
    signals?: FakeSignalApi;
    userEntityRef?: string;
    ownershipEntityRefs?: string[];
    /** What the catalog holds (e.g. the Resource entity of a request). */
    entities?: Entity[];
    /** More APIs, e.g. the scaffolder's for a template form. */
    apis?: Array<readonly [ApiRef<any>, unknown]>;
  } = {},
): Promise<RenderResult> {
  const client = new SelfServiceClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
  });
  const identity = mockApis.identity({
    userEntityRef: options.userEntityRef ?? 'user:default/lead',
    ownershipEntityRefs: options.ownershipEntityRefs ?? [
      'user:default/lead',
      'group:default/team-a',
    ],
  });
  const apis: any[] = [
    [selfServiceApiRef, client],
    [identityApiRef, identity],
    [catalogApiRef, fakeCatalog(options.entities ?? [])],
  ];
  apis.push(...(options.apis ?? []));
  if (options.signals) {
    apis.push([signalApiRef, options.signals]);
  }
  const wrap = (node: ReactNode) => (
    <TestApiProvider apis={apis as any}>{node}</TestApiProvider>
  );
  const result = await renderInTestApp(wrap(ui), {
    routeEntries: options.routeEntries,
    mountedRoutes: {
      '/self-service': rootRouteRef,
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    },
  });
  // Re-rendering keeps the APIs around the new element.
  return {
    ...result,
    rerender: (node: ReactNode) => result.rerender(wrap(node)),
  };
}
