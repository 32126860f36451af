"""Which emails of a record to list: a `type` and, for User emails, whose mailbox.

An `EmailFilter` keys one loaded list of a record (and, in the store, one stored order).
"""

from __future__ import annotations

from tui.render.safe import one_line
from tui.structs import Partial
from tui.zoho.catalog import EMAIL_TYPE_BY_VALUE, USER_EMAILS


class EmailFilter(Partial, frozen=True):
    """The `type` and `owner_id` parameters of one list; the owner's name only labels it."""

    UNCOMPARED = frozenset({"owner_name"})

    type: str | None = None
    owner_id: str | None = None
    owner_name: str | None = None

    @property
    def key(self) -> str:
        """A stable text key: "" for all emails, "sent_from_crm", "user_emails:<owner id>"."""
        if self.type == USER_EMAILS:
            return f"{USER_EMAILS}:{self.owner_id or ''}"
        return self.type or ""

    @property
    def label(self) -> str:
        label = EMAIL_TYPE_BY_VALUE[self.type].label
        if self.type == USER_EMAILS and self.owner_name:
            return f"{label}: {one_line(self.owner_name)}"
        return label

    @property
    def empty_text(self) -> str:
        """What an empty list of this kind reads."""
        if self.type == USER_EMAILS:
            whose = f"{one_line(self.owner_name)}'s mailbox" if self.owner_name else "this mailbox"
            return f"No emails in {whose} for this record."
        return _EMPTY_TEXT.get(self.type, "No emails of this kind on this record.")


_EMPTY_TEXT: dict[str | None, str] = {
    None: "No emails on this record.",
    "sent_from_crm": "No emails sent from CRM on this record.",
    "scheduled_in_crm": "No scheduled emails on this record.",
    "drafts": "No drafts on this record.",
    "all_contacts_sent_crm_emails": "No CRM emails sent to this account's contacts.",
    "all_contacts_scheduled_crm_emails": "No scheduled emails to this account's contacts.",
    "all_contacts_draft_crm_emails": "No drafts to this account's contacts.",
}
