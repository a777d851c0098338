"""One departed customer's page: who they are, their surveys and what the analysis made of their
answers, their support tickets and exit interviews, every email we sent them, and the win-back,
CPR and follow-up work about them.

CX staff open a customer from the list to answer "what do we know about this person, and what
have we done?" in one place. :func:`customer_detail` assembles it in a fixed number of queries
whatever the customer's history (no query per answer, email, theme or campaign), so a customer
with years of emails opens as fast as one without. Answer text is the redacted text, as on the
theme pages; the phone number is never part of it (:func:`contact_details` shows it on request,
audited, as the follow-up queue does).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import load_only

from feedback_app.extensions import db
from feedback_app.models import (
    ActionItem,
    CampaignMember,
    Conversation,
    CprCase,
    DepartedCustomer,
    FollowUp,
    Invitation,
    OutboxEmail,
    Response,
    Survey,
    SurveyVersion,
    Theme,
    WinbackCampaign,
)
from feedback_app.services.accounts import audit
from feedback_app.services.actions.winback import second_lifetime_value_cents
from feedback_app.services.conversations import analysis_feed
from feedback_app.services.conversations.browse import customer_words
from feedback_app.services.insights import assignment
from feedback_app.services.insights.follow_ups import ContactDetails, stored_contact
from feedback_app.services.insights.second_causes import secondary_themes
from feedback_app.services.outreach.follow_up_language import language_name
from feedback_app.services.outreach.invitations import active_surveys, skip_reason
from feedback_app.services.responses.answers import competitor, contact_refusal, picked_label, score

#: The outbox columns the page shows (never the bodies: they hold live survey links).
EMAIL_COLUMNS = (
    OutboxEmail.id,
    OutboxEmail.kind,
    OutboxEmail.status,
    OutboxEmail.attempts,
    OutboxEmail.last_error,
    OutboxEmail.next_attempt_at,
    OutboxEmail.created_at,
    OutboxEmail.sent_at,
    OutboxEmail.action_item_id,
)
#: How many of their conversations the page lists, newest first; the conversations list has all.
CONVERSATIONS_SHOWN = 20


@dataclass(frozen=True)
class AnswerDetail:
    """One answer, with the themes the analysis counts it toward now."""

    response: Response
    #: The redacted free text ('' when none was written or it was purged).
    text: str
    #: The main reason they picked, as the survey's option reads.
    picked: str | None
    score: float | None
    competitor: str | None
    #: The theme the answer counts toward now (a human move, else the latest run), or None.
    main_theme: Theme | None
    #: Themes of other root causes the answer also gives (second reasons; never counted in shares).
    second_themes: list[Theme] = field(default_factory=list)

    @property
    def analysed(self) -> bool:
        """Whether the analysis has read it (its redacted text is stored, possibly empty)."""
        return self.response.redacted_text is not None or self.response.text_purged_at is not None

    @property
    def causes(self) -> list[str]:
        """Root-cause keys the answer gives, its main theme's first."""
        themes = ([self.main_theme] if self.main_theme else []) + self.second_themes
        return list(dict.fromkeys(t.category for t in themes))


@dataclass(frozen=True)
class SurveyDetail:
    """One survey link sent to the customer: how far they got, and their answer."""

    invitation: Invitation
    survey: Survey
    answer: AnswerDetail | None


@dataclass(frozen=True)
class ConversationDetail:
    """One support ticket, exit interview or billing-portal reason of theirs."""

    conversation: Conversation
    #: Their words as the analysis reads them (redacted), without the ticket's subject line; ''
    #: when there are none yet (an interview not held).
    text: str
    #: The theme it counts toward now (a human move, else the latest run), or None.
    theme: Theme | None


@dataclass(frozen=True)
class CampaignDetail:
    """The customer's place in one win-back campaign."""

    campaign: WinbackCampaign
    member: CampaignMember


