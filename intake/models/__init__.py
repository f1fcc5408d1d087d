"""The domain's tables, one module per domain; every name is exported here."""

from intake.models.base import MAX_ID, Base, UTCDateTime, as_id, utcnow
from intake.models.people import DEPUTY_LEVELS, Station, Deputy, CitizenLink, ScanCount, Citizen, SignInLink, EndedSignIn, StaffRole, StaffUser
from intake.models.messages import Conversation, MessageStatus, Message, Attachment, InboundEvent, CitizenNotice, ProgressLink, ReceiptCounter
from intake.models.console import StaffNote, AuditEntry, ExportJob, ReportJob
from intake.models.topics import TopicCorrection, ClassifierModel
from intake.models.drafts import DraftStatus, Draft, DraftMessage, DraftCosigner, DraftInvitation, DraftRevision
from intake.models.grouping import IndexedDeputy, GroupTerms, GroupWord, GroupingKey, PlaceName, WordFrequency, CacheStamp
from intake.models.radar import RadarProblem, RadarWord, RadarTerm, RadarDraft, RadarMessage
from intake.models.units import HandlingUnit, UnitChoice
from intake.models.suggestions import (Suggestion, SuggestionCounter, SuggestionCosigner, SuggestionMessage, Assignment,
                                       SuggestionEvent, UnitContact, CoOpinion, Reply, Rating)
from intake.models.reminders import Reminder, Delivery
from intake.models.api import ApiKey, ApiSubmission, parse_scopes
from intake.models import stages

__all__ = ["utcnow", "UTCDateTime", "Base", "DEPUTY_LEVELS", "Station", "Deputy", "CitizenLink", "ScanCount",
           "Citizen", "SignInLink", "EndedSignIn", "StaffRole", "StaffUser", "Conversation", "MessageStatus", "Message", "Attachment",
           "InboundEvent", "CitizenNotice", "ProgressLink", "ReceiptCounter", "StaffNote", "AuditEntry", "ExportJob",
           "ReportJob", "TopicCorrection", "ClassifierModel", "DraftStatus", "Draft", "DraftMessage", "DraftCosigner",
           "DraftInvitation", "DraftRevision", "IndexedDeputy", "GroupTerms", "GroupWord", "GroupingKey",
           "PlaceName", "WordFrequency", "CacheStamp", "HandlingUnit", "UnitChoice", "Suggestion", "SuggestionCounter",
           "SuggestionCosigner", "SuggestionMessage", "Assignment", "SuggestionEvent", "UnitContact", "CoOpinion",
           "Reply", "Rating", "Reminder", "Delivery", "ApiKey", "ApiSubmission", "parse_scopes", "RadarProblem", "RadarWord",
           "RadarTerm", "RadarDraft", "RadarMessage", "stages"]
