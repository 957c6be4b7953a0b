import { HumanDuration } from '@backstage/types';

export interface Config {
  selfService?: {
    /** The price book (versioned YAML kept in git by the platform team). */
    priceBook?: {
      /**
       * Path of the price book file; relative paths resolve against the
       * backend's working directory. Reloaded when the file changes.
       */
      path?: string;
    };

    /** How the terraform:* actions run Terraform. */
    terraform?: {
      /**
       * Deployment target of the templates' modules: a template's module
       * `./module` is read from `./module-<target>` where the template has
       * one. The examples ship `local` (Terraform's built-in terraform_data
       * only: a SQLite file, a directory, a file-backed queue under
       * ~/.self-service-local or TF_VAR_local_root; no registry, no cloud).
       * Unset: every module as written (the examples' AWS modules).
       */
      target?: string;
      /**
       * When Terraform runs are replayed by the recorded runner instead:
       * `never` (default: a missing binary fails the run), `when-missing`
       * (neither the binary nor `tofu` on PATH: say so at start-up and
       * simulate; what `npm start` uses), `always`. Simulated plans, requests
       * and catalog Resources are labelled "simulated".
       */
      simulate?: 'never' | 'when-missing' | 'always';
      /** `terraform`, `tofu`, or a path to either. Default `terraform` (from PATH). */
      binary?: string;
      /**
       * Directory under which each task gets its working directory
       * (`<root>/<task id>/<workingDirectory>`). Default: the task's
       * scaffolder workspace.
       */
      workingDirectoryRoot?: string;
      /**
       * Root of the local state backend:
       * `<stateDirectory>/<team>/<template>/<requestKey>/terraform.tfstate`.
       * Default `.self-service/terraform-state`. Unused when `backend` is set.
       */
      stateDirectory?: string;
      /** Time limit of each Terraform command. Default 30 minutes. */
      timeout?: HumanDuration | string;
      /** Time between SIGTERM and SIGKILL when a command is stopped. Default 10 seconds. */
      killGracePeriod?: HumanDuration | string;
      /**
       * Extra environment variables for the CLI, e.g. TF_PLUGIN_CACHE_DIR.
       * @visibility secret
       */
      environment?: { [name: string]: string };
      /**
       * Backend environment variables passed to the CLI: names, or prefixes
       * ending in `*`. Default: PATH, HOME, TMPDIR, LANG, proxy and CA
       * variables, TF_*, AWS_*, GOOGLE_*, ARM_*. Nothing else of the
       * backend's environment reaches Terraform.
       */
      inheritEnvironment?: string[];
      /**
       * A Terraform backend other than the local one (e.g. s3, pg, gcs).
       * String values may use `{team}`, `{template}` and `{requestKey}`.
       */
      backend?: {
        /** Backend type, e.g. `s3`. */
        type: string;
        /**
         * `-backend-config` key/values, e.g. `key: 'ss/{team}/{template}/{requestKey}.tfstate'`.
         * @visibility secret
         */
        config?: { [key: string]: string };
      };
    };

    /** Defaults of the self-service:guardrails action. */
    guardrails?: {
      /** Per-request monthly cost ceiling (in the price book currency). */
      costCeiling?: number;
      /** What exceeding the ceiling does: `deny` (default) or `require-approval` (adds finance). */
      costCeilingAction?: 'deny' | 'require-approval';
      /** Monthly cost above which the `finance` stage is added. */
      financeThreshold?: number;
      /** Share of the team budget above which a warning is given. Default 0.8. */
      budgetWarningRatio?: number;
      /**
       * Named approval stages findings can add. Groups may use `{team}`,
       * `{teamName}` and `{teamNamespace}`. Defaults: `team-lead` =
       * `group:{teamNamespace}/{teamName}-leads`, `finance` = `group:default/finance`.
       */
      stages?: {
        [name: string]: {
          groups: string[];
          /** Default 1. */
          quorum?: number;
        };
      };
      /**
       * Rules per environment (dev, staging, production). Defaults:
       * production requires the team-lead approval; staging resources
       * expire after 30 days, dev after 7.
       */
      environments?: {
        [environment: string]: {
          requireApproval?: boolean;
          /** The stage a required approval adds. Default team-lead. */
          stage?: string;
          /** Time to live of resources in this environment. */
          ttl?: HumanDuration | string;
        };
      };
    };
  };
}
