/**
 * What the bundles mean: the PROV-O mapping of every event ({@link
 * io.arbiter.graph.prov.ProvMapper}, terms in {@link io.arbiter.graph.prov.Vocab}), the bundle
 * digest over RDFC-1.0 canonical N-Quads ({@link io.arbiter.graph.prov.BundleDigest}), and the
 * readers that read bundles back for the capabilities' ports ({@code Prov*Records}, {@link
 * io.arbiter.graph.prov.ProvPolicyOutcomes}), for lineage and for dataset impact. They read through
 * {@link io.arbiter.graph.prov.GraphReads}, the port this package owns and the stores implement.
 * Also the ontology extensions: their vocabulary, shapes, and their CDI wiring ({@link
 * io.arbiter.graph.prov.OntologyWiring}, beside what it wires, as each capability's {@code *Wiring}
 * is).
 *
 * <p>May import Jena (RDF, SPARQL, SHACL; not TDB2), titanium-rdfc, JSON-P, CDI, {@code event},
 * {@code config}, {@code problem}, {@code jobs} (the {@code Progress} a report tells) and the
 * capabilities whose ports it implements or whose events it maps; none of {@code graph.store},
 * {@code graph.api}, {@code graph.verify}, nor the journal.
 */
package io.arbiter.graph.prov;
