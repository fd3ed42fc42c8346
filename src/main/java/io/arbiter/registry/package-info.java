/**
 * The registry of what decisions depend on: data sources and their fields, datasets and their
 * versions, features, and model versions with their training, metrics and approval. Entries are
 * immutable and refer only to registered entries, so lineage from a decision ends at described
 * sources.
 *
 * <p>Plain Java plus CDI and MicroProfile Config; records through {@code io.arbiter.event}, reads
 * through the {@link io.arbiter.registry.RegistryRecords} port that {@code graph} implements.
 */
package io.arbiter.registry;
