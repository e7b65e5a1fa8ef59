"""The minutes of one ethics committee session: the attendance and the quorum, the agenda, and for each case what the
committee had before it (the DPO's and the RSSI's opinions), the members' opinions and conflicts of interest, the
votes and the quorum the committee's opinion was given with, who presided over it when the chair could not (absent, or
with a conflict of interest on the case: the vice-chair, else the eldest member present), and the decision it led to;
signed by the chair and the secretary, their titles agreed with each of them (registry.titles). A session not closed
prints as provisional minutes.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core import labels
from core.roles import Role
from documents.models import Document
from documents.pdf import PdfSpec
from registry import rules, selectors, titles
from registry.choices import AiActRisk, Civility, CommitteeOpinion, ReviewerRole, SessionStatus
from registry.models import AgendaItem, CommitteeMember, CommitteeSession, Membership, Opinion, Vote
from reporting.reports.use_case import tally

SECTIONS = (
    ("session", gettext_lazy("The session")),
    ("agenda", gettext_lazy("Agenda")),
    ("cases", gettext_lazy("Cases examined")),
    ("signature", gettext_lazy("Signature")),
)


def _items(session: CommitteeSession) -> list[AgendaItem]:
    """The agenda with everything the minutes print, in a fixed number of queries."""
    return list(
        session.items.select_related(
            "review__use_case__service", "review__use_case__owner", "review__decided_by", "decided_by", "presided_by"
        )
        .prefetch_related(
            Prefetch("votes", queryset=Vote.objects.select_related("member__user").order_by("created_at", "id")),
            Prefetch("review__opinions", queryset=Opinion.objects.select_related("author")),
            "review__conditions",
            # The same case on other sessions' agendas: postponed before, or examined again after.
            Prefetch("review__agenda_items", queryset=AgendaItem.objects.select_related("session")),
        )
        .order_by("position", "id")
    )


def seated_members(
    session: CommitteeSession, members: list[CommitteeMember], items: list[AgendaItem], roster=None
) -> list:
    """Who sat on the committee for this session. A held session has its attendance (each member in office present or
    absent); before the rules of procedure, or before the session is opened, the members in office on its date, and
    whether they gave an opinion or declared a conflict on one of its cases."""
    took_part = {vote.member_id for item in items for vote in item.votes.all()}
    if roster is not None and roster.attendance:
        return [
            {"member": row.member, "took_part": row.member.pk in took_part, "present": row.present}
            for row in roster.attendance
        ]
    held_on = timezone.localtime(session.held_on).date()
    seated = [
        member
        for member in members
        if member.pk in took_part or (member.active and (member.joined_on is None or member.joined_on <= held_on))
    ]
    return [{"member": member, "took_part": member.pk in took_part, "present": None} for member in seated]


def _why(review, opinions: dict) -> dict:
    """Why the case came to the committee: the classification of what was submitted, or a reviewer's request."""
    reasons = [
        reason
        for reason in rules.reasons_from_stored(review.snapshot.get("reasons", []))
        if rules.ETHICS in reason.supports
    ]
    asked_by = [opinions[role] for role in ReviewerRole.values if role in opinions and opinions[role].ask_committee]
    return {"required": review.ethics_required, "reasons": reasons, "asked_by": asked_by}


