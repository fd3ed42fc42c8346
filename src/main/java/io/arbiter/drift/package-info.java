/**
 * Drift of live model inputs from a registered reference: reference profiles (numeric histograms,
 * categorical frequencies) per model version, sliding windows of recent inputs updated in constant
 * time at intake, PSI and Kolmogorov–Smirnov statistics computed off the request path, and drift
 * alarms raised and cleared as events. The last assessment is what policies read as {@code drift.*}
 * facts, pinned with each decision.
 *
 * <p>Plain Java; records through {@code io.arbiter.event}, reads the graph through the {@link
 * io.arbiter.drift.DriftRecords} port that {@code graph} implements.
 */
package io.arbiter.drift;
