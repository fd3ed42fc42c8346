package io.arbiter.jobs.api;

import io.arbiter.jobs.Job;
import io.arbiter.problem.ProblemException;
import io.arbiter.problem.ProblemType;
import io.arbiter.web.Problems;
import jakarta.json.JsonObject;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A job as JSON. */
@Schema(name = "Job")
public record JobView(
    String id,
    @Schema(
            description = "The report it runs",
            enumeration = {"backtest", "coverage", "shadow-report", "impact", "verification"})
        String kind,
    @Schema(
            description =
                "queued → running → succeeded, failed or cancelled (a queued job may be cancelled"
                    + " before it runs)",
            enumeration = {"queued", "running", "succeeded", "failed", "cancelled"})
        String state,
    @Schema(description = "Who started it; only they and admins see it") String owner,
    ProgressView progress,
    Instant created,
    Instant started,
    Instant finished,
    @Schema(description = "Where to read it: GET polls, POST .../cancel cancels") String href,
    @Schema(
            type = SchemaType.OBJECT,
            description =
                "Once succeeded: the report, exactly as the synchronous request answers it (a"
                    + " BacktestReport, PolicyCoverage, ShadowReport, DatasetImpact or"
                    + " ReportView)")
        Object result,
    @Schema(
            ref = "Problem",
            description = "Once failed: why, as the synchronous request would have answered")
        JsonObject problem) {

  /** How far it got, in the report's own units (decisions, journal records, queries). */
  @Schema(name = "JobProgress")
  public record ProgressView(
      long done, @Schema(description = "Absent until the report knows it") Long total) {}

  static String href(String id) {
    return "/api/v1/jobs/" + id;
  }

  static JobView of(Job job) {
    return new JobView(
        job.id(),
        job.kind(),
        job.state().wireName(),
        job.owner(),
        new ProgressView(job.done(), job.total().isPresent() ? job.total().getAsLong() : null),
        job.created(),
        job.started().orElse(null),
        job.finished().orElse(null),
        href(job.id()),
        job.result().orElse(null),
        job.failure().map(JobView::problem).orElse(null));
  }

  /**
   * A failure as problem+json says it. Reports fail with problems; anything else was logged with a
   * trace id when the job failed, and turned into a problem naming it ({@link Reports}).
   */
  private static JsonObject problem(RuntimeException failure) {
    ProblemException problem =
        failure instanceof ProblemException p
            ? p
            : new ProblemException(ProblemType.INTERNAL, "The report failed.");
    return Problems.body(problem.type(), problem.getMessage(), problem.errors(), null);
  }
}
