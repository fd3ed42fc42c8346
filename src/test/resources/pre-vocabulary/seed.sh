#!/bin/bash
# How 00000000000000000000.journal.gz was made: the journal of a server of commit 01663b0 (the last
# before outcome vocabularies) started on a fresh data directory with the demo settings
# (ARBITER_DATA_DIR=/tmp/pv-data mvn liberty:run), given what this script sends, stopped, and its one
# segment gzipped. PreVocabularyStoreIT reads it with today's server.
set -euo pipefail
B=${B:-http://localhost:9080}
P=${ARBITER_DEMO_PASSWORD:-arbiter}

submit() { # subject amount income riskScore label confidence -> decision id
  curl -s -u "integrator:$P" -H 'Content-Type: application/json' "$B/api/v1/decisions" -d "{
    \"model\": {\"name\": \"demo-credit\", \"version\": \"1\"}, \"subject\": \"$1\",
    \"input\": {\"amount\": $2, \"income\": $3, \"riskScore\": $4},
    \"output\": {\"label\": \"$5\", \"score\": $6, \"confidence\": $6}, \"context\": {\"region\": \"EU\"}}" |
    python3 -c 'import sys, json; print(json.load(sys.stdin)["id"])'
}
claim() { curl -sf -o /dev/null -u "$2:$P" -X POST "$B/api/v1/reviews/$1/claim"; }
post() { curl -sf -o /dev/null -u "$2:$P" -H 'Content-Type: application/json' "$B/api/v1/$1" -d "$3"; }

automated_approve=$(submit pv-automated-approve 12000 56000 0.1 approve 0.91) # affordable-low-risk
automated_reject=$(submit pv-automated-reject 20000 56000 0.95 reject 0.9)    # high-risk-reject
overridden=$(submit pv-overridden 40000 56000 0.5 approve 0.8)                # default: review
agreed=$(submit pv-agreed 40000 56000 0.5 approve 0.8)                        # default: review
ruled=$(submit pv-blind-ruled 90000 56000 0.2 approve 0.9)                    # large-amount: 2, blind
submit pv-open 30000 56000 0.4 approve 0.85 >/dev/null                        # left open
submit pv-open-blind 95000 56000 0.2 reject 0.9 >/dev/null                    # left open, blind

# A review task's id is its decision's.
claim "$overridden" reviewer
post "reviews/$overridden/verdict" reviewer \
  '{"verdict": "reject", "reasonCode": "income-too-low", "rules": ["default"], "justification": "The income does not cover it."}'
claim "$agreed" reviewer2
post "reviews/$agreed/verdict" reviewer2 \
  '{"verdict": "approve", "reasonCode": "income-verified", "rules": ["default"]}'
claim "$ruled" reviewer
claim "$ruled" reviewer2
post "reviews/$ruled/verdict" reviewer \
  '{"verdict": "approve", "reasonCode": "income-verified", "rules": ["rule-2"], "justification": "Collateral covers it."}'
post "reviews/$ruled/verdict" reviewer2 \
  '{"verdict": "reject", "reasonCode": "too-large", "rules": ["rule-2"], "justification": "Above 1.5x income."}'
post "reviews/$ruled/adjudication" lead-reviewer \
  '{"verdict": "reject", "reasonCode": "too-large", "rules": ["rule-2"], "justification": "Exposure limit."}'

now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
post "decisions/$automated_approve/outcome" integrator "{\"outcome\": \"reject\", \"observedAt\": \"$now\", \"note\": \"defaulted\"}"
post "decisions/$agreed/outcome" integrator "{\"outcome\": \"approve\", \"observedAt\": \"$now\", \"note\": \"repaid\"}"
post "decisions/$overridden/outcome" integrator "{\"outcome\": \"reject\", \"observedAt\": \"$now\", \"note\": \"no loan taken\"}"
echo "$automated_approve $automated_reject $overridden $agreed $ruled"
