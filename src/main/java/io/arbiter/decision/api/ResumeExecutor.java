package io.arbiter.decision.api;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Executor;

/**
 * The managed executor that answers waiting GETs when their decision is settled, looked up once. A
 * {@code @Resource} on the request-scoped resource itself was resolved on every request — an OSGi
 * service-registry search that took a seventh of intake's CPU under load.
 */
@ApplicationScoped
public class ResumeExecutor implements Executor {

  @Resource ManagedExecutorService executor;

  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }
}
