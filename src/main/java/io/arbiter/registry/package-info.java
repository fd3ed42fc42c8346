/**
 * The registry of what decisions depend on: model versions for now; data sources, datasets and
 * features follow. A decision naming an unregistered model version is refused.
 *
 * <p>Plain Java plus CDI and MicroProfile Config; records through {@code io.arbiter.event}, reads
 * through the {@link io.arbiter.registry.ModelRecords} port that {@code graph} implements.
 */
package io.arbiter.registry;
