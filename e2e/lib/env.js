const fs = require('node:fs');

/** The Chromium binary to drive: CHROMIUM_PATH, or Debian's. */
function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find(p => p && fs.existsSync(p));
}

/** Polls a URL until it answers 2xx, or gives up after `timeoutMs`. */
async function waitFor(url, timeoutMs, { quiet = false } = {}) {
  const deadline = Date.now() + timeoutMs;
  do {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      /* not up yet */
    }
    if (quiet) return false;
    await new Promise(r => setTimeout(r, 1000));
  } while (Date.now() < deadline);
  return false;
}

module.exports = { chromiumPath, waitFor };
