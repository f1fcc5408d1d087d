"""The stages a message and a draft go through, and what each allows: the rest of the code asks here.

Message: collecting → received → tagged → drafted; or held (possible spam) → rejected, or withdrawn.
Draft: collecting → open → approved (submitted to the congress office) or discarded; or merged into another.
"approved" is not the end: the registered suggestion goes on in intake/services/lifecycle/states.py.
"""

from __future__ import annotations

from intake.models.drafts import DraftStatus
from intake.models.messages import MessageStatus

MESSAGE_STAGES = (MessageStatus.COLLECTING, MessageStatus.RECEIVED, MessageStatus.HELD, MessageStatus.REJECTED,
                  MessageStatus.WITHDRAWN, MessageStatus.TAGGED, MessageStatus.DRAFTED)
DRAFT_STAGES = (DraftStatus.COLLECTING, DraftStatus.OPEN, DraftStatus.APPROVED, DraftStatus.DISCARDED,
                DraftStatus.MERGED)

# Grouping adds nothing more to these: late messages on the same problem start a follow-up draft.
DRAFTS_SEALED = (DraftStatus.APPROVED, DraftStatus.DISCARDED, DraftStatus.MERGED)
# Handed on as a suggestion (代表建议): the deputy's count of submitted ones, the document's name, the chat's 查询.
DRAFTS_SUBMITTED = (DraftStatus.APPROVED,)
# Nothing more will happen to these, so nobody will need to reach the citizen about them: retention may cut the
# link. A submitted suggestion is still being handled (the citizen will be told the answer).
DRAFTS_FINISHED = (DraftStatus.DISCARDED,)
MESSAGES_FINISHED = (MessageStatus.WITHDRAWN, MessageStatus.REJECTED)
# A chat's message is stored (with its receipt number) from its first words, but the citizen gets the number only
# once it is sent: one still being written, or dropped by 重新开始, is no message to staff, their queue, counts
# and exports (an abandoned one is sent by the sweep after a quiet while).
MESSAGES_UNSENT = (MessageStatus.COLLECTING, MessageStatus.WITHDRAWN)


def sealed(status: str) -> bool:
    return status in DRAFTS_SEALED


def submitted(status: str) -> bool:
    return status in DRAFTS_SUBMITTED


def editable(status: str) -> bool:
    """The deputy may still edit, merge, approve or discard it."""
    return status == DraftStatus.OPEN
