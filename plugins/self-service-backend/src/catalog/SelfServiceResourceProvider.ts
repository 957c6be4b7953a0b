import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  DeferredEntity,
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { ProvisionedResource } from '@internal/plugin-self-service-common';
import type { ResourceLister } from './listResources';
import { LOCATION_PREFIX, toResourceEntity } from './resourceEntity';

/**
 * Keeps one catalog `Resource` per succeeded self-service request. The
 * resources are read from the self-service backend (`listResources`). The
 * periodic `refresh` is a full mutation, so destroyed resources disappear
 * too; a change to one request is a delta of that request's entity.
 */
export class SelfServiceResourceProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly options: {
      listResources: ResourceLister;
      appBaseUrl: string;
      logger: LoggerService;
    },
  ) {}

  getProviderName(): string {
    return 'self-service-resources';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
  }

  /** Replaces the provider's entities with the current resources. */
  async refresh(): Promise<number> {
    const connection = this.#connected();
    const resources = await this.options.listResources();
    await connection.applyMutation({
      type: 'full',
      entities: resources.map(resource => this.#deferred(resource)),
    });
    this.options.logger.debug(`Self-service resources in the catalog: ${resources.length}`);
    return resources.length;
  }

  /**
   * Brings one request's entity up to date. A live resource is added or
   * updated by a delta; one that is gone needs a full refresh, because only
   * the resource (no longer listed) tells which entity it was.
   */
  async refreshRequest(requestId: string): Promise<number> {
    const connection = this.#connected();
    const [resource] = await this.options.listResources(requestId);
    if (!resource) return this.refresh();
    await connection.applyMutation({
      type: 'delta',
      added: [this.#deferred(resource)],
      removed: [],
    });
    return 1;
  }

  #connected(): EntityProviderConnection {
    if (!this.connection) {
      throw new Error('SelfServiceResourceProvider is not connected yet');
    }
    return this.connection;
  }

  #deferred(resource: ProvisionedResource): DeferredEntity {
    return {
      entity: toResourceEntity(resource, this.options.appBaseUrl),
      locationKey: `${LOCATION_PREFIX}${resource.requestId}`,
    };
  }
}
