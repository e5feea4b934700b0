"""Who may use each page and each API operation: the data of test_authz_matrix.py.

ADDING A ROUTE? Add one row here, or test_every_route_has_a_policy_row fails.

- Pages are keyed by their URL name ("namespace:name", as in `reverse`); API operations by
  their operationId in /api/openapi.json (e.g. "langso_people_api_list_households").
- `allow` is the set of roles served on the route, or, for a route that takes an object, on
  the object of commune A. The roles (authz_world.ROLES): anonymous, resident (lives in A),
  official_a, official_b, province (officer of A's province; B is in another province),
  producer (member of A's producer). Shorthands: ALL, USERS (logged in), STAFF (the two
  officials and the province officer), NONE.
- On B's object the allowed roles default to the mirror of `allow`: official_a becomes
  official_b and the reverse; the province officer, the resident and the producer keep their
  access only if the route is public (anonymous allowed), since their rights on A's objects
  come from A. Give `allow_b` when that is not right.
- `params` fills the path: {"pk": "household.pk"} takes world side objects["household"].pk
  (see authz_world._side for the names); `url` is a callable(objects) -> URL for paths that
  `reverse` cannot build. Routes with params or url are tried with A's and B's objects.
- `methods` (pages only; API operations use their own method): GET for reading; POST etc.
  are tried without a payload unless `payload` is given, and for refused roles the rows of
  the app's tables must not change.
- A refused role must get 401/403/404 or a redirect to the login page (on a write also
  302/400/405/409/422, with no row of the app changed); an allowed role must get none of
  401/403/404/login. `changes=True` also requires the allowed roles' request to change rows
  (for actions that need no payload), which proves the refusal check is not vacuous. The
  app whose tables are compared is the route's (`apps` overrides it).
- Whatever the status, a role never sees the private markers of another unit.
"""

from dataclasses import dataclass, field

ALL = frozenset({"anonymous", "resident", "official_a", "official_b", "province", "producer"})
USERS = ALL - {"anonymous"}
STAFF = frozenset({"official_a", "official_b", "province"})
OFFICIALS = frozenset({"official_a", "official_b"})
NONE = frozenset()
A_SCOPE = frozenset({"official_a", "province"})  # A's object: its commune and its province
_SWAP = {"official_a": "official_b", "official_b": "official_a"}


@dataclass(frozen=True)
class Rule:
    allow: frozenset
    allow_b: frozenset | None = None
    methods: tuple = ("GET",)
    params: dict = field(default_factory=dict)
    url: object = None
    query: str = ""
    payload: object = None
    form: bool = False
    apps: tuple = ()
    changes: bool = False

    def allowed_for(self, side: str) -> frozenset:
        if side != "b":
            return self.allow
        if self.allow_b is not None:
            return self.allow_b
        public = "anonymous" in self.allow
        out = {_SWAP.get(r, r) for r in self.allow if r in _SWAP or public}
        return frozenset(out)

    def snapshot_apps(self, kind: str, key: str) -> tuple:
        if self.apps:
            return self.apps
        if kind == "page":
            return (key.split(":")[0],) if ":" in key else ("core",)
        return (key.split("_")[1],)


def R(allow, **kw) -> Rule:
    return Rule(frozenset(allow), **kw)


def W(allow, **kw) -> Rule:
    """A page that shows a form (GET) and takes it (POST)."""
    return Rule(frozenset(allow), methods=("GET", "POST"), **kw)


def P(allow, **kw) -> Rule:
    """A POST-only page (an action button)."""
    return Rule(frozenset(allow), methods=("POST",), **kw)


def _scan(o):
    return f"/01/{o['product'].gtin}/10/{o['batch'].lot}"


def _scan_compressed(o):
    from langso.trace.compression import compress

    return "/" + compress([("01", o["batch"].gtin), ("10", o["batch"].lot)])


def _scan_public(o):
    return f"/t/{o['product_plain'].public_id}/10/{o['batch_plain'].lot}"


