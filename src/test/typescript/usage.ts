// Calls the generated TypeScript client (typescript-fetch) as docs/clients.md shows. The build does
// not run it: tsc --strict checks that the client compiles and that these calls still type-check,
// so an operation renamed, a parameter dropped or a model changed in the contract fails the build.
import {
  Configuration,
  DecisionsApi,
  PoliciesApi,
  ProblemFromJSON,
  ProvenanceApi,
  ResponseError,
  ReviewsApi,
  type DecisionReceipt,
  type Problem,
} from "../../../target/clients/typescript/index";

/** One configuration per user: the contract's `basic` security scheme takes these credentials. */
export function configuration(username: string, password: string): Configuration {
  return new Configuration({ basePath: "http://localhost:9080", username, password });
}

/** Errors are RFC 9457 problem details (application/problem+json). */
export async function problemOf(error: unknown): Promise<Problem | undefined> {
  if (error instanceof ResponseError) {
    return ProblemFromJSON(await error.response.json());
  }
  return undefined;
}

export async function submitAndFollow(integrator: Configuration): Promise<DecisionReceipt> {
  const decisions = new DecisionsApi(integrator);
  try {
    const receipt = await decisions.submitDecision({
      idempotencyKey: "loan-0001",
      decisionRequest: {
        model: { name: "demo-credit", version: "1" },
        subject: "loan-0001",
        input: { amount: 12000, income: 56000, riskScore: 0.1 },
        output: { label: "approve", score: 0.82, confidence: 0.91 },
      },
    });
    if (receipt.status === "pending_review" && receipt.id !== undefined) {
      // Wait up to a minute for the humans' ruling.
      const settled = await decisions.getDecision({ id: receipt.id, prefer: "wait=60" });
      console.log(settled.status, settled.resolution);
    }
    return receipt;
  } catch (error) {
    const problem = await problemOf(error);
    if (problem) {
      console.error(problem.status, problem.title, problem.detail, problem.errors, problem.traceId);
    }
    throw error;
  }
}

/** RDF answers are text: ask for one syntax with an Accept header of the call's own. */
export async function provenanceAsTurtle(auditor: Configuration, id: string): Promise<string> {
  const provenance = new ProvenanceApi(auditor);
  return provenance.getDecisionProvenance(
    { id },
    { headers: { Accept: "text/turtle" } },
  );
}

export async function reviewTwice(reviewer: Configuration, taskId: string): Promise<void> {
  const reviews = new ReviewsApi(reviewer);
  await reviews.claimReviewTask({ id: taskId });
  const task = await reviews.submitVerdict({
    id: taskId,
    verdictRequest: {
      verdict: "approve",
      reasonCode: "income-verified",
      rules: ["large-amount"],
      justification: "Collateral covers it.",
    },
  });
  console.log(task.task?.state, task.verdicts?.length);
}

export async function approve(approver: Configuration, id: string, version: string) {
  const policies = new PoliciesApi(approver);
  const approved = await policies.approvePolicyVersion({
    id,
    version,
    reason: { reason: "Reviewed the backtest." },
  });
  const report = await policies.getShadowReport({ id, version });
  return { state: approved.state, agreement: report.agreement };
}
