import { ReactNode } from 'react';
import { AppTheme } from '@backstage/core-plugin-api';
import { themes, UnifiedThemeProvider } from '@backstage/theme';
import { CssBaseline } from '@material-ui/core';
import DarkIcon from '@material-ui/icons/Brightness2';
import LightIcon from '@material-ui/icons/WbSunny';

// The default theme providers do not reset the page background, so the dark
// theme showed dark cards on a white body; CssBaseline paints the body too.
const withBaseline = (theme: typeof themes.light) => ({ children }: { children: ReactNode }) => (
  <UnifiedThemeProvider theme={theme}>
    <CssBaseline />
    {children}
  </UnifiedThemeProvider>
);

export const appThemes: AppTheme[] = [
  { id: 'light', title: 'Light Theme', variant: 'light', icon: <LightIcon />, Provider: withBaseline(themes.light) },
  { id: 'dark', title: 'Dark Theme', variant: 'dark', icon: <DarkIcon />, Provider: withBaseline(themes.dark) },
];
