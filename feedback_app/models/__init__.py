"""All models, imported here so Alembic and the app see every table."""

from feedback_app.models.actions import (
    ACTION_STATUS_NAMES,
    ACTION_STATUSES,
    OWNER_TEAMS,
    ActionItem,
    FollowUp,
)
from feedback_app.models.analysis import AnalysisRun, Theme, ThemeAssignment
from feedback_app.models.audit import AuditEvent
from feedback_app.models.base import utcnow
from feedback_app.models.conversations import (
    ComplaintCase,
    Conversation,
    ConversationAssignment,
    ConversationMessage,
)
from feedback_app.models.customers import CHURN_TYPES, DepartedCustomer
from feedback_app.models.integrations import (
    BILLING_PROVIDERS,
    WEBHOOK_ENDPOINT_KINDS,
    WEBHOOK_EVENTS,
    BillingEvent,
    EarlyReturn,
    WebhookDelivery,
    WebhookEndpoint,
)
from feedback_app.models.outbox import EMAIL_KINDS, EMAIL_STATUSES, MailSendSlot, OutboxEmail
from feedback_app.models.surveys import INVITATION_STATUSES, Invitation, Response, Survey, SurveyVersion
from feedback_app.models.users import API_SCOPES, ROLE_DESCRIPTIONS, ROLE_NAMES, ROLES, ApiKey, StaffUser
from feedback_app.models.winback import (
    ActiveCount,
    CampaignMember,
    CprCase,
    SubscriptionMovement,
    WinbackCampaign,
)

__all__ = [
    "ACTION_STATUS_NAMES",
    "ACTION_STATUSES",
    "OWNER_TEAMS",
    "ActionItem",
    "FollowUp",
    "AnalysisRun",
    "Theme",
    "ThemeAssignment",
    "AuditEvent",
    "utcnow",
    "BILLING_PROVIDERS",
    "BillingEvent",
    "EarlyReturn",
    "WEBHOOK_ENDPOINT_KINDS",
    "WEBHOOK_EVENTS",
    "WebhookDelivery",
    "WebhookEndpoint",
    "CHURN_TYPES",
    "DepartedCustomer",
    "EMAIL_KINDS",
    "EMAIL_STATUSES",
    "MailSendSlot",
    "OutboxEmail",
    "INVITATION_STATUSES",
    "Invitation",
    "Response",
    "Survey",
    "SurveyVersion",
    "API_SCOPES",
    "ROLES",
    "ROLE_DESCRIPTIONS",
    "ROLE_NAMES",
    "ApiKey",
    "StaffUser",
    "ActiveCount",
    "CampaignMember",
    "CprCase",
    "SubscriptionMovement",
    "WinbackCampaign",
    "ComplaintCase",
    "Conversation",
    "ConversationAssignment",
    "ConversationMessage",
]