@dataclass
class CustomerDetail:
    """Everything the customer page shows (see the module docstring)."""

    customer: DepartedCustomer
    surveys: list[SurveyDetail]
    emails: list[OutboxEmail]
    follow_ups: list[FollowUp]
    cpr_case: CprCase | None
    campaigns: list[CampaignDetail]
    #: Action items about the themes or root causes of their answers, or whose email they got.
    actions: list[ActionItem]
    #: Why we may not write to them about their answer (``answers.CONTACT_REFUSALS``), or None.
    contact_refusal: str | None
    #: Not invited to any survey: why they cannot be (``invitations.SKIP_REASONS``), or None.
    invite_blocked: str | None
    #: The surveys they could be invited to now (empty once invited, or when blocked).
    invitable_surveys: list[Survey]
    second_lifetime_value_cents: int
    #: Their language by name in the page's language ("German"), or None when the import gave none.
    language: str | None = None
    #: Their newest :data:`CONVERSATIONS_SHOWN` tickets, interviews and portal reasons.
    conversations: list[ConversationDetail] = field(default_factory=list)
    #: How many conversations they have in all (the page lists the newest ``CONVERSATIONS_SHOWN``).
    conversation_count: int = 0

    @property
    def more_conversations(self) -> bool:
        """Whether they have more conversations than the page lists."""
        return self.conversation_count > len(self.conversations)

    @property
    def answers(self) -> list[AnswerDetail]:
        return [s.answer for s in self.surveys if s.answer is not None]

    @property
    def themes(self) -> list[Theme]:
        """Every theme their answers count toward now (main first), once each."""
        seen: dict[int, Theme] = {}
        for answer in self.answers:
            for theme in ([answer.main_theme] if answer.main_theme else []) + answer.second_themes:
                seen.setdefault(theme.id, theme)
        return list(seen.values())

    @property
    def causes(self) -> list[str]:
        """Every root-cause key their answers give, once each."""
        return list(dict.fromkeys(key for answer in self.answers for key in answer.causes))

    @property
    def has_phone(self) -> bool:
        return bool(self.customer.phone)


def _surveys(customer_id: int) -> list[SurveyDetail]:
    """Their invitations, oldest first, each with its survey and answer (three queries, plus the
    theme lookups, whatever the number of answers)."""
    rows = db.session.execute(
        select(Invitation, Survey)
        .join(Survey, Invitation.survey_id == Survey.id)
        .where(Invitation.customer_id == customer_id)
        .order_by(Invitation.created_at, Invitation.id)
    ).all()
    if not rows:
        return []
    responses = {
        response.invitation_id: response
        for response, _version in db.session.execute(
            select(Response, SurveyVersion)  # the versions load with them: the picked label reads one
            .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
            .where(Response.invitation_id.in_([invitation.id for invitation, _ in rows]))
        )
    }
    ids = [r.id for r in responses.values()]
    mains = assignment.current_assignments(ids) if ids else {}
    seconds = secondary_themes(ids)
    surveys = []
    for invitation, survey in rows:
        response = responses.get(invitation.id)
        answer = None
        if response is not None:
            main = mains.get(response.id)
            others = [t for t in seconds.get(response.id, []) if main is None or t.category != main.category]
            answer = AnswerDetail(
                response=response,
                text="" if response.text_purged_at else (response.redacted_text or ""),
                picked=picked_label(response),
                score=score(response.answers),
                competitor=competitor(response.answers),
                main_theme=main,
                second_themes=list({t.id: t for t in others}.values()),
            )
        surveys.append(SurveyDetail(invitation, survey, answer))
    return surveys


def _conversations(customer_id: int) -> tuple[list[ConversationDetail], int]:
    """Their newest conversations with their themes, and how many they have in all (one query,
    the count a window over all their rows, plus the theme lookups, whatever their number)."""
    rows = db.session.execute(
        select(Conversation, func.count(Conversation.id).over())
        .where(Conversation.customer_id == customer_id)
        .order_by(Conversation.opened_at.desc(), Conversation.id.desc())
        .limit(CONVERSATIONS_SHOWN)
    ).all()
    shown = [conversation for conversation, _total in rows]
    themes = analysis_feed.current_themes([c.id for c in shown]) if shown else {}
    total = int(rows[0][1]) if rows else 0
    return [ConversationDetail(c, customer_words(c), themes.get(c.id)) for c in shown], total


