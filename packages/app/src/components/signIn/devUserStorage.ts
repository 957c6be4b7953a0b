const KEY = 'self-service.dev-user';

/** Marker for the guest provider instead of a named example user. */
export const GUEST = '__guest__';

/**
 * The user chosen on the development sign-in page. `?as=<name>` in the URL
 * picks one directly, which is how the browser tests switch identity.
 */
export function chosenUser(): string | undefined {
  const fromUrl = new URLSearchParams(window.location.search).get('as');
  if (fromUrl) {
    chooseUser(fromUrl === 'guest' ? GUEST : fromUrl);
  }
  return window.localStorage.getItem(KEY) ?? undefined;
}

export function chooseUser(name: string) {
  window.localStorage.setItem(KEY, name);
}

export function forgetUser() {
  window.localStorage.removeItem(KEY);
}