def _q(template):
    """A query string filled from the side's objects: _q("?commune={commune_code}")."""
    return lambda o: template.format(**o)


HH = {"pk": "household.pk"}
RES = {"pk": "resident.pk"}
DOC = {"public_id": "document.public_id"}
PRODUCT = {"public_id": "product.public_id"}
PRODUCER = {"public_id": "producer.public_id"}
OCOP = {"public_id": "ocop_dossier.public_id"}
DEMAND = {"public_id": "demand.public_id"}
ANN = {"public_id": "announcement.public_id"}
SURVEY = {"public_id": "survey.public_id"}
DOSSIER = {"public_id": "dossier.public_id"}  # received at the counter, no applicant account
DONE = {"public_id": "done_dossier.public_id"}  # completed; in A, the resident's own
BATCH = {"public_id": "batch.public_id"}
COMMUNE = {"code": "commune_code"}
PROVINCE = {"code": "province_code"}

PAGES: dict[str, Rule] = {
    # core
    "home": R(ALL),
    "login": R(ALL),
    "logout": P(ALL),
    "audit_log": R({"province"}),
    "healthz": R(ALL),
    "api_index": R(ALL),
    "readyz": R(ALL),
    # by address, not role: loopback (the test client) or the bearer token (docs/production.md)
    "metrics": R(ALL),
    # no single sign-on provider is configured here: 404 for everyone (people/tests/test_sso.py
    # drives these against a real provider)
    "sso_start": R(NONE, url=lambda o: "/dang-nhap/sso/vneid/"),
    # MEDIA_URL serves public uploads only: a private file's path answers 404 to everybody.
    "media": R(NONE, url=lambda o: "/media/" + o["ocop_file"].file.name),
    "sso_callback": R(NONE, url=lambda o: "/dang-nhap/sso/vneid/callback/"),
    # places
    "places:search": R(ALL),
    # people
    "people:households": R(STAFF | {"resident"}),  # the resident: their own household
    "people:household_create": W(OFFICIALS),
    "people:household_detail": R(A_SCOPE, params=HH),
    "people:household_edit": W({"official_a"}, params=HH),
    "people:resident_create": W({"official_a"}, params={"household_pk": "household.pk"}),
    "people:resident_detail": R(A_SCOPE, params=RES),
    "people:resident_edit": W({"official_a"}, params=RES),
    "people:resident_reveal": P(A_SCOPE, params=RES),
    "people:import": W(OFFICIALS),
    "people:import_template": R(USERS),  # an empty sheet with the column headers
    "people:export": R(A_SCOPE, query=_q("?xa={commune_code}")),
    # procedures
    "procedures:catalogue": R(ALL),
    "procedures:procedure": R(ALL, params={"pk": "procedure.pk"}),
    "procedures:submit": W(USERS, allow_b=USERS, params={"pk": "procedure.pk"}),
    "procedures:track": W(ALL),
    "procedures:mine": R(USERS),
    "procedures:dossier": R(A_SCOPE, params=DOSSIER),
    "procedures:receipt": R(A_SCOPE, params=DOSSIER),
    "procedures:applicant_action": P(NONE, params=DOSSIER),
    "procedures:rate": P({"resident"}, params=DONE),
    "procedures:result": R(A_SCOPE | {"resident"}, params=DONE),
    "procedures:file": R(A_SCOPE, params={"file_id": "dossier_file.public_id"}),
    "procedures:figures": R(ALL),
    "procedures:desk": R(STAFF),
    "procedures:desk_detail": R(A_SCOPE, params=DOSSIER),
    "procedures:desk_act": P({"official_a"}, params=DOSSIER),
    "procedures:desk_apology": P({"official_a"}, params=DOSSIER),
    "procedures:kiosk": W({"official_a"}, params=DOSSIER),
    "procedures:counter": W(OFFICIALS),
    "procedures:desk_procedures": R(OFFICIALS),
    "procedures:procedure_new": W(OFFICIALS),
    "procedures:procedure_edit": W({"official_a"}, params={"pk": "procedure.pk"}),
    "procedures:export": R(STAFF),
    "procedures:notifications_read": P(OFFICIALS),
    # documents
    "documents:verify": W(ALL),
    "documents:demo_crl": R(ALL),
    "documents:register": R(STAFF),
    "documents:export": R(STAFF),
    "documents:write": W(OFFICIALS),
    "documents:upload": W(OFFICIALS),
    "documents:detail": R(A_SCOPE, params=DOC),
    "documents:download": R(A_SCOPE, params=DOC),
    "documents:sign": P({"official_a"}, params=DOC, changes=True),
    # economy
    "economy:market": R(ALL),
    "economy:feed_csv": R(ALL),
    "economy:product_detail": R(ALL, params=PRODUCT),
    "economy:product_edit": W({"official_a", "producer"}, params=PRODUCT),
    "economy:photo_add": P({"official_a", "producer"}, params=PRODUCT),
    "economy:dossier_new": W({"official_a", "producer"}, params=PRODUCT),
    "economy:producer_list": R(ALL),
    "economy:producer_new": W({"official_a"}),  # in the site's home commune (A)
    "economy:producer_detail": R(ALL, params=PRODUCER),
    "economy:producer_edit": W({"official_a", "producer"}, params=PRODUCER),
    "economy:member_add": P({"official_a", "producer"}, params=PRODUCER),
    "economy:account_add": P({"official_a", "producer"}, params=PRODUCER),
    "economy:product_new": W({"official_a", "producer"}, params=PRODUCER),
    "economy:area_new": W({"official_a", "producer"}, params=PRODUCER),
    "economy:certificate_new": W({"official_a", "producer"}, params=PRODUCER),
    "economy:linkage_new": W({"official_a", "producer"}, params=PRODUCER),
    "economy:producer_qr": R(ALL, params=PRODUCER),
    "economy:producer_qr_image": R(ALL, params={**PRODUCER, "fmt": lambda o: "svg"}),
    "economy:area_list": R(ALL),
    "economy:area_geojson": R(ALL),
    "economy:certificate_list": R(ALL),
    "economy:certificate_revoke": P({"official_a"}, params={"pk": "certificate.pk"}),
    "economy:linkage_list": R(ALL),
    "economy:dossier_list": R(USERS),
    "economy:dossier_detail": R({"official_a", "province", "producer"}, params=OCOP),
    "economy:ocop_file": R(
        {"official_a", "province", "producer"}, params={**OCOP, "file_id": "ocop_file.pk"}
    ),
    "economy:dossier_score": P(NONE, params=OCOP),  # OCOP evaluators only (not a matrix role)
    "economy:dossier_accept": P({"official_a"}, params=OCOP, changes=True),
    "economy:dossier_decide": P(NONE, params=OCOP),  # OCOP evaluators only
    "economy:demand_list": R(ALL),
    "economy:demand_new": W(USERS),
    "economy:demand_detail": R(ALL, params=DEMAND),
    "economy:offer_new": P(USERS, allow_b=USERS, params=DEMAND),
    "economy:demand_close": P({"official_a"}, params=DEMAND, changes=True),
    # engage
    "engage:index": R(ALL),
    "engage:directory": R(ALL),
    "engage:directory_me": W(OFFICIALS),
    "engage:announcements": R(ALL),
    "engage:announcements_rss": R(ALL),
    "engage:announcements_atom": R(ALL),
    "engage:announcement_new": W(OFFICIALS),
    "engage:announcement_detail": R(ALL, params=ANN),
    "engage:announcement_withdraw": P({"official_a"}, params=ANN, changes=True),
    "engage:announcement_deliveries": R({"official_a"}, params=ANN),
    "engage:subscription": W({"resident"}),
    "engage:unsubscribe": W(NONE, params={"token": lambda o: "not-a-token"}),
    "engage:surveys": R(ALL),
    "engage:survey_new": W(OFFICIALS),
    "engage:survey_answer": W(ALL, params=SURVEY),
    "engage:survey_thanks": R(ALL, params=SURVEY),
    "engage:survey_relevance": P(ALL, params=SURVEY),
    "engage:survey_edit": W({"official_a"}, params=SURVEY),
    "engage:survey_results": R({"official_a", "province"}, params=SURVEY),
    "engage:survey_export": R(
        {"official_a", "province"}, params={**SURVEY, "fmt": lambda o: "csv"}
    ),
    "engage:feedback_public": R(ALL),
    "engage:feedback_new": W(ALL),
    # the receipt shows only to the browser that sent the feedback (its session)
    "engage:feedback_sent": R(NONE, params={"code": "feedback.tracking_code"}),
    "engage:feedback_follow": W(ALL),
    "engage:feedback_manage": R(OFFICIALS),
    "engage:feedback_handle": W({"official_a"}, params={"code": "feedback.tracking_code"}),
    "engage:feedback_photo": R(
        {"official_a"},
        params={"code": "feedback.tracking_code", "photo_id": "feedback_photo.pk"},
    ),
    # monitor
    "monitor:commune_dashboard": R(STAFF),
    "monitor:commune_detail": R(A_SCOPE, params=COMMUNE),
    "monitor:commune_report": R(A_SCOPE, params={**COMMUNE, "fmt": lambda o: "xlsx"}),
    "monitor:enter_value": W(
        {"official_a"},
        params={**COMMUNE, "year": lambda o: 2025, "indicator_code": "indicator_code"},
    ),
    # the commune leader opens and sends the self-assessment (no leader role in this world);
    # the province appraises, recognises, overrides (monitor/tests/test_assessment_pages.py)
    "monitor:assessment_start": P(NONE, params={**COMMUNE, "year": lambda o: 2026}),
    "monitor:assessment_move": P(
        {"province"},
        params={"assessment_id": "assessment.pk"},
        payload={"step": "appraise"},
        changes=True,
    ),
    "monitor:assessment_override": P(
        {"province"},
        params={"assessment_id": "assessment.pk"},
        payload={"reason": "Biên bản thẩm định của tỉnh, số 1/BB."},
    ),
    "monitor:programme_scope": W({"province"}, params=PROVINCE),
    "monitor:province_dashboard": R({"province"}),
    "monitor:province_detail": R({"province"}, params=PROVINCE),
    "monitor:province_report": R({"province"}, params={**PROVINCE, "fmt": lambda o: "xlsx"}),
    "monitor:how_computed": R(A_SCOPE, params={"value_id": "value.pk"}),
    "monitor:evidence": R(A_SCOPE, params={"evidence_id": "evidence.pk"}),
    # society
    "society:map": R(ALL),
    "society:address_lookup": R(ALL),
    "society:address_issue": P(OFFICIALS),
    "society:address_place": P({"official_a"}, params={"household_id": "household.pk"}),
    "society:address_detail": R(ALL, params={"code": "address.code"}),
    "society:health_home": R(USERS),
    "society:health_consents": W({"resident"}),
    "society:health_record": R(NONE, params={"resident_id": "resident.pk"}),
    "society:stations": R(ALL),
    "society:station": R(ALL, params={"code": "station.code"}),
    "society:help_log": W(USERS),  # lists only the user's own teams and sessions
    "society:help_log_sw": R(ALL),
    "society:training": W(OFFICIALS),
    "society:training_import": P(OFFICIALS),
    "society:training_template": R(OFFICIALS),
    "society:training_session": W({"official_a"}, params={"session_id": "training_session.pk"}),
    "society:training_session_delete": P(
        {"official_a"},
        params={"session_id": "spare_training_session.pk"},
        payload={"confirm": "1"},
        changes=True,
    ),
    # trace
    "trace:scan": R(ALL, url=_scan),
    "trace:scan_public": R(ALL, url=_scan_public),
    "trace:scan_compressed": R(ALL, url=_scan_compressed),  # 307 to the uncompressed link
    "trace:batches": W(USERS),  # lists only the batches the user may see
    "trace:batch_detail": W(A_SCOPE | {"producer"}, params=BATCH),
    "trace:label_sheet": R(A_SCOPE | {"producer"}, params=BATCH),
    "trace:label_svg": R(A_SCOPE | {"producer"}, params=BATCH),
    "trace:label_png": R(A_SCOPE | {"producer"}, params=BATCH),
    "trace:batch_epcis": R(A_SCOPE | {"producer"}, params=BATCH),
}

