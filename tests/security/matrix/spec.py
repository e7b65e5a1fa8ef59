"""The security matrix: for every web route and every API operation, how to reach an object in scope (the
demo-like collectivité) and out of scope (the neighbour's), and the answer each role must get.

Roles: anonymous, agent, chef (head of the direction above the CCAS), dpo, rssi, comite (chair of the ethics
committee), dgs, admin, and outsider (the DPO of the neighbouring collectivité, asking for OUR objects).
Cells "out" ask, as a member of our collectivité, for the neighbour's object: 404 (README: "Un usage hors du
périmètre … répond 404 ; une action interdite sur un usage visible répond 403").

A policy maps role -> expected status; `LOGIN` is the redirect to /connexion/?next=... Objects live in
`world.py`: every use case is owned by `porteur`, a CCAS agent who is not the demo `agent`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

L = "L"  # a redirect to the login page, /connexion/?next=<the page>
R = "302"  # a redirect elsewhere (an allowed action done, or refused with a message, before any validation)
ROLES = ("anonymous", "agent", "chef", "dpo", "rssi", "comite", "dgs", "admin", "outsider")

# Named rows (anonymous agent chef dpo rssi comite dgs admin outsider).
PUBLIC = "200 200 200 200 200 200 200 200 200"
MEMBER = "L 200 200 200 200 200 200 200 200"  # a page of one's own collectivité (the outsider sees theirs)
API_MEMBER = "401 200 200 200 200 200 200 200 200"
OUT_NOT_FOUND = "L 404 404 404 404 404 404 404"  # members of ours asking for the neighbour's object
API_OUT_NOT_FOUND = "401 404 404 404 404 404 404 404"


def row(text: str, roles=ROLES) -> dict[str, str]:
    codes = text.split()
    assert len(codes) == len(roles), text
    return dict(zip(roles, codes, strict=True))


def pk(name):
    return lambda o: {"pk": o[name].pk}


def uc(name):
    return lambda o: {"use_case_pk": o[name].pk}


# Routes left out, with why. Django's admin has its own permission system (checked apart: non-staff users are sent
# to the admin login); the language switch is a public form with no object behind it.
OUT_OF_SCOPE = {
    "admin:": "Django's admin: is_staff and model permissions (tests: non-staff users sent to the admin login)",
    "set_language": "Django's i18n view: sets a cookie, no data behind it",
    "api:": "the API's routes are checked per operation of the OpenAPI schema (API_EXPECTED); its root is below",
    "public_api:": "the public API's routes are checked per operation of the OpenAPI schema (API_EXPECTED)",
    "explanations_public_api:": "the public explanation requests: per operation of the OpenAPI schema (API_EXPECTED)",
}


def year(o):
    return {"year": o["charter_edition"].year}


def section(o):
    return {"year": o["charter_edition"].year, "key": o["charter_section"].key}


def slug(o):
    return {"slug": o["publication"].collectivite.slug}


def entry(o):
    return {"slug": o["publication"].collectivite.slug, "reference": o["published_case"].reference}


ROUTES: dict[str, tuple[str, Callable | None]] = {
    "login": ("GET", None),
    "logout": ("POST", None),
    "api-schema": ("GET", None),
    "api-docs": ("GET", None),
    "api:api-root": ("GET", None),
    # Public register
    "public:index": ("GET", None),
    "public:register": ("GET", slug),
    "public:entry": ("GET", entry),
    "public_exports:csv": ("GET", slug),
    "public_exports:algoritmeregister": ("GET", slug),
    "public_exports:algoritmeregister-csv": ("GET", slug),
    "public_exports:atrs": ("GET", slug),
    # Register
    "registry:home": ("GET", None),
    "registry:use_case_list": ("GET", None),
    "registry:use_case_create": ("GET", None),
    "registry:classification_preview": ("POST", None),
    "registry:use_case_detail": ("GET", pk("draft")),
    "registry:use_case_edit": ("GET", pk("draft")),
    "registry:use_case_submit": ("POST", pk("draft")),
    "registry:qualification": ("GET", pk("draft")),
    "registry:qualification_confirm": ("POST", pk("draft")),
    "registry:qualification_set": ("POST", lambda o: {"pk": o["draft"].pk, "input_name": "annex_iii_point"}),
    "registry:qualification_lift": ("POST", lambda o: {"pk": o["draft"].pk, "input_name": "annex_iii_point"}),
    "registry:use_case_withdraw": ("POST", pk("submitted")),
    "registry:tool_list": ("GET", None),
    "registry:collectivite_switch": ("POST", None),
    # Reviews
    "registry:my_tasks": ("GET", None),
    "registry:review_list": ("GET", None),
    "registry:opinion_give": ("GET", lambda o: {"pk": o["submitted"].pk, "role": "dpo"}),
    "registry:use_case_return": ("POST", pk("submitted")),
    "registry:use_case_retire": ("POST", pk("in_production")),
    "registry:use_case_rework": ("POST", pk("rejected")),
    "registry:use_case_resume": ("POST", pk("suspended")),
    # Ethics committee
    "registry:committee": ("GET", None),
    "registry:committee_member_add": ("POST", None),
    "registry:committee_member_update": ("POST", pk("committee_member")),
    "registry:committee_member_end": ("POST", pk("committee_member")),
    "registry:committee_session_create": ("GET", None),
    "registry:committee_session": ("GET", pk("session")),
    "registry:committee_agenda_add": ("POST", pk("session")),
    "registry:committee_session_close": ("POST", pk("session")),
    "registry:committee_session_open": ("POST", pk("session")),
    "registry:committee_attendance": ("POST", pk("session")),
    "registry:committee_agenda_remove": ("POST", pk("agenda_item")),
    "registry:committee_vote": ("POST", pk("agenda_item")),
    "registry:committee_conflict": ("POST", pk("agenda_item")),
    "registry:committee_opinion": ("POST", pk("agenda_item")),
    # Shadow-AI declarations and their triage
    "registry:declaration_create": ("GET", None),
    "registry:my_declarations": ("GET", None),
    "registry:declaration_detail": ("GET", pk("declaration")),
    "registry:declaration_follow_up": ("GET", lambda o: {"code": o["declaration"].follow_up_code}),
    "registry:declaration_queue": ("GET", None),
    "registry:declaration_tools": ("GET", None),
    "registry:declaration_regularise": ("POST", None),
    "registry:declaration_triage": ("GET", pk("declaration")),
    "registry:declaration_action": ("POST", lambda o: {"pk": o["declaration"].pk, "action": "start"}),
    # Checkpoints, incidents, documents
    "audits:my_checkpoints": ("GET", None),
    "audits:checkpoint_attest_quick": ("POST", pk("checkpoint")),
    "audits:compliance": ("GET", None),
    "audits:checkpoint_detail": ("GET", pk("checkpoint")),
    "audits:checkpoint_attest": ("GET", pk("checkpoint")),
    "audits:checkpoint_edit": ("GET", pk("checkpoint")),
    "audits:checkpoint_add": ("GET", uc("in_production")),
    "audits:incident_create": ("GET", uc("in_production")),
    "audits:incident_detail": ("GET", pk("incident")),
    "audits:incident_qualify": ("POST", pk("incident")),
    "audits:incident_notification_add": ("POST", pk("incident")),
    "audits:incident_breach_assess": ("POST", pk("incident")),
    "audits:notification_attachment_download": ("GET", pk("incident_notification")),
    "audits:incident_report": ("GET", pk("incident")),
    "audits:use_case_suspend": ("POST", uc("in_production")),
    "audits:use_case_put_into_production": ("POST", uc("approved")),
    "audits:evidence_download": ("GET", pk("attestation")),
    "audits:document_list": ("GET", None),
    "audits:document_request": ("POST", None),
    "audits:document_detail": ("GET", pk("document")),
    "audits:document_status": ("GET", pk("document")),
    "audits:document_download": ("GET", pk("document")),
    # Charter
    "charter:current": ("GET", None),
    "charter:edition_list": ("GET", None),
    "charter:edition_detail": ("GET", year),
    "charter:section_edit": ("GET", section),
    "charter:edition_publish": ("GET", year),
    "charter:acknowledge": ("POST", year),
    # Shared reference content (the in-scope item is offered by a structure our collectivité belongs to)
    "mutualisation:shared_list": ("GET", None),
    "mutualisation:item_withdraw": ("POST", pk("shared_item")),
    "mutualisation:offered_list": ("GET", None),
    "mutualisation:offered_detail": ("GET", pk("shared_item")),
    "mutualisation:offered_decide": ("POST", pk("shared_item")),
    "mutualisation:offered_adapt": ("GET", pk("shared_item")),
    # Publication in the public register (the DPO's side)
    "transparency:overview": ("GET", None),
    "transparency:edit": ("GET", pk("published_case")),
    "transparency:withdraw": ("POST", pk("published_case")),
    # Import and export
    "exchange:export_csv": ("GET", None),
    "exchange:export_xlsx": ("GET", None),
    "exchange:import_start": ("GET", None),
    "exchange:import_template": ("GET", None),
    "exchange:import_detail": ("GET", pk("register_import")),
    "exchange:import_apply": ("POST", pk("register_import")),
    "exchange:import_discard": ("POST", pk("register_import")),
    # Requests for an explanation: the public form and follow-up (by token), the staff's queue and answer
    "explanations_public:request": ("GET", slug),
    "explanations_public:request_for_entry": ("GET", entry),
    "explanations_public:acknowledgment": ("GET", lambda o: {"token": o["explanation_token"]}),
    "explanations_public:follow_up": ("GET", lambda o: {"token": o["explanation_token"]}),
    "explanations_public:letter": ("GET", lambda o: {"token": o["explanation_token"]}),
    "explanations:queue": ("GET", None),
    "explanations:detail": ("GET", pk("explanation")),
    "explanations:preview": ("GET", pk("explanation")),
    "explanations:send": ("POST", pk("explanation")),
    "explanations:reject": ("POST", pk("explanation")),
    "explanations:letter": ("GET", pk("explanation")),
    # Security log
    "security:journal": ("GET", None),
    # Single sign-on (sso): the provider's start and callback exist only when it is configured (not in the matrix's
    # settings: 404); the page of an account without any role sends those who hold one to the home page.
    "sso:start": ("GET", None),
    "sso:callback": ("GET", None),
    "sso:pending": ("GET", None),
    # Several collectivités: the collectivité's settings and the shared DPO's overview
    "registry:collectivite_settings": ("GET", lambda o: {"pk": o["service"].collectivite_id}),
    # The AIDF (fria)
    "fria:detail": ("GET", uc("fria_case")),
    "fria:start": ("POST", uc("fria_missing")),
    "fria:edit": ("GET", uc("fria_case")),
    "fria:submit": ("POST", uc("fria_case")),
    "fria:review": ("GET", uc("fria_submitted_case")),
    "fria:notify": ("GET", uc("fria_approved_case")),
    "fria:reopen": ("POST", uc("fria_approved_case")),
    "fria:versions": ("GET", uc("fria_submitted_case")),
    "fria:pdf": ("GET", uc("fria_case")),
    "fria:aipd_download": ("GET", uc("fria_case")),
    "registry:consolidated": ("GET", None),
}


API_OBJECTS = {
    # path parameter -> world object, per path prefix
    "/api/v1/use-cases/{id}/": "draft",
    "/api/v1/use-cases/{id}/put-into-production/": "approved",
    "/api/v1/use-cases/{id}/resume/": "suspended",
    "/api/v1/use-cases/{id}/retire/": "in_production",
    "/api/v1/use-cases/{id}/reviews/": "submitted",
    "/api/v1/use-cases/{id}/rework/": "rejected",
    "/api/v1/use-cases/{id}/submit/": "draft",
    "/api/v1/use-cases/{id}/suspend/": "in_production",
    "/api/v1/use-cases/{id}/withdraw/": "submitted",
    # The guided qualification: a draft recorded through its legal inputs (no question for the DPO to confirm);
    # "=code" is a path parameter given as is (a legal input, not an object).
    "/api/v1/use-cases/{id}/qualification/confirm/": "draft",
    "/api/v1/use-cases/{id}/qualification/overrides/": "draft",
    "/api/v1/use-cases/{id}/qualification/overrides/{input_name}/lift/": ("draft", "=annex_iii_point"),
    "/api/v1/use-cases/{use_case_id}/checkpoints/": "in_production",
    "/api/v1/use-cases/{use_case_id}/incidents/": "in_production",
    "/api/v1/use-cases/{use_case_id}/incidents/{id}/": ("in_production", "incident"),
    "/api/v1/use-cases/{use_case_id}/incidents/{id}/qualify/": ("in_production", "incident"),
    "/api/v1/use-cases/{use_case_id}/incidents/{id}/breach-assessment/": ("in_production", "incident"),
    "/api/v1/use-cases/{use_case_id}/incidents/{incident_id}/notifications/": ("in_production", "incident"),
    "/api/v1/checkpoints/{id}/": "checkpoint",
    "/api/v1/checkpoints/{checkpoint_id}/attestations/": "checkpoint",
    "/api/v1/checkpoints/{checkpoint_id}/attestations/{id}/": ("checkpoint", "attestation"),
    "/api/v1/committee-members/{id}/": "committee_member",
    "/api/v1/committee-sessions/{id}/": "session",
    "/api/v1/committee-sessions/{id}/agenda/": "session",
    "/api/v1/committee-sessions/{id}/close/": "session",
    "/api/v1/committee-sessions/{id}/open/": "session",
    "/api/v1/committee-sessions/{id}/attendance/": "session",
    "/api/v1/committee-sessions/{id}/agenda/{item_id}/": ("session", "agenda_item"),
    "/api/v1/committee-sessions/{id}/agenda/{item_id}/conflict/": ("session", "agenda_item"),
    "/api/v1/committee-sessions/{id}/agenda/{item_id}/opinion/": ("session", "agenda_item"),
    "/api/v1/committee-sessions/{id}/agenda/{item_id}/votes/": ("session", "agenda_item"),
    "/api/v1/declarations/{id}/": "declaration",
    "/api/v1/declarations/{id}/ask-to-stop/": "declaration",
    "/api/v1/declarations/{id}/assess-breach/": "declaration",
    "/api/v1/declarations/{id}/close/": "declaration",
    "/api/v1/declarations/{id}/offer-alternative/": "declaration",
    "/api/v1/declarations/{id}/regularise/": "declaration",
    "/api/v1/declarations/{id}/start-analysis/": "declaration",
    "/api/v1/documents/{id}/": "document",
    "/api/v1/documents/{id}/download/": "document",
    "/api/v1/reviews/{id}/": "review",
    "/api/v1/reviews/{id}/opinions/": "review",
    "/api/v1/reviews/{id}/return/": "review",
    "/api/v1/services/{id}/": "service",
    "/api/v1/tools/{id}/": "tool",
    "/api/v1/public/use-cases/{collectivite}/{reference}/": "publication",
    "/api/v1/explanation-requests/{id}/": "explanation",
    "/api/v1/frias/{id}/": "fria",
    "/api/v1/frias/{id}/submit/": "fria",
    "/api/v1/frias/{id}/suggestions/": "fria",
    "/api/v1/frias/{id}/review/": "fria_submitted",
    "/api/v1/frias/{id}/versions/": "fria_submitted",
    "/api/v1/frias/{id}/notify/": "fria_approved",
    "/api/v1/frias/{id}/reopen/": "fria_approved",
    "/api/v1/explanation-requests/{id}/send/": "explanation",
    "/api/v1/explanation-requests/{id}/reject/": "explanation",
}


# Expected answers: (in scope: every role; out of scope: every role but the outsider, or None where the URL names
# no object of a collectivité). A member refused by a role gate before any lookup gets 403 on either object
# (the same answer whether the object exists or not: nothing leaks).
WEB_EXPECTED = {
    "login": (PUBLIC, None),
    "logout": ("L L L L L L L L L", None),
    "api-schema": (PUBLIC, None),
    "api-docs": (PUBLIC, None),
    "api:api-root": ("403 200 200 200 200 200 200 200 200", None),
    "public:index": (PUBLIC, None),
    "public:register": (PUBLIC, "200 200 200 200 200 200 200 200"),
    "public:entry": (PUBLIC, "200 200 200 200 200 200 200 200"),
    "public_exports:csv": (PUBLIC, "200 200 200 200 200 200 200 200"),
    "public_exports:algoritmeregister": (PUBLIC, "200 200 200 200 200 200 200 200"),
    "public_exports:algoritmeregister-csv": (PUBLIC, "200 200 200 200 200 200 200 200"),
    "public_exports:atrs": (PUBLIC, "200 200 200 200 200 200 200 200"),
    "registry:home": (MEMBER, None),
    "registry:use_case_list": (MEMBER, None),
    "registry:use_case_create": ("L 200 200 200 200 403 403 200 200", None),
    "registry:classification_preview": (MEMBER, None),
    "registry:use_case_detail": ("L 404 200 200 200 404 200 200 404", OUT_NOT_FOUND),
    "registry:use_case_edit": ("L 404 200 200 200 404 403 200 404", OUT_NOT_FOUND),
    "registry:use_case_submit": ("L 404 302 302 302 404 403 302 404", OUT_NOT_FOUND),
    "registry:use_case_withdraw": ("L 404 302 302 302 404 403 302 404", OUT_NOT_FOUND),
    # The DPO's expert view (the RSSI's for the security axis); an empty form comes back with its errors (400)
    "registry:qualification": ("L 404 403 200 200 404 403 403 404", OUT_NOT_FOUND),
    "registry:qualification_confirm": ("L 404 403 400 403 404 403 403 404", OUT_NOT_FOUND),
    "registry:qualification_set": ("L 404 403 400 403 404 403 403 404", OUT_NOT_FOUND),
    "registry:qualification_lift": ("L 404 403 400 403 404 403 403 404", OUT_NOT_FOUND),
    "registry:tool_list": (MEMBER, None),
    "registry:collectivite_switch": ("L 403 403 403 403 403 403 403 403", None),
    "registry:my_tasks": (MEMBER, None),
    "registry:review_list": ("L 403 403 200 200 200 200 200 200", None),
    "registry:opinion_give": ("L 404 403 200 403 404 403 403 404", OUT_NOT_FOUND),
    "registry:use_case_return": ("L 404 403 400 400 404 403 403 404", OUT_NOT_FOUND),
    "registry:use_case_retire": ("L 403 400 400 400 404 403 400 404", OUT_NOT_FOUND),
    "registry:use_case_rework": ("L 404 302 302 302 404 403 302 404", OUT_NOT_FOUND),
    "registry:use_case_resume": ("L 404 403 400 400 404 403 403 404", OUT_NOT_FOUND),
    "registry:committee": ("L 403 403 200 200 200 200 200 200", None),
    "registry:committee_member_add": ("L 403 403 400 403 400 403 400 400", None),
    "registry:committee_member_update": ("L 403 403 302 403 302 403 302 404", "L 403 403 404 403 404 403 404"),
    "registry:committee_member_end": ("L 403 403 302 403 302 403 302 404", "L 403 403 404 403 404 403 404"),
    "registry:committee_session_create": ("L 403 403 200 403 200 403 200 200", None),
    "registry:committee_session": ("L 403 403 200 200 200 200 200 404", "L 403 403 404 404 404 404 404"),
    "registry:committee_agenda_add": ("L 403 403 400 403 400 403 400 404", "L 403 403 404 404 404 404 404"),
    "registry:committee_session_close": ("L 403 403 302 403 302 403 302 404", "L 403 403 404 404 404 404 404"),
    # The session is in progress already: opening it again is refused with a message (302); the attendance is
    # recorded (302).
    "registry:committee_session_open": ("L 403 403 302 403 302 403 302 404", "L 403 403 404 404 404 404 404"),
    "registry:committee_attendance": ("L 403 403 302 403 302 403 302 404", "L 403 403 404 404 404 404 404"),
    "registry:committee_agenda_remove": ("L 403 403 302 403 302 403 302 404", "L 403 403 404 404 404 404 404"),
    "registry:committee_vote": ("L 403 403 403 403 400 403 403 404", "L 403 403 404 404 404 404 404"),
    "registry:committee_conflict": ("L 403 403 403 403 302 403 403 404", "L 403 403 404 404 404 404 404"),
    "registry:committee_opinion": ("L 403 403 403 403 400 403 403 404", "L 403 403 404 404 404 404 404"),
    "registry:declaration_create": (MEMBER, None),
    "registry:my_declarations": (MEMBER, None),
    "registry:declaration_detail": ("L 200 404 302 302 404 404 302 404", OUT_NOT_FOUND),
    "registry:declaration_follow_up": ("L 200 200 200 200 200 200 200 404", OUT_NOT_FOUND),
    "registry:declaration_queue": ("L 403 403 200 200 403 403 200 200", None),
    "registry:declaration_tools": ("L 403 403 200 200 403 403 200 200", None),
    "registry:declaration_regularise": ("L 403 403 302 302 403 403 302 302", None),
    "registry:declaration_triage": ("L 403 403 200 200 403 403 200 404", "L 403 403 404 404 403 403 404"),
    "registry:declaration_action": ("L 403 403 302 302 403 403 302 404", "L 403 403 404 404 403 403 404"),
    "audits:my_checkpoints": (MEMBER, None),
    "audits:checkpoint_attest_quick": ("L 403 403 403 403 404 403 403 404", OUT_NOT_FOUND),
    "audits:compliance": ("L 403 200 200 200 403 200 200 200", None),
    "audits:checkpoint_detail": ("L 200 200 200 200 404 200 200 404", OUT_NOT_FOUND),
    "audits:checkpoint_attest": ("L 403 403 403 403 404 403 403 404", OUT_NOT_FOUND),
    "audits:checkpoint_edit": ("L 403 200 200 200 404 403 200 404", OUT_NOT_FOUND),
    "audits:checkpoint_add": ("L 403 200 200 200 404 403 200 404", OUT_NOT_FOUND),
    "audits:incident_create": ("L 403 200 200 200 404 403 200 404", OUT_NOT_FOUND),
    # Serious incidents: whoever sees the use case reads the incident and its report; the DPO, the RSSI, the
    # administrators and those who answer for the use case (the head of its direction) qualify and notify; the DPO
    # and the administrators assess a breach (an empty form: 400).
    "audits:incident_detail": ("L 200 200 200 200 404 200 200 404", OUT_NOT_FOUND),
    "audits:incident_qualify": ("L 403 400 400 400 404 403 400 404", OUT_NOT_FOUND),
    "audits:incident_notification_add": ("L 403 400 400 400 404 403 400 404", OUT_NOT_FOUND),
    "audits:incident_breach_assess": ("L 403 403 400 403 404 403 400 404", OUT_NOT_FOUND),
    "audits:notification_attachment_download": ("L 200 200 200 200 404 200 200 404", OUT_NOT_FOUND),
    "audits:incident_report": ("L 200 200 200 200 404 200 200 404", OUT_NOT_FOUND),
    "audits:use_case_suspend": ("L 403 403 302 302 404 403 403 404", OUT_NOT_FOUND),
    "audits:use_case_put_into_production": ("L 403 302 302 302 404 403 302 404", OUT_NOT_FOUND),
    "audits:evidence_download": ("L 200 200 200 200 404 200 200 404", OUT_NOT_FOUND),
    "audits:document_list": (MEMBER, None),
    "audits:document_request": ("L 302 302 302 302 302 302 302 302", None),
    "audits:document_detail": ("L 404 404 200 200 404 200 200 404", OUT_NOT_FOUND),
    "audits:document_status": ("L 404 404 200 200 404 200 200 404", OUT_NOT_FOUND),
    "audits:document_download": ("L 404 404 200 200 404 200 200 404", OUT_NOT_FOUND),
    "charter:current": (MEMBER, None),
    "charter:edition_list": ("L 403 403 200 403 403 200 200 200", None),
    "charter:edition_detail": ("L 404 404 200 404 404 200 200 404", OUT_NOT_FOUND),
    "charter:section_edit": ("L 404 404 200 404 404 200 200 404", OUT_NOT_FOUND),
    "charter:edition_publish": ("L 404 404 403 404 404 200 403 404", OUT_NOT_FOUND),
    "charter:acknowledge": ("L 404 404 409 404 404 409 409 404", OUT_NOT_FOUND),
    "mutualisation:shared_list": ("L 403 403 200 403 403 403 200 200", None),
    # Our collectivité is a member, not a structure: the structure's item is not ours to withdraw.
    "mutualisation:item_withdraw": ("L 404 404 404 404 404 404 404 404", OUT_NOT_FOUND),
    "mutualisation:offered_list": ("L 403 403 200 200 403 403 200 200", None),
    "mutualisation:offered_detail": ("L 403 403 200 200 403 403 200 404", OUT_NOT_FOUND),
    "mutualisation:offered_decide": ("L 403 403 400 400 403 403 400 404", OUT_NOT_FOUND),
    "mutualisation:offered_adapt": ("L 403 403 200 200 403 403 200 404", OUT_NOT_FOUND),
    "transparency:overview": ("L 403 403 200 403 403 403 200 200", None),
    "transparency:edit": ("L 403 403 200 403 403 403 200 404", "L 403 403 404 403 403 403 404"),
    "transparency:withdraw": ("L 403 403 400 403 403 403 400 404", "L 403 403 404 403 403 403 404"),
    "exchange:export_csv": ("L 403 403 200 200 403 200 200 200", None),
    "exchange:export_xlsx": ("L 403 403 200 200 403 200 200 200", None),
    "exchange:import_start": ("L 403 403 200 200 403 403 200 200", None),
    "exchange:import_template": ("L 403 403 200 200 403 403 200 200", None),
    "exchange:import_detail": ("L 403 403 200 200 403 403 200 404", "L 403 403 404 404 403 403 404"),
    "exchange:import_apply": ("L 403 403 302 302 403 403 302 404", "L 403 403 404 404 403 403 404"),
    "exchange:import_discard": ("L 403 403 302 302 403 403 302 404", "L 403 403 404 404 403 403 404"),
    "security:journal": ("L 403 403 200 200 403 403 200 200", None),
    # Anyone may ask and follow by token (the neighbour's token is as public); the letter exists once sent (404).
    "explanations_public:request": (PUBLIC, "200 200 200 200 200 200 200 200"),
    "explanations_public:request_for_entry": (PUBLIC, "200 200 200 200 200 200 200 200"),
    "explanations_public:acknowledgment": (PUBLIC, "200 200 200 200 200 200 200 200"),
    "explanations_public:follow_up": (PUBLIC, "200 200 200 200 200 200 200 200"),
    "explanations_public:letter": ("404 404 404 404 404 404 404 404 404", "404 404 404 404 404 404 404 404"),
    # The DPO and the administrators all requests, the heads of the owning service (chef: the direction above the
    # CCAS) theirs; the DPO or the head signs (an administrator prepares: 403); nobody else sees them (404).
    "explanations:queue": ("L 403 200 200 403 403 403 200 200", None),
    "explanations:detail": ("L 404 200 200 404 404 404 200 404", OUT_NOT_FOUND),
    "explanations:preview": ("L 404 200 200 404 404 404 200 404", OUT_NOT_FOUND),
    "explanations:send": ("L 404 400 400 404 404 404 403 404", OUT_NOT_FOUND),
    "explanations:reject": ("L 404 400 400 404 404 404 403 404", OUT_NOT_FOUND),
    "explanations:letter": ("L 404 404 404 404 404 404 404 404", OUT_NOT_FOUND),
    "sso:start": ("404 404 404 404 404 404 404 404 404", None),
    "sso:callback": ("404 404 404 404 404 404 404 404 404", None),
    "sso:pending": ("L 302 302 302 302 302 302 302 302", None),
    "registry:collectivite_settings": ("L 403 403 200 403 403 200 200 404", OUT_NOT_FOUND),
    "registry:consolidated": ("L 403 403 200 200 403 200 200 200", None),
    # The AIDF of a draft use case: its owner's direction, the DPO, the RSSI and the administrators write it; the DGS
    # reads it; only the DPO reviews it; the CCAS's agent and the committee do not see a draft (404).
    "fria:detail": ("L 404 200 200 200 404 200 200 404", OUT_NOT_FOUND),
    "fria:start": ("L 404 302 302 302 404 403 302 404", OUT_NOT_FOUND),
    "fria:edit": ("L 404 200 200 200 404 403 200 404", OUT_NOT_FOUND),
    "fria:submit": ("L 404 302 302 302 404 403 302 404", OUT_NOT_FOUND),
    "fria:review": ("L 404 403 200 403 404 403 403 404", OUT_NOT_FOUND),
    "fria:notify": ("L 404 200 200 200 404 403 200 404", OUT_NOT_FOUND),
    "fria:reopen": ("L 404 302 302 302 404 403 302 404", OUT_NOT_FOUND),
    "fria:versions": ("L 404 200 200 200 404 200 200 404", OUT_NOT_FOUND),
    "fria:pdf": ("L 404 200 200 200 404 200 200 404", OUT_NOT_FOUND),
    "fria:aipd_download": ("L 404 200 200 200 404 200 200 404", OUT_NOT_FOUND),
}

API_EXPECTED = {
    "POST /api/v1/auth/token/": ("400 400 400 400 400 400 400 400 400", None),
    "GET /api/v1/checkpoints/": (API_MEMBER, None),
    "GET /api/v1/checkpoints/{checkpoint_id}/attestations/": ("401 200 200 200 200 404 200 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/checkpoints/{checkpoint_id}/attestations/": (
        "401 403 403 403 403 404 403 403 404",
        API_OUT_NOT_FOUND,
    ),
    "GET /api/v1/checkpoints/{checkpoint_id}/attestations/{id}/": (
        "401 200 200 200 200 404 200 200 404",
        API_OUT_NOT_FOUND,
    ),
    "GET /api/v1/checkpoints/{id}/": ("401 200 200 200 200 404 200 200 404", API_OUT_NOT_FOUND),
    "PATCH /api/v1/checkpoints/{id}/": ("401 403 200 200 200 404 403 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/classify/": ("401 400 400 400 400 400 400 400 400", None),
    "POST /api/v1/qualify/": (API_MEMBER, None),  # every fact left out counts as « Je ne sais pas »
    "GET /api/v1/committee-members/": ("401 403 403 200 200 200 200 200 200", None),
    "POST /api/v1/committee-members/": ("401 403 403 400 403 400 403 400 400", None),
    "GET /api/v1/committee-members/{id}/": ("401 404 404 200 200 200 200 200 404", API_OUT_NOT_FOUND),
    "PATCH /api/v1/committee-members/{id}/": ("401 404 404 200 403 200 403 200 404", API_OUT_NOT_FOUND),
    "GET /api/v1/committee-sessions/": ("401 403 403 200 200 200 200 200 200", None),
    "POST /api/v1/committee-sessions/": ("401 403 403 400 403 400 403 400 400", None),
    "GET /api/v1/committee-sessions/{id}/": ("401 404 404 200 200 200 200 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/committee-sessions/{id}/agenda/": ("401 404 404 400 403 400 403 400 404", API_OUT_NOT_FOUND),
    "DELETE /api/v1/committee-sessions/{id}/agenda/{item_id}/": (
        "401 404 404 204 403 204 403 204 404",
        API_OUT_NOT_FOUND,
    ),
    "POST /api/v1/committee-sessions/{id}/agenda/{item_id}/conflict/": (
        "401 404 404 403 403 201 403 403 404",
        API_OUT_NOT_FOUND,
    ),
    "POST /api/v1/committee-sessions/{id}/agenda/{item_id}/opinion/": (
        "401 404 404 403 403 400 403 403 404",
        API_OUT_NOT_FOUND,
    ),
    "POST /api/v1/committee-sessions/{id}/agenda/{item_id}/votes/": (
        "401 404 404 403 403 400 403 403 404",
        API_OUT_NOT_FOUND,
    ),
    "POST /api/v1/committee-sessions/{id}/close/": ("401 404 404 200 403 200 403 200 404", API_OUT_NOT_FOUND),
    # Without the list of members present: 400.
    "POST /api/v1/committee-sessions/{id}/open/": ("401 404 404 400 403 400 403 400 404", API_OUT_NOT_FOUND),
    "POST /api/v1/committee-sessions/{id}/attendance/": ("401 404 404 400 403 400 403 400 404", API_OUT_NOT_FOUND),
    "GET /api/v1/compliance/": ("401 403 200 200 200 403 200 200 200", None),
    "GET /api/v1/consolidated/": ("401 403 403 200 200 403 200 200 200", None),
    "GET /api/v1/declarations/": (API_MEMBER, None),
    "POST /api/v1/declarations/": ("401 400 400 400 400 400 400 400 400", None),
    "GET /api/v1/declarations/{id}/": ("401 200 404 200 200 404 404 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/declarations/{id}/ask-to-stop/": ("401 403 404 400 400 404 404 400 404", API_OUT_NOT_FOUND),
    "POST /api/v1/declarations/{id}/assess-breach/": ("401 403 404 400 400 404 404 400 404", API_OUT_NOT_FOUND),
    "POST /api/v1/declarations/{id}/close/": ("401 403 404 400 400 404 404 400 404", API_OUT_NOT_FOUND),
    "POST /api/v1/declarations/{id}/offer-alternative/": ("401 403 404 400 400 404 404 400 404", API_OUT_NOT_FOUND),
    "POST /api/v1/declarations/{id}/regularise/": ("401 403 404 400 400 404 404 400 404", API_OUT_NOT_FOUND),
    "POST /api/v1/declarations/{id}/start-analysis/": ("401 403 404 200 200 404 404 200 404", API_OUT_NOT_FOUND),
    "GET /api/v1/declarations/by-tool/": ("401 403 403 200 200 403 403 200 200", None),
    "GET /api/v1/documents/": (API_MEMBER, None),
    "POST /api/v1/documents/": ("401 400 400 400 400 400 400 400 400", None),
    "GET /api/v1/documents/{id}/": ("401 404 404 200 200 404 200 200 404", API_OUT_NOT_FOUND),
    "GET /api/v1/documents/{id}/download/": ("401 404 404 200 200 404 200 200 404", API_OUT_NOT_FOUND),
    "GET /api/v1/public/use-cases/": (PUBLIC, None),
    "GET /api/v1/public/use-cases/{collectivite}/{reference}/": (PUBLIC, "200 200 200 200 200 200 200 200"),
    "GET /api/v1/reviews/": (API_MEMBER, None),
    "GET /api/v1/reviews/{id}/": ("401 404 200 200 200 404 200 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/reviews/{id}/opinions/": ("401 404 403 400 400 404 403 403 404", API_OUT_NOT_FOUND),
    "POST /api/v1/reviews/{id}/return/": ("401 404 403 400 400 404 403 403 404", API_OUT_NOT_FOUND),
    "GET /api/v1/services/": (API_MEMBER, None),
    "GET /api/v1/services/{id}/": ("401 200 200 200 200 200 200 200 404", API_OUT_NOT_FOUND),
    "GET /api/v1/tasks/": (API_MEMBER, None),
    "GET /api/v1/tools/": (API_MEMBER, None),
    "POST /api/v1/tools/": ("401 403 403 400 400 403 403 400 400", None),
    "GET /api/v1/tools/{id}/": ("401 200 200 200 200 200 200 200 404", API_OUT_NOT_FOUND),
    "PUT /api/v1/tools/{id}/": ("401 403 403 400 400 403 403 400 404", API_OUT_NOT_FOUND),
    "PATCH /api/v1/tools/{id}/": ("401 403 403 200 200 403 403 200 404", API_OUT_NOT_FOUND),
    "GET /api/v1/use-cases/": (API_MEMBER, None),
    "POST /api/v1/use-cases/": ("401 400 400 400 400 403 403 400 400", None),
    "GET /api/v1/use-cases/{id}/": ("401 404 200 200 200 404 200 200 404", API_OUT_NOT_FOUND),
    "PUT /api/v1/use-cases/{id}/": ("401 404 400 400 400 404 403 400 404", API_OUT_NOT_FOUND),
    "PATCH /api/v1/use-cases/{id}/": ("401 404 400 400 400 404 403 400 404", API_OUT_NOT_FOUND),
    "POST /api/v1/use-cases/{id}/put-into-production/": ("401 403 200 200 200 404 403 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/use-cases/{id}/resume/": ("401 404 403 400 400 404 403 403 404", API_OUT_NOT_FOUND),
    "POST /api/v1/use-cases/{id}/retire/": ("401 403 400 400 400 404 403 400 404", API_OUT_NOT_FOUND),
    "GET /api/v1/use-cases/{id}/reviews/": ("401 404 200 200 200 404 200 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/use-cases/{id}/rework/": ("401 404 200 200 200 404 403 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/use-cases/{id}/submit/": ("401 404 200 200 200 404 403 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/use-cases/{id}/suspend/": ("401 403 403 400 400 404 403 403 404", API_OUT_NOT_FOUND),
    "POST /api/v1/use-cases/{id}/withdraw/": ("401 404 200 200 200 404 403 200 404", API_OUT_NOT_FOUND),
    # The DPO (the RSSI on the security axis) qualifies in law: nothing to confirm nor to lift on this draft (409)
    "POST /api/v1/use-cases/{id}/qualification/confirm/": ("401 404 403 409 403 404 403 403 404", API_OUT_NOT_FOUND),
    "POST /api/v1/use-cases/{id}/qualification/overrides/": (
        "401 404 403 400 400 404 403 403 404",
        API_OUT_NOT_FOUND,
    ),
    "POST /api/v1/use-cases/{id}/qualification/overrides/{input_name}/lift/": (
        "401 404 403 409 403 404 403 403 404",
        API_OUT_NOT_FOUND,
    ),
    "GET /api/v1/use-cases/{use_case_id}/checkpoints/": ("401 200 200 200 200 404 200 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/use-cases/{use_case_id}/checkpoints/": ("401 403 400 400 400 404 403 400 404", API_OUT_NOT_FOUND),
    "GET /api/v1/use-cases/{use_case_id}/incidents/": ("401 200 200 200 200 404 200 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/use-cases/{use_case_id}/incidents/": ("401 403 400 400 400 404 403 400 404", API_OUT_NOT_FOUND),
    "GET /api/v1/use-cases/{use_case_id}/incidents/{id}/": ("401 200 200 200 200 404 200 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/use-cases/{use_case_id}/incidents/{id}/qualify/": (
        "401 403 400 400 400 404 403 400 404",
        API_OUT_NOT_FOUND,
    ),
    "POST /api/v1/use-cases/{use_case_id}/incidents/{id}/breach-assessment/": (
        "401 403 403 400 403 404 403 400 404",
        API_OUT_NOT_FOUND,
    ),
    "GET /api/v1/use-cases/{use_case_id}/incidents/{incident_id}/notifications/": (
        "401 200 200 200 200 404 200 200 404",
        API_OUT_NOT_FOUND,
    ),
    "POST /api/v1/use-cases/{use_case_id}/incidents/{incident_id}/notifications/": (
        "401 403 400 400 400 404 403 400 404",
        API_OUT_NOT_FOUND,
    ),
    # Requests for an explanation: the list is scoped (empty for who sees none); the public creates only.
    "GET /api/v1/explanation-requests/": (API_MEMBER, None),
    "GET /api/v1/explanation-requests/{id}/": ("401 404 200 200 404 404 404 200 404", API_OUT_NOT_FOUND),
    # The AIDFs: as on the web pages (an empty body: 400 where the operation needs one).
    "GET /api/v1/frias/": (API_MEMBER, None),
    "POST /api/v1/frias/": ("401 400 400 400 400 400 400 400 400", None),
    "GET /api/v1/frias/{id}/": ("401 404 200 200 200 404 200 200 404", API_OUT_NOT_FOUND),
    "PATCH /api/v1/frias/{id}/": ("401 404 200 200 200 404 403 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/frias/{id}/submit/": ("401 404 200 200 200 404 403 200 404", API_OUT_NOT_FOUND),
    "GET /api/v1/frias/{id}/suggestions/": ("401 404 200 200 200 404 200 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/frias/{id}/review/": ("401 404 403 400 403 404 403 403 404", API_OUT_NOT_FOUND),
    "GET /api/v1/frias/{id}/versions/": ("401 404 200 200 200 404 200 200 404", API_OUT_NOT_FOUND),
    "POST /api/v1/frias/{id}/notify/": ("401 404 400 400 400 404 403 400 404", API_OUT_NOT_FOUND),
    "POST /api/v1/frias/{id}/reopen/": ("401 404 200 200 200 404 403 200 404", API_OUT_NOT_FOUND),
    "PATCH /api/v1/explanation-requests/{id}/": ("401 404 400 400 404 404 404 400 404", API_OUT_NOT_FOUND),
    "POST /api/v1/explanation-requests/{id}/send/": ("401 404 400 400 404 404 404 403 404", API_OUT_NOT_FOUND),
    "POST /api/v1/explanation-requests/{id}/reject/": ("401 404 400 400 404 404 404 403 404", API_OUT_NOT_FOUND),
    "POST /api/v1/public/explanation-requests/": ("400 400 400 400 400 400 400 400 400", None),
}


# Writes with a real body ---------------------------------------------------------------------------------------
#
# An empty body shows only who is refused before validation. Each write below is also posted with a real, valid
# body: for a web page, the form the page shows (its initial data for the object, the choice the form offers where
# it holds none, a valid value in each required field; `fill` on top), read from `page` (the route itself when
# None) as `reader` sees it; for the API, the object's representation as `reader` reads it, kept to the fields the
# operation accepts (`fill` on top), or `fill` alone for an action. `valid` is the answer each role must get to that
# body: OK = done (2xx/3xx and the database changed), anything else a refusal that changed nothing; by default the
# empty body's row with every allowed answer (200, 201, 204, 302, 400, 409) read as OK.
#
# Then each role allowed to write posts (1) the valid body to the neighbour's object, where the route names one, and
# (2) for each field of `foreign`, the body with that field naming what the role may not reach (`world.
# foreign_values`: the neighbour's objects; for the head of service and the agent, the services and people outside
# their direction): refused, and the database unchanged.
OK = "ok"
ALLOWED = {"200", "201", "204", "302", R, "400", "409"}


class Write:
    def __init__(self, *, valid=None, fill=None, page=None, reader="admin", foreign=None, many=()):
        self.valid, self.fill, self.page, self.reader = valid, fill, page, reader
        self.foreign = foreign or {}  # body field -> kind of object (see world.foreign_values)
        self.many = many  # fields posted as a list

    def row(self, empty_row: str) -> dict[str, str]:
        if self.valid is not None:
            return row(self.valid)
        return {role: OK if code in ALLOWED else code for role, code in row(empty_row).items()}

    def filled(self, objects) -> dict:
        return self.fill(objects) if callable(self.fill) else dict(self.fill or {})


# The facts the use case form asks that the factory's use cases leave unanswered.
FACTS = {
    "origin": "unknown",
    "ce_marked_product": "unknown",
    "policy_areas": "internal_work",
    "sensitive_contexts": "none",
}
# And every other fact, for a new one.
NEW_FACTS = {
    **FACTS,
    "art5_practices": "none",
    "produces_by": "generates_text",
    "keeps_learning_in_use": "no",
    "affects": "agents",
    "effect_on_people": "no_decision_about_persons",
    "decides_on_individual_cases": "no",
    "assesses_persons": "no",
    "watches_people": "no",
}

WEB_WRITES = {
    # The neighbour's DPO posts our service and tool in their collectivité: the form names the error (200).
    "registry:use_case_create": Write(
        valid="L ok ok ok ok 403 403 ok 200",
        fill=lambda o: {
            "action": "save",
            "name": "Tri des courriels",
            "summary": "Un assistant trie les courriels.",
            "purpose": "Gagner du temps.",
            "service": o["service"].pk,
            "tool": o["tool"].pk,
            "owner": o["draft"].owner_id,
            **NEW_FACTS,
        },
        foreign={"service": "service", "owner": "user", "tool": "tool"},
    ),
    "registry:use_case_edit": Write(
        fill={"action": "save", "name": "Usage IA renommé", **FACTS},
        foreign={"service": "service", "owner": "user", "tool": "tool"},
    ),
    "registry:use_case_submit": Write(page="registry:use_case_detail"),
    "registry:use_case_retire": Write(
        page=("registry:use_case_detail", pk("in_production")), fill={"comment": "Plus utilisé."}
    ),
    "registry:opinion_give": Write(reader="dpo", fill={"verdict": "favourable", "comment": "Rien à redire."}),
    "registry:qualification_set": Write(page="registry:qualification", reader="dpo", fill={"justification": "Vu."}),
    "registry:committee_member_add": Write(
        valid="L 403 403 ok 403 ok 403 ok 400",  # the neighbour's DPO names a person of ours: not theirs
        fill=lambda o: {"user": o["agent_user"].pk, "affiliation": "Agent"},
        foreign={"user": "user"},
    ),
    "registry:committee_member_update": Write(page="registry:committee", fill={"affiliation": "Université"}),
    "registry:committee_member_end": Write(page="registry:committee"),
    "registry:committee_session_create": Write(fill={"held_on": "2030-01-15T10:00", "place": "Salle du conseil"}),
    "registry:committee_agenda_add": Write(
        fill=lambda o: {"review": o["waiting_review"].pk}, foreign={"review": "review"}
    ),
    "registry:committee_attendance": Write(
        fill=lambda o: {"present": [o["committee_member"].pk]}, foreign={"present": "member"}, many=("present",)
    ),
    "registry:committee_session_close": Write(page="registry:committee_session"),
    "registry:committee_agenda_remove": Write(page="registry:committee_session"),
    "registry:committee_vote": Write(reader="comite", fill={"choice": "favourable"}),
    "registry:declaration_create": Write(
        fill={
            "tool_name": "ChatGPT",
            "category": "general_chatbot",
            "tasks": "Rédiger des courriers.",
            "frequency": "weekly",
            "device": "work_pc",
            "account": "personal_free",
            "data_entered": "public",
            "output_use": "personal_draft",
            "human_review": "always",
        },
        foreign={"tool": "tool"},
    ),
    "registry:declaration_action": Write(page="registry:declaration_triage"),  # "start": the analysis begins
    # Anyone of the collectivité may answer for a checkpoint (the DPO, the RSSI...): only the neighbour's people are
    # out of scope.
    "audits:checkpoint_add": Write(
        fill=lambda o: {"type": o["free_checkpoint_type"].pk, "frequency": "quarterly"}, foreign={"owner": "person"}
    ),
    "audits:checkpoint_edit": Write(fill={"frequency": "monthly"}, foreign={"owner": "person"}),
    "audits:incident_create": Write(fill={"description": "Une réponse erronée.", "severity": "minor"}),
    "audits:incident_qualify": Write(
        page="audits:incident_detail",
        fill=lambda o: {
            "qualification-serious": "no",
            "qualification-aware_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    ),
    "audits:incident_notification_add": Write(
        page="audits:incident_detail",
        fill=lambda o: {
            "notification-recipient": "provider",
            "notification-sent_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "notification-channel": "email",
            "notification-stage": "initial",
        },
    ),
    # Anyone may ask for a document they may read: the annual report is not the agent's, the chef's nor the chair's.
    "audits:document_request": Write(page="registry:home", valid="L 403 403 ok ok 403 ok ok ok"),
    "charter:section_edit": Write(fill={"title": "Objet de la charte"}),
    "charter:edition_publish": Write(reader="dgs", fill={"confirm": "on"}),
    "mutualisation:offered_decide": Write(page="mutualisation:offered_detail", fill={"action": "adopt"}),
    "mutualisation:offered_adapt": Write(fill={"description": "Adapté pour nous."}),
    "transparency:edit": Write(fill={"action": "save", "name": "Aide à l'instruction"}),
    "transparency:withdraw": Write(page="transparency:edit", fill={"reason": "Usage arrêté."}),
    "exchange:import_discard": Write(page="exchange:import_detail"),
    # The DPO and the DGS read the settings; an administrator changes them.
    "registry:collectivite_settings": Write(
        valid="L 403 403 403 403 403 403 ok 404", fill={"name": "Ville de Bellerive-sur-Mer"}
    ),
}

API_WRITES = {
    "POST /api/v1/use-cases/": Write(
        valid="401 ok ok ok ok 403 403 ok 400",
        fill=lambda o: {
            "name": "Tri des courriels",
            "summary": "Un assistant trie les courriels.",
            "purpose": "Gagner du temps.",
            "service": o["service"].pk,
            "tool": o["tool"].pk,
            "audience": "agents",
        },
        foreign={"service": "service", "owner": "user", "tool": "tool"},
    ),
    "PATCH /api/v1/use-cases/{id}/": Write(
        fill={"name": "Usage IA renommé"}, foreign={"service": "service", "owner": "user", "tool": "tool"}
    ),
    "PUT /api/v1/use-cases/{id}/": Write(
        fill={"name": "Usage IA renommé"}, foreign={"service": "service", "owner": "user", "tool": "tool"}
    ),
    "POST /api/v1/use-cases/{id}/submit/": Write(fill=lambda o: {"version": o["draft"].version}),
    "POST /api/v1/use-cases/{id}/retire/": Write(fill={"comment": "Plus utilisé."}),
    "POST /api/v1/use-cases/{use_case_id}/checkpoints/": Write(
        fill=lambda o: {"type": o["free_checkpoint_type"].code, "owner": o["draft"].owner_id, "frequency": "quarterly"},
        foreign={"owner": "person"},
    ),
    "POST /api/v1/use-cases/{use_case_id}/incidents/": Write(
        fill={"occurred_at": "2026-01-05T10:00:00+01:00", "description": "Une erreur.", "severity": "minor"}
    ),
    "POST /api/v1/use-cases/{use_case_id}/incidents/{id}/qualify/": Write(fill={"serious": False}),
    "POST /api/v1/use-cases/{use_case_id}/incidents/{incident_id}/notifications/": Write(
        fill=lambda o: {"recipient": "provider", "sent_at": timezone.now().isoformat(), "channel": "email"}
    ),
    "PATCH /api/v1/checkpoints/{id}/": Write(fill={"frequency": "monthly"}, foreign={"owner": "person"}),
    "POST /api/v1/committee-members/": Write(
        valid="401 403 403 ok 403 ok 403 ok 400",
        fill=lambda o: {"user": o["agent_user"].pk, "affiliation": "Agent"},
        foreign={"user": "user"},
    ),
    "PATCH /api/v1/committee-members/{id}/": Write(fill={"affiliation": "Université"}),
    "POST /api/v1/committee-sessions/": Write(fill={"held_on": "2030-01-15T10:00:00+01:00", "place": "Salle"}),
    "POST /api/v1/committee-sessions/{id}/agenda/": Write(
        fill=lambda o: {"review": o["waiting_review"].pk}, foreign={"review": "review"}
    ),
    "POST /api/v1/committee-sessions/{id}/attendance/": Write(
        fill=lambda o: {"present": [o["committee_member"].pk]}, foreign={"present": "member"}, many=("present",)
    ),
    "POST /api/v1/committee-sessions/{id}/agenda/{item_id}/votes/": Write(
        reader="comite", fill={"choice": "favourable"}
    ),
    "POST /api/v1/declarations/": Write(
        fill={
            "tool_name": "ChatGPT",
            "category": "general_chatbot",
            "tasks": "Rédiger des courriers.",
            "frequency": "weekly",
            "device": "work_pc",
            "account": "personal_free",
            "data_entered": ["public"],
            "output_use": ["personal_draft"],
            "human_review": "always",
        },
        foreign={"tool": "tool", "service": "person_service"},
    ),
    "POST /api/v1/declarations/{id}/offer-alternative/": Write(
        fill=lambda o: {"alternative_tool": o["tool"].pk, "message": "Utilisez Albert."},
        foreign={"alternative_tool": "tool"},
    ),
    "POST /api/v1/declarations/{id}/regularise/": Write(
        fill=lambda o: {"use_case": o["draft"].pk, "message": "Votre usage est au registre."},
        foreign={"use_case": "use_case"},
    ),
    "POST /api/v1/reviews/{id}/opinions/": Write(
        valid="401 404 403 ok 403 404 403 403 404", reader="dpo", fill={"role": "dpo", "verdict": "favourable"}
    ),
    "POST /api/v1/tools/": Write(
        fill={"name": "Mistral", "vendor": "Mistral AI", "category": "general_chatbot", "hosting_zone": "fr"}
    ),
    "PATCH /api/v1/tools/{id}/": Write(fill={"name": "Albert 2"}),
    "PUT /api/v1/tools/{id}/": Write(fill={"name": "Albert 2"}),
    "POST /api/v1/documents/": Write(
        valid="401 403 403 ok ok 403 ok ok ok", fill={"kind": "annual_report", "year": 2025}
    ),
}