# Why the chair stood aside, the participle agreed with them (« s'est retirée », « s'est retiré »; the function's form
# says « n'a pas pris part à son examen »): (declared, found from the register) per form of address. Literal msgids:
# makemessages reads only those.
WITHDREW = {
    Civility.MADAME: (
        pgettext_lazy(
            "minutes, feminine",
            "%(chair)s, %(title)s, having declared a conflict of interest on this case, withdrew; the opinion was "
            "taken under the presidency of %(who)s.",
        ),
        pgettext_lazy(
            "minutes, feminine",
            "%(chair)s, %(title)s, having a conflict of interest on this case (owner of the use case or member of its "
            "service), withdrew; the opinion was taken under the presidency of %(who)s.",
        ),
    ),
    Civility.MONSIEUR: (
        pgettext_lazy(
            "minutes, masculine",
            "%(chair)s, %(title)s, having declared a conflict of interest on this case, withdrew; the opinion was "
            "taken under the presidency of %(who)s.",
        ),
        pgettext_lazy(
            "minutes, masculine",
            "%(chair)s, %(title)s, having a conflict of interest on this case (owner of the use case or member of its "
            "service), withdrew; the opinion was taken under the presidency of %(who)s.",
        ),
    ),
    "": (
        pgettext_lazy(
            "minutes, function",
            "%(chair)s, %(title)s, having declared a conflict of interest on this case, withdrew; the opinion was "
            "taken under the presidency of %(who)s.",
        ),
        pgettext_lazy(
            "minutes, function",
            "%(chair)s, %(title)s, having a conflict of interest on this case (owner of the use case or member of its "
            "service), withdrew; the opinion was taken under the presidency of %(who)s.",
        ),
    ),
}


def _withdrew(chair_user, name: str, title: str, declared: bool, who: str) -> str:
    """« Claire Martin, présidente, ayant déclaré un conflit d'intérêts sur ce dossier, s'est retirée ; … »."""
    forms = WITHDREW.get(getattr(chair_user, "civility", "") or "", WITHDREW[""])
    return str(forms[0] if declared else forms[1]) % {"chair": name, "title": title, "who": who}


def presidency(item: AgendaItem, chair, roster=None) -> str:
    """What the minutes say of who presided over a case when the chair did not (nothing when the chair did): the
    member frozen with the opinion (`AgendaItem.presided_by`), and why the chair stood aside. For a case still open
    in session, who presides over it (`selectors.presiding_member`, as on the session's page and in the API)."""
    if not item.opinion:
        presiding = (
            selectors.presiding_member(item, roster)
            if roster is not None and roster.attendance and item.session.status == SessionStatus.OPEN
            else None
        )
        if presiding is None or not presiding.replaces_chair:
            return ""
        return _("For this case, the committee is presided over by %(who)s.") % {
            "who": titles.presided_by(presiding.role, presiding.user)
        }
    if not item.presided_by_id or item.presiding_role in ("", AgendaItem.PresidingRole.CHAIR):
        return ""
    who = titles.presided_by(item.presiding_role, item.presided_by)
    if chair is None:
        return _("No chair being named, the opinion was taken under the presidency of %(who)s.") % {"who": who}
    name, title = str(chair), titles.presiding(AgendaItem.PresidingRole.CHAIR, chair.user)
    if any(vote.conflict_of_interest and vote.member.user_id == chair.user_id for vote in item.votes.all()):
        return _withdrew(chair.user, name, title, True, who)
    links = roster.links if roster is not None else {}
    if selectors.conflicted_user_ids(item.review.use_case, {chair.user_id}, links):
        return _withdrew(chair.user, name, title, False, who)
    if roster is not None and chair.user_id not in roster.present_user_ids:
        return _("In the absence of %(chair)s, %(title)s, the opinion was taken under the presidency of %(who)s.") % {
            "chair": name,
            "title": title,
            "who": who,
        }
    return _("The opinion was taken under the presidency of %(who)s.") % {"who": who}


