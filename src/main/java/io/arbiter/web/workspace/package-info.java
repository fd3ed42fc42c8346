/**
 * Signing in to the workspace (docs/ui.md): one Jakarta Security authentication mechanism that
 * takes HTTP Basic when a request carries an {@code Authorization} header (integrators, the tests)
 * and otherwise the workspace's session cookie, both checked against the server's configured user
 * registry; the in-memory session table; the sign-in endpoints; and the filter that refuses
 * cookie-authenticated changes a page of another site could have sent. May import {@code
 * io.arbiter.security} and {@code io.arbiter.web}; nothing imports it.
 */
package io.arbiter.web.workspace;
