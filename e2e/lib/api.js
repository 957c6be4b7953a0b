const BACKEND = process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';

/** A Backstage token for an example user via the development provider. */
async function tokenFor(user) {
  const res =
    user === 'guest'
      ? await fetch(`${BACKEND}/api/auth/guest/refresh`)
      : await fetch(`${BACKEND}/api/auth/development/refresh`, {
          headers: { 'x-self-service-dev-user': user },
        });
  if (!res.ok) throw new Error(`sign-in as ${user} failed: ${res.status} ${await res.text()}`);
  return (await res.json()).backstageIdentity.token;
}

async function api(user, method, path, body) {
  const token = await tokenFor(user);
  const res = await fetch(`${BACKEND}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

/** Polls `fn` until it returns a truthy value or the timeout passes. */
async function eventually(fn, timeoutMs = 60000, intervalMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (last) return last;
    await new Promise(r => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

module.exports = { BACKEND, api, eventually, tokenFor };