def _campaigns(customer_id: int) -> list[CampaignDetail]:
    return [
        CampaignDetail(campaign, member)
        for member, campaign in db.session.execute(
            select(CampaignMember, WinbackCampaign)
            .join(WinbackCampaign, CampaignMember.campaign_id == WinbackCampaign.id)
            .where(CampaignMember.customer_id == customer_id)
            .order_by(CampaignMember.created_at, CampaignMember.id)
        )
    ]


def _actions(theme_ids: set[int], causes: list[str], emailed: set[int]) -> list[ActionItem]:
    """Action items about one of their themes or root causes, or that sent them a we-fixed-it email."""
    conditions: list[Any] = []
    if theme_ids:
        conditions.append(ActionItem.theme_id.in_(theme_ids))
    if causes:
        conditions.append(ActionItem.cause_key.in_(causes))
    if emailed:
        conditions.append(ActionItem.id.in_(emailed))
    if not conditions:
        return []
    return list(
        db.session.scalars(
            select(ActionItem).where(or_(*conditions)).order_by(ActionItem.created_at.desc(), ActionItem.id)
        )
    )


def _language(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return language_name(code)
    except ValueError:  # a code Babel does not know reads as stored rather than failing the page
        return code


def customer_detail(customer_id: int) -> CustomerDetail | None:
    """The customer page's data, or None for an unknown id."""
    customer = db.session.get(DepartedCustomer, customer_id)
    if customer is None:
        return None
    surveys = _surveys(customer.id)
    emails = list(
        db.session.scalars(
            select(OutboxEmail)
            .options(load_only(*EMAIL_COLUMNS))
            .where(OutboxEmail.customer_id == customer.id)
            .order_by(OutboxEmail.created_at, OutboxEmail.id)
        )
    )
    answered = [s.answer for s in surveys if s.answer is not None]
    follow_ups = (
        list(
            db.session.scalars(
                select(FollowUp)
                .where(FollowUp.response_id.in_([a.response.id for a in answered]))
                .order_by(FollowUp.created_at, FollowUp.id)
            )
        )
        if answered
        else []
    )
    latest = max(answered, key=lambda a: (a.response.submitted_at, a.response.id), default=None)
    invitable: list[Survey] = []
    blocked = None
    if not surveys:
        blocked = skip_reason(customer, invited=False, include_involuntary=False)
        invitable = [] if blocked else active_surveys()
    detail = CustomerDetail(
        customer=customer,
        surveys=surveys,
        emails=emails,
        follow_ups=follow_ups,
        cpr_case=db.session.scalar(select(CprCase).where(CprCase.customer_id == customer.id)),
        campaigns=_campaigns(customer.id),
        actions=[],
        contact_refusal=contact_refusal(customer, latest.response.answers if latest else None),
        invite_blocked=blocked,
        invitable_surveys=invitable,
        second_lifetime_value_cents=second_lifetime_value_cents(customer),
        language=_language(customer.language),
    )
    if customer.erased_at is None:  # erasure deleted their conversations
        detail.conversations, detail.conversation_count = _conversations(customer.id)
    detail.actions = _actions(
        {t.id for t in detail.themes}, detail.causes, {e.action_item_id for e in emails if e.action_item_id}
    )
    return detail


def contact_details(customer: DepartedCustomer, *, actor: str, actor_user_id: int | None) -> ContactDetails:
    """Their stored email and phone, the showing audited: the page lists no phone number, so it is
    read only by whoever needs to call (the follow-up queue's rule)."""
    answers = db.session.scalar(
        select(Response.answers)
        .join(Invitation, Response.invitation_id == Invitation.id)
        .where(Invitation.customer_id == customer.id)
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .limit(1)
    )
    audit.record(
        "customer.contact_shown",
        actor=actor,
        actor_user_id=actor_user_id,
        target_type="departed_customer",
        target_id=customer.id,
    )
    db.session.commit()
    return stored_contact(customer, answers)
