package io.arbiter.jobs.api;

import io.arbiter.jobs.Job;
import io.arbiter.jobs.JobRegistry;
import io.arbiter.jobs.JobState;
import io.arbiter.jobs.Progress;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.web.Permits;
import io.arbiter.web.Problems;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a report request: at once on the request thread when the client states no preference (as
 * every report always did), or as a job when it sends {@code Prefer: respond-async}: {@code 202
 * Accepted}, the job, and its {@code Location}; with {@code wait=N} too, the report itself if it is
 * done within N seconds (at most {@code arbiter.jobs.max-wait}). Either way the report first takes
 * a permit of its kind, so that a job counts against the same limit as the request it replaces; the
 * job holds it until it finishes.
 */
@ApplicationScoped
public class Reports {

  private static final Logger LOG = Logger.getLogger(Reports.class.getName());

  @Inject JobRegistry jobs;

  @Inject
  @ConfigProperty(name = "arbiter.jobs.max-wait")
  Duration maxWait;

  private Permits permits;

  @PostConstruct
  void create() {
    permits = Permits.configured("reports", "arbiter.reports");
  }

  /** A report that counts against {@code arbiter.reports}' permits. */
  public Response run(
      String kind,
      HttpHeaders headers,
      SecurityContext security,
      UriInfo uri,
      JobRegistry.Work work) {
    return run(kind, headers, security, uri, permits::acquire, work);
  }

  /**
   * A report that counts against other permits (a verification against {@code arbiter.verify}'s).
   *
   * @throws ProblemException as the permits refuse ({@code too-many-requests}, {@code
   *     server-busy}), as the report fails when answered at once, or when it failed within the wait
   */
  public Response run(
      String kind,
      HttpHeaders headers,
      SecurityContext security,
      UriInfo uri,
      Function<String, Permits.Permit> permit,
      JobRegistry.Work work) {
    String caller = security.getUserPrincipal().getName();
    Prefer prefer = Prefer.of(headers.getRequestHeader(Prefer.HEADER));
    Permits.Permit held = permit.apply(caller);
    if (!prefer.respondAsync()) {
      try (held) {
        return Response.ok(work.run(Progress.NONE), MediaType.APPLICATION_JSON_TYPE).build();
      }
    }
    Job job = jobs.submit(caller, kind, held, logged(kind, work));
    Optional<Duration> wait = prefer.waitAtMost(maxWait);
    if (wait.isPresent()) {
      job = jobs.await(job.id(), caller, false, wait.get()).orElse(job);
      if (job.state() == JobState.SUCCEEDED) {
        return Response.ok(job.result().orElseThrow(), MediaType.APPLICATION_JSON_TYPE).build();
      }
      if (job.state() == JobState.FAILED) {
        throw job.failure().orElseThrow();
      }
    }
    return Response.accepted(JobView.of(job))
        .type(MediaType.APPLICATION_JSON_TYPE)
        .location(uri.getBaseUriBuilder().path("api/v1/jobs/{id}").build(job.id()))
        .header(Prefer.APPLIED, "respond-async")
        .header("Retry-After", 1)
        .build();
  }

  /**
   * A job's failure is read later, far from any log line: one the report did not expect is logged
   * now with a trace id, and kept as an internal problem naming that id alone.
   */
  private static JobRegistry.Work logged(String kind, JobRegistry.Work work) {
    return progress -> {
      try {
        return work.run(progress);
      } catch (ProblemException | CancellationException e) {
        throw e;
      } catch (RuntimeException e) {
        String trace = Problems.newTraceId();
        LOG.log(Level.SEVERE, "the " + kind + " job failed, trace " + trace, e);
        throw new ProblemException(ProblemType.INTERNAL, Problems.internalDetail(trace));
      }
    };
  }
}