API: dict[str, Rule] = {
    # people
    "langso_people_api_list_households": R(USERS),  # scoped list: empty or own
    "langso_people_api_household_detail": R(A_SCOPE, params={"household_id": "household.pk"}),
    "langso_people_api_resident_detail": R(A_SCOPE, params={"resident_id": "resident.pk"}),
    "langso_people_api_reveal_resident": R(
        {"official_a"}, params={"resident_id": "resident.pk"}, payload={"purpose": "Kiểm tra hồ sơ"}
    ),
    "langso_people_api_import_population": R(OFFICIALS, form=True),
    "langso_people_api_export": R(A_SCOPE, query=_q("?commune={commune_code}")),
    # places: public reference data
    "langso_places_api_search": R(ALL, query="?q=tranh"),
    "langso_places_api_get_unit": R(
        ALL,
        params={
            "structure": lambda o: "2025",
            "level": lambda o: "commune",
            "code": "commune_code",
        },
    ),
    "langso_places_api_successors": R(
        ALL,
        params={
            "structure": lambda o: "2025",
            "level": lambda o: "commune",
            "code": "commune_code",
        },
    ),
    "langso_places_api_predecessors": R(
        ALL,
        params={
            "structure": lambda o: "2025",
            "level": lambda o: "commune",
            "code": "commune_code",
        },
    ),
    "langso_places_api_hamlets": R(ALL, params={"code": "commune_code"}),
    # procedures
    "langso_procedures_api_list_procedures": R(ALL, query=_q("?commune_code={commune_code}")),
    "langso_procedures_api_get_procedure": R(ALL, params={"procedure_id": "procedure.pk"}),
    "langso_procedures_api_create_procedure": R(OFFICIALS),
    "langso_procedures_api_update_procedure": R(
        {"official_a"}, params={"procedure_id": "procedure.pk"}
    ),
    "langso_procedures_api_list_holidays": R(ALL),
    "langso_procedures_api_submit": R(USERS, form=True),
    "langso_procedures_api_desk_list": R(USERS),  # scoped list
    "langso_procedures_api_mine": R(USERS),
    "langso_procedures_api_detail": R(A_SCOPE, params=DOSSIER),
    "langso_procedures_api_transition": R({"official_a"}, params=DOSSIER),
    "langso_procedures_api_complete": R({"official_a"}, params=DOSSIER, form=True),
    "langso_procedures_api_supplement": R({"official_a"}, params=DOSSIER, form=True),
    "langso_procedures_api_apology": R({"official_a"}, params=DOSSIER),
    "langso_procedures_api_rate": R(NONE, params=DOSSIER),
    "langso_procedures_api_track": R(ALL),
    "langso_procedures_api_figures": R(ALL, query=_q("?commune_code={commune_code}")),
    # documents
    "langso_documents_api_issue": R(OFFICIALS),
    "langso_documents_api_upload": R(OFFICIALS, form=True),
    "langso_documents_api_list_documents": R(USERS),  # scoped list (empty for others)
    "langso_documents_api_get_document": R(A_SCOPE, params=DOC),
    "langso_documents_api_download": R(A_SCOPE, params=DOC),
    "langso_documents_api_sign": R({"official_a"}, params=DOC),
    "langso_documents_api_verify": R(ALL, form=True),
    "langso_documents_api_lookup": R(ALL, params={"code": lambda o: "KHONGCO"}),
    # economy
    "langso_economy_api_list_products": R(ALL, query=_q("?commune={commune_code}")),
    "langso_economy_api_get_product": R(ALL, params=PRODUCT),
    "langso_economy_api_create_product": R({"official_a", "producer"}),
    "langso_economy_api_update_product": R({"official_a", "producer"}, params=PRODUCT),
    "langso_economy_api_list_producers": R(ALL, query=_q("?commune={commune_code}")),
    "langso_economy_api_get_producer": R(ALL, params=PRODUCER),
    "langso_economy_api_create_producer": R(OFFICIALS),
    "langso_economy_api_update_producer": R({"official_a", "producer"}, params=PRODUCER),
    "langso_economy_api_producer_vietqr": R(ALL, params=PRODUCER),
    "langso_economy_api_parse_vietqr": R(ALL),
    "langso_economy_api_growing_areas": R(ALL, query=_q("?commune={commune_code}")),
    "langso_economy_api_list_certificates": R(ALL, query=_q("?commune={commune_code}")),
    "langso_economy_api_list_demands": R(ALL, query=_q("?commune={commune_code}")),
    "langso_economy_api_post_demand": R(USERS),
    "langso_economy_api_make_offer": R(USERS, allow_b=USERS, params=DEMAND),
    "langso_economy_api_list_dossiers": R(USERS),
    "langso_economy_api_accept_dossier": R({"official_a"}, params=OCOP),
    "langso_economy_api_score_dossier": R(NONE, params=OCOP),  # OCOP evaluators only
    # engage
    "langso_engage_api_directory": R(ALL, query=_q("?commune={commune_code}")),
    "langso_engage_api_announcements": R(ALL, query=_q("?commune={commune_code}")),
    "langso_engage_api_create_announcement": R(OFFICIALS),
    "langso_engage_api_deliveries": R({"official_a"}, params=ANN),
    # TODO: the world's resident has no subscription, so even they get 404 (not found).
    "langso_engage_api_get_subscription": R(NONE),
    "langso_engage_api_put_subscription": R({"resident"}),
    "langso_engage_api_surveys": R(ALL, query=_q("?commune={commune_code}")),
    "langso_engage_api_survey": R(ALL, params=SURVEY),
    "langso_engage_api_answer": R(ALL, params=SURVEY),
    "langso_engage_api_results": R({"official_a", "province"}, params=SURVEY),
    "langso_engage_api_send_feedback": R(ALL),
    "langso_engage_api_public_feedback": R(ALL, query=_q("?commune={commune_code}")),
    "langso_engage_api_follow_feedback": R(NONE, params={"code": "feedback.tracking_code"}),
    "langso_engage_api_rate": R(NONE, params={"code": "feedback.tracking_code"}),
    # monitor
    "langso_monitor_api_export_values": R(
        A_SCOPE, query=_q("?orgUnit=2025:commune:{commune_code}")
    ),
    "langso_monitor_api_import_values": R(OFFICIALS),
    "langso_monitor_api_export_metadata": R(
        A_SCOPE, query=_q("?orgUnit=2025:commune:{commune_code}")
    ),
    # society
    "langso_society_api_list_layers": R(ALL, query=_q("?commune={commune_code}")),
    "langso_society_api_layer_geojson": R(
        ALL, params={"slug": lambda o: "vung-trong"}, query=_q("?commune={commune_code}")
    ),
    "langso_society_api_get_address": R(ALL, params={"code": "address.code"}),
    "langso_society_api_search_addresses": R(ALL, query="?q=so"),
    "langso_society_api_ingest_readings": R(NONE, params={"code": "station.code"}),
    "langso_society_api_sync_help_sessions": R(NONE),
    "langso_society_api_health_fhir": R(NONE, params={"resident_id": "resident.pk"}),
    # trace
    "langso_trace_api_capture": R({"official_a", "official_b", "producer"}),
    # a job is shown only to the key or person that sent it; none was sent here
    "langso_trace_api_capture_job": R(
        NONE, params={"capture_id": lambda o: "00000000-0000-4000-8000-000000000000"}
    ),
    "langso_trace_api_events": R(USERS),  # scoped: only the events the user may see
}
