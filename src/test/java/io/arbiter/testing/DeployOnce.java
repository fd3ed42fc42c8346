package io.arbiter.testing;

import org.jboss.arquillian.container.spi.event.DeployManagedDeployments;
import org.jboss.arquillian.container.spi.event.UnDeployManagedDeployments;
import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.core.spi.EventContext;
import org.jboss.arquillian.core.spi.LoadableExtension;

/**
 * Deploys the application into the Arquillian server once for the whole run, as production runs it,
 * instead of once per IT class. Every IT class deploys the same archive ({@link Api#war}), so a
 * redeployment showed nothing new; it cost about ten seconds of each class (CI ran 42 of them), and
 * each one leaked a class loader (arquillian.xml). The server and its data directory were already
 * shared by all classes, so no IT may assume a fresh store; with one deployment none may assume a
 * fresh application either. The server stops when the run ends, taking the application with it. An
 * IT that needs another archive, or a fresh application, runs its own server ({@link OwnServer}): a
 * different {@code @Deployment} here would be ignored.
 */
public final class DeployOnce implements LoadableExtension {

  @Override
  public void register(ExtensionBuilder builder) {
    builder.observer(Interceptor.class);
  }

  /** Arquillian's interceptors: an observer of an {@link EventContext} decides to proceed. */
  public static final class Interceptor {
    // Failsafe runs every IT class in one JVM, and Arquillian fires its events on one thread.
    private static boolean deployed;

    public void deploy(@Observes EventContext<DeployManagedDeployments> deployment) {
      if (!deployed) {
        deployment.proceed();
        deployed = true;
      }
    }

    public void keepDeployed(@Observes EventContext<UnDeployManagedDeployments> undeployment) {
      // not proceeding: the next IT class uses this deployment
    }
  }
}
