package io.arbiter.decision.api;

import io.arbiter.decision.ContextMatch;
import io.arbiter.problem.FieldError;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The {@code contextKey} and {@code contextValue} query parameters (a {@code @BeanParam}), declared
 * once for the endpoints that narrow the decisions they count or list to one context value ({@link
 * ContextMatch}): the decision table and the HITL figures.
 *
 * <p>The review figures count tasks and word {@code contextKey} so; they declare the two parameters
 * themselves. Liberty's OpenAPI scanner neither merges a method-level {@code @Parameter(name =
 * "contextKey")} into a bean parameter nor lets a subclass reword one: it lists the parameter
 * twice.
 */
public class ContextParameters {

  @Parameter(description = "Only decisions whose context has this key (with contextValue)")
  @QueryParam("contextKey")
  private String key;

  @Parameter(
      description = ContextMatch.VALUE_DESCRIPTION,
      schema = @Schema(type = SchemaType.STRING, maxLength = ContextMatch.MAX_VALUE))
  @QueryParam("contextValue")
  private String value;

  /**
   * The match the two parameters ask for, as {@link ContextMatch#parse}: none when both are absent;
   * what is wrong is added to {@code errors}, naming the parameter.
   */
  public Optional<ContextMatch> parse(List<FieldError> errors) {
    return ContextMatch.parse(key, value, errors);
  }
}
