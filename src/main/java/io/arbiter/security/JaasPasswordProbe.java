package io.arbiter.security;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * Asks the server's user registry whether a password is accepted, through a JAAS programmatic login
 * with Liberty's {@code WSLogin} configuration: the registry of {@code server.xml} or LDAP,
 * whatever the operator configured, checked as a sign-in would be, with no copy of its users here.
 * Liberty's login modules take the standard name and password callbacks; the others they offer are
 * left unanswered.
 */
final class JaasPasswordProbe implements ProductionReadiness.PasswordProbe {

  static final String CONFIGURATION = "WSLogin";

  /**
   * @throws IllegalStateException when the server has no {@code WSLogin} configuration, so that a
   *     probe that could not ask never passes for one that was refused
   */
  JaasPasswordProbe() {
    if (Configuration.getConfiguration().getAppConfigurationEntry(CONFIGURATION) == null) {
      throw new IllegalStateException(
          "the server offers no JAAS login configuration "
              + CONFIGURATION
              + ", so the users' passwords cannot be checked");
    }
  }

  @Override
  public boolean accepts(String user, String password) {
    try {
      LoginContext login =
          new LoginContext(
              CONFIGURATION,
              callbacks -> {
                for (Callback callback : callbacks) {
                  if (callback instanceof NameCallback name) {
                    name.setName(user);
                  } else if (callback instanceof PasswordCallback secret) {
                    secret.setPassword(password.toCharArray());
                  }
                }
              });
      login.login();
      login.logout();
      return true;
    } catch (LoginException refused) {
      return false;
    }
  }
}
