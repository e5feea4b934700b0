"""Helpers for the conformance tests: the material others wrote (../shared/conformance/),
a JSON-LD processor (pyld) that reads the EPCIS context from the package instead of the
network, GS1's reference event hash, and the project's npm validators (.ci/npm/)."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from langso.trace import epcis

ROOT = Path(__file__).resolve().parents[3]
NPM_DIR = ROOT / ".ci" / "npm"


def _missing(reason: str):
    """Skip locally; in CI (CI=true, where .ci/conformance-trace.sh installed the tools and
    ../shared/ is laid beside the checkout) a missing tool is a failure, not a skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def shared_dir(*parts: str) -> Path:
    """A folder of ../shared/ (beside the checkout in CI; LANGSO_SHARED_DIR overrides; a
    work tree one level deeper finds it too). Skips the test when it is missing."""
    candidates = (
        [Path(os.environ["LANGSO_SHARED_DIR"])] if "LANGSO_SHARED_DIR" in os.environ else []
    )
    candidates += [ROOT.parent / "shared", ROOT.parent.parent / "shared"]
    for base in candidates:
        folder = base.joinpath(*parts)
        if folder.is_dir():
            return folder
    _missing(f"{'/'.join(parts)} not found beside the checkout (../shared/)")


def gs1_examples() -> list[Path]:
    return sorted(shared_dir("conformance", "epcis-gs1-examples").glob("*.json*"))


def _loader(url, options=None):
    from pyld.jsonld import JsonLdError

    if url == epcis.EPCIS_CONTEXT:
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": copy.deepcopy(epcis.epcis_context_document()),
        }
    raise JsonLdError("Offline: only the EPCIS context is known.", "jsonld.LoadDocumentError")


def expand(document: dict) -> list:
    from pyld import jsonld

    return jsonld.expand(copy.deepcopy(document), {"documentLoader": _loader})


def event_list(document: dict) -> list[dict]:
    body = document["epcisBody"]
    if "queryResults" in body:
        return body["queryResults"]["resultsBody"]["eventList"]
    return body["eventList"]


def expanded_events(document: dict) -> list[str]:
    """Each event of the document as its JSON-LD expansion (canonical JSON text), expanded
    under the document's @context and its own."""
    out = []
    for event in event_list(document):
        body = {k: v for k, v in event.items() if k != "@context"}
        context = epcis.capture_context(document.get("@context"), event.get("@context"))
        out.append(json.dumps(expand({"@context": context, **body}), sort_keys=True))
    return out


def event_hashes(document: dict) -> list[str | None]:
    """GS1's reference CBV 2.0 event hash of each event (None where the generator fails).
    It reads namespaces from the document's @context only, so events carrying their own
    context are hashed as a document of their own."""
    from epcis_event_hash_generator import json_to_py
    from epcis_event_hash_generator.hash_generator import epcis_hashes_from_events

    out: list[str | None] = []
    for event in event_list(document):
        body = {k: v for k, v in event.items() if k != "@context"}
        single = {
            "@context": epcis.capture_context(document.get("@context"), event.get("@context")),
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": "2026-01-01T00:00:00Z",
            "epcisBody": {"eventList": [body]},
        }
        json_to_py._namespaces.clear()  # the generator keeps namespaces between calls
        try:
            out.append(
                epcis_hashes_from_events(json_to_py.event_list_from_epcis_document_json(single))[0]
            )
        except Exception:
            out.append(None)
    return out


def node_tool(script: str, payload) -> dict:
    """Run .ci/npm/<script> on `payload` (JSON on stdin) and return its JSON answer; skips
    when node or the installed packages are missing (CI installs them: .ci/conformance-trace.sh)."""
    node = shutil.which("node")
    if node is None or not (NPM_DIR / "node_modules").is_dir():
        _missing("node or .ci/npm/node_modules missing (npm ci --prefix .ci/npm)")
    done = subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [node, str(NPM_DIR / script)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)
