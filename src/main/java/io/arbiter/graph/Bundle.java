package io.arbiter.graph;

import org.apache.jena.graph.Graph;

/** One event's named graph, ready to store. */
public record Bundle(String iri, long sequence, Graph triples) {}
