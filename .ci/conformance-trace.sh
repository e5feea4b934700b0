#!/usr/bin/env bash
# Traceability conformance tools, for the test runs that follow in .ci/run:
# - npm epcis2.js (EVRYTHNG/Zebra) validates every EPCIS document the query interface answers
#   for GS1's examples (../shared/conformance/epcis-gs1-examples/) and the platform's exports,
#   and hashes their events (CBV 2.0 event hash) against the originals;
# - npm digital-link.js (GS1) validates every printed URI (labels PNG/SVG/PDF, scan page,
#   demo output, linkset anchors) and cross-checks compressed Digital Links with ours.
# PyLD (JSON-LD expansion, offline) and epcis-event-hash-generator (GS1's reference hash)
# come with `.[test]`. With CI=true the tests fail, instead of skipping, when a tool or the
# shared material is missing (langso/trace/tests/conformance.py).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Trace conformance tools (.ci/npm: digital-link.js, epcis2.js)"
npm ci --prefix .ci/npm --no-audit --no-fund --loglevel=error
node -e 'require("./.ci/npm/node_modules/digital-link.js"); require("./.ci/npm/node_modules/epcis2.js")'
ls ../shared/conformance/epcis-gs1-examples/*.jsonld | wc -l | xargs echo "GS1 EPCIS examples:"
