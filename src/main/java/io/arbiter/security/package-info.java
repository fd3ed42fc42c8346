/**
 * Roles and who may do what. Every endpoint names its roles with {@code @RolesAllowed}; rules that
 * depend on data (an integrator reads only their own decisions; later, separation of duties) are
 * checked in the services, not only by annotations. Also the deployment mode and its start-up
 * checks, and single sign-on: the settings ({@link io.arbiter.security.SsoSettings}) and the
 * verification of an OpenID provider's bearer tokens ({@link io.arbiter.security.BearerTokens}),
 * which the sign-in mechanism of {@code web.workspace} calls, with the browser's sign-in through
 * the provider ({@link io.arbiter.security.OidcLogin}, its bounded table of sign-ins under way) and
 * the throttle on password sign-ins ({@link io.arbiter.security.SignInThrottle}). May import
 * jose4j; never Jena or JAX-RS.
 */
package io.arbiter.security;
