import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ConflictError, ResponseError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { sha256OfCanonicalJson } from '@internal/plugin-self-service-node';
import {
  SELF_SERVICE_CHANGE_OPERATION,
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
  /**
   * Starts a day-2 change run of a succeeded resource: its template with the
   * new parameters, as the person asking (`credentials`), with the change
   * ticket in the secrets. Without it, changes cannot be started.
   */
  launchChange?(options: {
    target: SelfServiceRequest;
    parameters: Record<string, unknown>;
    ticket: string;
    credentials: BackstageCredentials;
  }): Promise<{ taskId: string }>;
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
    return this.#startTask({
      onBehalfOf: await this.#auth.getOwnServiceCredentials(),
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
    });
  }

  /**
   * A change run is the person's own run (the scaffolder shows it as theirs
   * and its request step records them as the requester), started with the
   * template as the catalog holds it now: the change is judged afresh.
   */
  async launchChange(options: {
    target: SelfServiceRequest;
    parameters: Record<string, unknown>;
    ticket: string;
    credentials: BackstageCredentials;
  }): Promise<{ taskId: string }> {
    return this.#startTask({
      onBehalfOf: options.credentials,
      templateRef: options.target.templateRef,
      values: options.parameters,
      secrets: {
        selfServiceRequestId: options.target.id,
        selfServiceGrantToken: options.ticket,
        selfServiceOperation: SELF_SERVICE_CHANGE_OPERATION,
      },
    });
  }

  async #startTask(options: {
    onBehalfOf: BackstageCredentials;
    templateRef: string;
    values: Record<string, unknown>;
    secrets: Record<string, string>;
  }): Promise<{ taskId: string }> {
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: options.onBehalfOf,
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
        templateRef: options.templateRef,
        values: options.values,
        secrets: options.secrets,
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
