package io.arbiter.config;

/**
 * The order in which capabilities start (CDI observer priorities on application start-up): the
 * store and ledger first, models before the policies that name them, policies before decisions are
 * served.
 */
public final class StartupOrder {
  private StartupOrder() {}

  /**
   * The deployment mode is checked: in production, missing or default passwords stop start-up
   * before anything opens.
   */
  public static final int SECURITY = 10;

  /**
   * Ontology extensions and the audit query library are read and checked: a bad file stops start-up
   * before anything opens.
   */
  public static final int ONTOLOGY = 40;

  /** The graph store and its writer open; the ledger tree is rebuilt from the stored entries. */
  public static final int STORE = 50;

  /** The stored checkpoint is checked against the tree, and checkpoints are signed from now on. */
  public static final int LEDGER = 60;

  public static final int REGISTRY = 100;
  public static final int POLICIES = 200;
  public static final int DECISIONS = 300;

  /** Drift references and raised alarms are loaded; intake reads drift facts from here on. */
  public static final int DRIFT = 320;

  /**
   * Integrators are told of settlements, reviewers of task changes, from here on (callbacks, event
   * streams).
   */
  public static final int NOTIFY = 350;

  /** Review tasks are rebuilt after the decisions, and the SLA sweep starts. */
  public static final int REVIEWS = 400;
}