def case(item: AgendaItem, session: CommitteeSession, seated: list[dict], roster=None, chair=None) -> dict:
    review = item.review
    use_case = review.use_case
    opinions = {opinion.role: opinion for opinion in review.opinions.all()}
    conditions = list(review.conditions.all())
    votes = list(item.votes.all())
    voted = {vote.member_id for vote in votes}
    # The quorum and votes frozen with the opinion; for a case still open in session, as they stand.
    if item.opinion:
        quorum = selectors.recorded_quorum(item)
    else:
        quorum = selectors.item_quorum(item, roster) if roster is not None and roster.attendance else None
    others = sorted(
        (other for other in review.agenda_items.all() if other.pk != item.pk),
        key=lambda other: (other.session.held_on, other.pk),
    )
    risk = (review.snapshot.get("classification") or {}).get("ai_act_risk") or use_case.ai_act_risk
    opinion_given = bool(item.opinion) and item.opinion != CommitteeOpinion.POSTPONED
    return {
        "item": item,
        "review": review,
        "use_case": use_case,
        "risk_label": labels.label(AiActRisk, risk),
        "why": _why(review, opinions),
        "opinions": [
            {"role": value, "label": label, "opinion": opinions.get(value)} for value, label in ReviewerRole.choices
        ],
        "review_conditions": [c for c in conditions if c.source != "committee"],
        "committee_conditions": [c for c in conditions if c.source == "committee"],
        "votes": votes,
        "silent": [
            row["member"] for row in seated if row["member"].pk not in voted and row.get("present") is not False
        ],
        "quorum": quorum,
        "tally": tally(votes),
        # The decision this session's opinion led to (a postponed case is decided at a later session).
        "decision": review if opinion_given and review.decision else None,
        "postponed_from": [
            other for other in others if other.session.held_on < session.held_on and other.opinion == "postponed"
        ],
        "examined_again": [other for other in others if other.session.held_on > session.held_on],
        "presidency": presidency(item, chair, roster),
    }


def context(session: CommitteeSession) -> dict:
    items = _items(session)
    members = list(
        CommitteeMember.objects.filter(collectivite_id=session.collectivite_id)
        .select_related("user")
        .order_by("-is_chair", "user__last_name", "user__first_name", "id")
    )
    roster = selectors.session_roster(session)
    seated = seated_members(session, members, items, roster)
    # The chair the session was opened with (their seat, even if their mandate ended since); before that, the chair
    # in office. The secretary likewise, the DPO by default.
    chair = next((member for member in members if session.chair_id and member.user_id == session.chair_id), None)
    chair = chair or next((row["member"] for row in seated if row["member"].is_chair), None)
    secretary = session.secretary or _dpo(session.collectivite_id)
    secretary_is_dpo = (
        secretary is not None
        and Membership.objects.filter(user=secretary, collectivite_id=session.collectivite_id, role=Role.DPO).exists()
    )
    present = [row for row in seated if row.get("present")]
    return {
        "session": session,
        "provisional": session.status != SessionStatus.CLOSED,
        "held": session.was_held,
        "has_attendance": bool(roster.attendance),
        "present_count": len(present),
        "in_office": len(roster.attendance),
        "quorum_percent": roster.percent if roster.attendance else None,
        "quorum_required": (
            selectors.quorum_required(len(roster.attendance), roster.percent) if roster.attendance else None
        ),
        "seated": seated,
        "chair": chair,
        "chair_title": titles.title(titles.COMMITTEE_CHAIR, chair.user if chair else None),
        "chair_role": titles.title(titles.CHAIR, chair.user if chair else None),
        "secretary": secretary,
        "secretary_title": titles.title(titles.SECRETARY, secretary),
        "secretary_role_title": titles.title(titles.DPO, secretary) if secretary_is_dpo else "",
        "cases": [case(item, session, seated, roster, chair) for item in items],
    }


def _dpo(collectivite_id: int):
    membership = (
        Membership.objects.filter(collectivite_id=collectivite_id, role=Role.DPO, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    return membership.user if membership else None


def build(document: Document) -> PdfSpec:
    session = CommitteeSession.objects.select_related("collectivite", "created_by", "chair", "secretary").get(
        pk=document.session_id
    )
    with translation.override(settings.LANGUAGE_CODE):
        held_on = timezone.localtime(session.held_on)
        provisional = session.status != SessionStatus.CLOSED
        subtitle = _("Session of %(date)s") % {"date": date_format(held_on, "DATE_FORMAT")}
        if provisional:
            subtitle = _("%(session)s — provisional minutes") % {"session": subtitle}
        return PdfSpec(
            template="documents/committee_minutes.html",
            title=_("Ethics committee minutes"),
            subtitle=subtitle,
            context=context(session),
            toc=[(anchor, str(label)) for anchor, label in SECTIONS],
        )
