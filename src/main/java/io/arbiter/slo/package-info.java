/**
 * Service-level objectives of the human-in-the-loop system, from a YAML file: each is evaluated
 * continuously over a sliding time window of event counts fed by intake and settlement listeners;
 * its SLI, error-budget burn and breach state are shown in the API and at {@code /metrics}, and
 * breaches begin and end as {@code slo.*} events in the graph. An objective may be scoped to one
 * model's, tenant's or context value's decisions ({@link io.arbiter.slo.ObjectiveScope}).
 *
 * <p>Plain Java; records through {@code io.arbiter.event}, reads open breaches through the {@link
 * io.arbiter.slo.SloRecords} port that {@code graph} implements.
 */
package io.arbiter.slo;
