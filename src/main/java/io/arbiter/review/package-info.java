/**
 * Human review: tasks created with the decisions a policy escalates or QA samples, queues and who
 * may work them, claims, verdicts with reason codes and justifications, four-eyes review with
 * adjudication, separation of duties, and SLAs that escalate and fail safe.
 */
package io.arbiter.review;
