// The workspace's one way to the server: the public API, with the session cookie the browser holds.
// Every request carries X-Requested-With, the proof the server asks of cookie-authenticated changes
// (docs/ui.md), and which also keeps it from answering 401 with a Basic password dialog.

/** An error answered by the server as RFC 9457 problem+json (or a stand-in for one). */
export class Problem extends Error {
  constructor(status, body) {
    super(body.title || `HTTP ${status}`);
    this.status = status;
    this.title = body.title || `HTTP ${status}`;
    this.detail = body.detail || '';
    this.errors = Array.isArray(body.errors) ? body.errors : [];
    this.traceId = body.traceId || '';
  }
}

const HEADERS = { 'X-Requested-With': 'arbiter-workspace', Accept: 'application/json' };

/**
 * Sends a request; resolves to the parsed JSON (null for 204), or with `options.accept` another
 * type, to the text; rejects with a Problem. `options.headers` are added to the request's. A body
 * is sent as JSON, except form parameters, and a string with `options.contentType`, sent as it is.
 */
export async function call(method, path, body, options = {}) {
  const headers = { ...HEADERS, ...(options.headers || {}) };
  if (options.accept) headers.Accept = options.accept;
  const init = { method, headers, credentials: 'same-origin' };
  if (body instanceof URLSearchParams) {
    init.body = body;
  } else if (typeof body === 'string' && options.contentType) {
    init.headers['Content-Type'] = options.contentType;
    init.body = body;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new Problem(0, { title: 'The server cannot be reached', detail: String(e.message || e) });
  }
  if (response.status === 401 && !path.startsWith('/auth/')) {
    // The session ended: sign in again, then come back here.
    location.assign('/ui/?next=' + encodeURIComponent(location.pathname + location.search));
    throw new Problem(401, { title: 'Sign in again' });
  }
  const type = response.headers.get('Content-Type') || '';
  if (response.ok && options.accept) return response.text();
  const json = type.includes('json') ? await response.json() : null;
  if (!response.ok) {
    throw new Problem(response.status, json || { title: `HTTP ${response.status}` });
  }
  return json;
}

export const get = (path, options) => call('GET', path, undefined, options);
export const post = (path, body) => call('POST', path, body);
