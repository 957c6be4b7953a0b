import { useState } from 'react';
import {
  Content,
  Header,
  InfoCard,
  Page,
  ProxiedSignInPage,
  WarningPanel,
} from '@backstage/core-components';
import { configApiRef, SignInPageProps, useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Grid,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { chosenUser, chooseUser, GUEST } from './devUserStorage';

/**
 * Local sign-in. In development it offers guest and every example user, so a
 * person (or a browser test, with `?as=<user>`) can act as the requester, an
 * approver, the lead, finance or the outsider without editing files. The
 * backend's `development` provider only exists in development.
 */
export const DevSignInPage = (props: SignInPageProps) => {
  const config = useApi(configApiRef);
  const [user, setUser] = useState(chosenUser);
  const users = (config.getOptionalConfigArray('app.devSignIn.users') ?? []).map(
    c => ({ name: c.getString('name'), description: c.getString('description') }),
  );

  if (config.getOptionalString('auth.environment') !== 'development') {
    return (
      <Page themeId="home">
        <Header title="Sign in" />
        <Content>
          <WarningPanel title="No sign-in provider configured">
            Development sign-in is off outside auth.environment development.
            Configure your organisation's sign-in provider for this app.
          </WarningPanel>
        </Content>
      </Page>
    );
  }
  if (user === GUEST) {
    return <ProxiedSignInPage {...props} provider="guest" />;
  }
  if (user) {
    return (
      <ProxiedSignInPage
        {...props}
        provider="development"
        headers={{ 'x-self-service-dev-user': user }}
      />
    );
  }

  const pick = (name: string) => {
    chooseUser(name);
    setUser(name);
  };
  return (
    <Page themeId="home">
      <Header title="Sign in" subtitle="Local development: choose who you are" />
      <Content>
        <Grid container justifyContent="center">
          <Grid item xs={12} md={6}>
            <InfoCard title="Example users">
              <Typography variant="body2" paragraph>
                Switch users later from the sidebar (Switch user). This page
                exists only in development.
              </Typography>
              <List>
                {users.map(u => (
                  <ListItem key={u.name} divider>
                    <ListItemText primary={u.name} secondary={u.description} />
                    <Button
                      variant="contained"
                      color="primary"
                      onClick={() => pick(u.name)}
                      aria-label={`Sign in as ${u.name}`}
                    >
                      Sign in
                    </Button>
                  </ListItem>
                ))}
                <ListItem>
                  <ListItemText
                    primary="guest"
                    secondary="user:development/guest, in no group"
                  />
                  <Button
                    variant="outlined"
                    onClick={() => pick(GUEST)}
                    aria-label="Sign in as guest"
                  >
                    Enter
                  </Button>
                </ListItem>
              </List>
            </InfoCard>
          </Grid>
        </Grid>
      </Content>
    </Page>
  );
};
