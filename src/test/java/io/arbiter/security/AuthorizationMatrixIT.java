package io.arbiter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.arbiter.security.OpenApiOperations.Answer;
import io.arbiter.security.OpenApiOperations.Op;
import io.arbiter.testing.Api;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every operation of the served OpenAPI document, called over HTTP by every role (one demo user per
 * role, named after it) and without credentials, against its row of docs/authorization.md, a table
 * written apart from the code: an operation without a row, a row whose request is not the
 * operation's, a row of an operation the server does not serve, and an operation open without login
 * that is not in {@link #PUBLIC}, each fail the build.
 *
 * <p>Expected: without credentials, {@code 401} (public operations: anything else); a role the
 * operation does not allow, {@code 403 forbidden}; a role it allows, anything but {@code 401} and
 * {@code 403 forbidden} (the path's ids name nothing, so most answer 404 or 4xx for the body; a
 * rule of data such as separation of duties may still refuse with its own problem type). The tenant
 * dimension of the same operations is {@link TenantMatrixIT}'s.
 */
@ExtendWith(ArquillianExtension.class)
class AuthorizationMatrixIT {

  /** The operations documented as open without login (docs/security.md, "What is public"). */
  private static final Set<String> PUBLIC = Set.of("getCheckpoint", "getTile", "getLedgerKey");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Api.war();
  }

  @Test
  void everyOperation_everyRoleAndNone_getsWhatItsRowSays() {
    Map<String, String> wrong = new TreeMap<>();
    Set<String> open = new TreeSet<>();
    Set<String> served = new TreeSet<>();
    int calls = 0;
    for (Op op : OpenApiOperations.operations()) {
      served.add(op.id());
      if (op.rule() == null) {
        wrong.put(op.id(), "no row in " + OpenApiOperations.TABLE + " for " + op);
        continue;
      }
      if (!op.rule().request().equals(op.method() + " " + op.path())) {
        wrong.put(op.id(), "its row names " + op.rule().request() + ", the server serves " + op);
      }
      String url = concrete(op.path());
      if (op.rule().roles().isEmpty()) {
        open.add(op.id());
      }
      Answer anonymous = OpenApiOperations.call(op.method(), url, op.bodyType(), null);
      calls++;
      if (op.rule().roles().isPresent() && anonymous.status() != 401) {
        wrong.put(op.id() + " unauthenticated", "expected 401, got " + anonymous.status());
      }
      if (op.rule().roles().isEmpty() && anonymous.refused()) {
        wrong.put(op.id() + " unauthenticated", "public, got " + anonymous.status());
      }
      for (String role : OpenApiOperations.ROLES) {
        Answer reply = OpenApiOperations.call(op.method(), url, op.bodyType(), role);
        calls++;
        if (op.rule().allows(role) == reply.refused()) {
          wrong.put(
              op.id() + " as " + role,
              (op.rule().allows(role) ? "allowed, got " : "expected 403 forbidden, got ")
                  + reply.brief());
        }
      }
    }
    Set<String> stale = new TreeSet<>(OpenApiOperations.documented().keySet());
    stale.removeAll(served);
    assertEquals(
        Set.of(), stale, "rows of " + OpenApiOperations.TABLE + " the server does not serve");
    assertEquals(Map.of(), wrong, "authorisation matrix, " + calls + " calls");
    assertEquals(
        new TreeSet<>(PUBLIC),
        open,
        "the operations open without login are exactly the documented public ones");
    assertTrue(calls > 9 * 50, "the matrix covered " + calls + " calls");
  }

  /** The path template with every parameter naming nothing ({@code {id}} becomes {@code none}). */
  private static String concrete(String template) {
    return template.replaceAll("\\{[^}]+\\}", "none");
  }
}
