/** The review API: queues, claims, verdicts and rulings over HTTP. */
package io.arbiter.review.api;
