import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import type { ProvisionedResource } from '@internal/plugin-self-service-common';
import { LOCATION_PREFIX, toResourceEntity } from './resourceEntity';

/**
 * Keeps one catalog `Resource` per succeeded self-service request. The
 * resources are read from the self-service backend (`listResources`); a full
 * mutation each time means destroyed resources disappear too.
 */
export class SelfServiceResourceProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  constructor(
    private readonly options: {
      listResources: () => Promise<ProvisionedResource[]>;
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
    if (!this.connection) {
      throw new Error('SelfServiceResourceProvider is not connected yet');
    }
    const resources = await this.options.listResources();
    await this.connection.applyMutation({
      type: 'full',
      entities: resources.map(resource => ({
        entity: toResourceEntity(resource, this.options.appBaseUrl),
        locationKey: `${LOCATION_PREFIX}${resource.requestId}`,
      })),
    });
    this.options.logger.debug(`Self-service resources in the catalog: ${resources.length}`);
    return resources.length;
  }
}
