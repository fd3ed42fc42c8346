/**
 * Roles and who may do what. Every endpoint names its roles with {@code @RolesAllowed}; rules that
 * depend on data (an integrator reads only their own decisions; later, separation of duties) are
 * checked in the services, not only by annotations.
 */
package io.arbiter.security;
