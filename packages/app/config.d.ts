export interface Config {
  app?: {
    /**
     * Development sign-in: the example users offered on the sign-in page.
     * Only shown when auth.environment is development.
     */
    devSignIn?: {
      /** @visibility frontend */
      users?: Array<{
        /** User entity name in the default namespace. @visibility frontend */
        name: string;
        /** What the user does in the example org. @visibility frontend */
        description: string;
      }>;
    };
  };
}
