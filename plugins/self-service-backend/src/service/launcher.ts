import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ConflictError, ResponseError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { sha256OfCanonicalJson } from '@internal/plugin-self-service-node';
import {
  SELF_SERVICE_DESTROY_OPERATION,
  type SelfServiceRequest,
} from '@internal/plugin-self-service-common';

/** What a launched run is for. @public */
export type LaunchOperation = 'apply' | 'destroy';

/**
 * Starts the apply phase of an approved request, or the tear-down of a
 * succeeded one. Behind an interface so tests, and organisations with
 * another runner, can supply their own.
 * @public
 */
export interface Launcher {
  /** Starts the run and returns its scaffolder task id. */
  launch(
    request: SelfServiceRequest,
    grantToken: string,
    options?: { operation?: LaunchOperation },
  ): Promise<{ taskId: string }>;
}

/**
 * Launches the same template with the same parameters through the
 * scaffolder API, as the plugin's own service identity. The grant token and
 * request id travel as task secrets, which the scaffolder never shows or
 * stores in the task spec.
 * @internal
 */
export class ScaffolderLauncher implements Launcher {
  readonly #auth: AuthService;
  readonly #discovery: DiscoveryService;
  readonly #fetch: typeof fetch;
  readonly #catalog?: Pick<CatalogService, 'getEntityByRef'>;

  constructor(options: {
    auth: AuthService;
    discovery: DiscoveryService;
    catalog?: Pick<CatalogService, 'getEntityByRef'>;
    fetch?: typeof fetch;
  }) {
    this.#auth = options.auth;
    this.#discovery = options.discovery;
    this.#catalog = options.catalog;
    this.#fetch = options.fetch ?? fetch;
  }

  async launch(
    request: SelfServiceRequest,
    grantToken: string,
    options?: { operation?: LaunchOperation },
  ): Promise<{ taskId: string }> {
    await this.#assertTemplateUnchanged(request);
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: await this.#auth.getOwnServiceCredentials(),
      targetPluginId: 'scaffolder',
    });
    const baseUrl = await this.#discovery.getBaseUrl('scaffolder');
    const response = await this.#fetch(`${baseUrl}/v2/tasks`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        templateRef: request.templateRef,
        values: request.parameters,
        secrets: {
          selfServiceRequestId: request.id,
          selfServiceGrantToken: grantToken,
          // The actions then tear down instead of applying.
          ...(options?.operation === 'destroy'
            ? { selfServiceOperation: SELF_SERVICE_DESTROY_OPERATION }
            : {}),
        },
      }),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body = (await response.json()) as { id?: unknown };
    if (typeof body.id !== 'string') {
      throw new Error('The scaffolder returned no task id');
    }
    return { taskId: body.id };
  }

  /**
   * The launched run executes the template's steps as they are now, as this
   * plugin's identity; steps before terraform:apply would run before any
   * grant is checked. So a template edited since the request was recorded is
   * refused here, before anything runs (invariant 2).
   */
  async #assertTemplateUnchanged(request: SelfServiceRequest): Promise<void> {
    if (!this.#catalog || !request.templateStepsHash) {
      return;
    }
    const template = await this.#catalog.getEntityByRef(request.templateRef, {
      credentials: await this.#auth.getOwnServiceCredentials(),
    });
    if (!template) {
      throw new ConflictError(
        `the template ${request.templateRef} is no longer in the catalog`,
      );
    }
    const steps =
      (template.spec as { steps?: unknown[] } | undefined)?.steps ?? [];
    if (sha256OfCanonicalJson(steps) !== request.templateStepsHash) {
      throw new ConflictError(
        `the template ${request.templateRef} changed since approval (its steps differ); submit a new request`,
      );
    }
  }
}
