package io.arbiter.graph.api;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource whose answers are computed from the graph store: {@link GraphSequenceFilter}
 * makes it honour {@code Arbiter-Wait-For-Sequence} and state {@code Arbiter-Graph-Sequence}.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface GraphSequenced {}
