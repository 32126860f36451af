"""The record screen's conversation view (`c`): the list's emails grouped into conversations.

Mixed into `RecordScreen` (its own file so the screen stays readable): the
grouping runs off the UI thread (a stored record of 50,000 emails parses every
row once), again whenever the list grows or a thread becomes known, and the
cursor stays on the email or conversation it was on. On a conversation's line
the detail pane reads the whole conversation; its bodies come through the record
model (memory, then the store, then one call each), only once the cursor rests
there, and only by themselves when that costs at most `AUTO_READ` calls — past
that the pane says what it costs and `v` reads them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message

from tui.session.feed import EmailFeed
from tui.session.rows import EmailRows
from tui.widgets.email_list import EmailList
from tui.widgets.error_panel import unexpected
from tui.widgets.guard import guarded
from tui.zoho.errors import ZohoError
from tui.zoho.models import Email

if TYPE_CHECKING:
    from tui.screens.record import RecordScreen
    from tui.session.conversations import Conversation
    from tui.widgets.conversation_table import ConversationTable

    _Base = RecordScreen
else:
    _Base = object

# A conversation whose unread bodies cost at most this many API calls is read once the cursor rests on it.
AUTO_READ = 5


class ConversationsGrouped(Message):
    """The emails of `feed` as conversations (None: grouping failed, `error` says why), for `signature`."""

    def __init__(
        self, feed: EmailFeed, conversations: list[Conversation] | None, signature: tuple[object, ...],
        error: Exception | None = None,
    ) -> None:
        super().__init__()
        self.feed = feed
        self.conversations = conversations
        self.signature = signature
        self.error = error


class ConversationRead(Message):
    """The bodies of `conversation` were read (`failed` of them could not be)."""

    def __init__(self, conversation: Conversation, failed: int) -> None:
        super().__init__()
        self.conversation = conversation
        self.failed = failed


def _calls(n: int) -> str:
    return f"{n} API call{'s' if n != 1 else ''}"


class ConversationMode(_Base):
    """`c` toggles the conversation view of the record screen's list."""

    _grouped_for: tuple[object, ...] | None = None  # what the conversations shown were grouped from
    _grouping = False
    _regroup_again = False
    _conversation_cursor: tuple[str | None, bool] = (None, False)  # (message id, on an email row)

    @property
    def conversations_on(self) -> bool:
        return self.email_list.conversations_on

    @property
    def conversation_table(self) -> ConversationTable:
        return self.email_list.conversations

    # --- on and off ------------------------------------------------------------------

    @guarded
    def action_toggle_conversations(self) -> None:
        if self.conversations_on:
            self.leave_conversations()
            return
        if self._found is not None:
            self.action_end_search()  # conversations are of the whole list, not of a search's hits
        current = self.email_list.cursor_email
        self._conversation_cursor = (current.message_id if current else self.feed.cursor_id, False)
        self._grouped_for = None
        self.email_list.show_conversation_view(True)
        self.email_list.border_title = "Conversations · …"
        self.follow_feed_in_conversations()
        self._refresh_keys()

    def leave_conversations(self) -> None:
        """Back to the flat list, on the email that was under the cursor (a conversation's newest)."""
        if not self.conversations_on:
            return
        line = self.conversation_table.cursor_line
        self.workers.cancel_group(self, "conversation")
        self.email_list.show_conversation_view(False)
        feed = self.feed
        if line is not None:
            feed.cursor_id = line.anchor
        self._show_feed()  # the rows' cursor on that email: its Highlighted shows it in the pane
        self._refresh_keys()

    # --- grouping --------------------------------------------------------------------

    def _signature(self, feed: EmailFeed) -> tuple[object, ...]:
        return (feed.filter, feed.generation, feed.count, len(self.session.threads))

    def follow_feed_in_conversations(self) -> None:
        """Group again when the list changed (a page, a refresh, another filter) or a thread became known."""
        if not self.conversations_on or self._signature(self.feed) == self._grouped_for:
            return
        if self._grouping:
            self._regroup_again = True
            return
        self._grouping = True
        self._group(self.feed)

    @work(group="conversations", exit_on_error=False)
    async def _group(self, feed: EmailFeed) -> None:
        signature = self._signature(feed)
        try:
            threads = dict(await self.session.known_threads())
            signature = self._signature(feed)
            from tui.session.conversations import group_conversations  # here: not needed for the first frame

            # Off the UI thread: the rows not looked at yet are parsed here (seconds for 50,000).
            conversations = await asyncio.to_thread(group_conversations, _rows_for_a_thread(feed.emails), threads)
        except Exception as error:  # a bug: shown as an error, never as a traceback
            self.post_message(ConversationsGrouped(feed, None, signature, error))
        else:
            self.post_message(ConversationsGrouped(feed, conversations, signature))

    @guarded
    def on_conversations_grouped(self, message: ConversationsGrouped) -> None:
        self._grouping = False
        if message.error is not None:
            self.app.report_bug(message.error, "grouping conversations")  # type: ignore[attr-defined]
        elif self.conversations_on and message.feed is self.feed and message.conversations is not None:
            self._grouped_for = message.signature
            anchor, on_email = self._conversation_cursor
            self.conversation_table.show_conversations(message.conversations, anchor=anchor, on_email=on_email)
            self.email_list.border_title = f"Conversations · {len(message.conversations):,}"
            self.show_conversation_position()
        if self._regroup_again:
            self._regroup_again = False
            self.follow_feed_in_conversations()

    def show_conversation_position(self) -> None:
        """The detail pane's title: "Conversation 3 of 37", or "Email 2 of 4 · Conversation 3 of 37"."""
        table = self.conversation_table
        line = table.cursor_line
        if line is None:
            self.detail_view.show_position("Conversation")
            return
        conversations = table.conversations
        number = next((n for n, c in enumerate(conversations) if c.key == line.conversation.key), 0) + 1
        title = f"Conversation {number} of {len(conversations)}{'+' if self.feed.more else ''}"
        if line.email is not None:
            position = line.conversation.emails.index(line.email)
            title = f"Email {position + 1} of {line.conversation.count} · {title}"
        self.detail_view.show_position(title)

    # --- the cursor ------------------------------------------------------------------

    @guarded
    def on_conversation_table_line_highlighted(self, event: ConversationTable.LineHighlighted) -> None:
        event.stop()
        line = event.line
        self._conversation_cursor = (line.anchor, line.email is not None)
        self.show_conversation_position()
        if line.email is not None:
            self._highlighted = line.email
            if self.detail_visible:
                self._follow(line.email)
        else:
            self._highlighted = None
            if self.detail_visible:
                self.follow_conversation(line.conversation)
        self._refresh_keys()

    @guarded
    def on_conversation_table_email_opened(self, event: ConversationTable.EmailOpened) -> None:
        event.stop()
        if event.line.email is not None:
            self.email_list.post_message(EmailList.Opened(event.line.email))  # as Enter on the flat list's row

    @guarded
    def on_conversation_table_read_asked(self, event: ConversationTable.ReadAsked) -> None:
        event.stop()
        line = event.line
        if line.email is not None:
            self.email_list.post_message(EmailList.Opened(line.email))
            return
        if self.narrow:
            self.add_class("-detail-open")
        self.follow_conversation(line.conversation, read=True)
        self.detail_view.body.focus()
        self._refresh_keys()

    @guarded
    def on_conversation_table_near_end(self, event: ConversationTable.NearEnd) -> None:
        event.stop()
        feed = self.feed
        if self._found is None and self.email_list.count == feed.count and feed.can_load_more:
            self._load(feed)

    @guarded
    def on_conversation_table_to_end(self, event: ConversationTable.ToEnd) -> None:
        event.stop()
        self.email_list.post_message(EmailList.ToEnd())

    # --- reading a conversation ------------------------------------------------------

    def follow_conversation(self, conversation: Conversation, *, read: bool = False, failed: int = 0) -> None:
        """Show `conversation` with the bodies at hand; read the others once the cursor rests (or now, with
        `read`) when that costs at most AUTO_READ calls, else say what it costs."""
        self.session.forget_wanted()  # no email of the flat list is waited for now
        details = {}
        for email in conversation.emails:
            found, detail = self.session.cached_detail(email.message_id)
            if found:
                details[email.message_id] = detail
        missing = [e for e in conversation.oldest_first if e.message_id not in details]
        unread = self.session.unread(missing)
        note = None
        if failed:
            note = f"{failed} of its emails could not be read: v tries again."
        elif missing and (read or len(unread) <= AUTO_READ):
            cost = f" (up to {_calls(len(unread))})" if unread else ""
            note = f"reading {len(missing)} email{'s' if len(missing) != 1 else ''}{cost}…"
            self._read_conversation(conversation, missing, at_once=read)
        elif missing:
            note = (
                f"{len(unread)} of its {conversation.count} emails are not read yet: reading them costs up to "
                f"{_calls(len(unread))}. Press v to read them."
            )
        if not missing or note is None or not note.startswith("reading"):
            self.workers.cancel_group(self, "conversation")
        self.detail_view.show_conversation(conversation, details, note=note)

    @work(group="conversation", exclusive=True, exit_on_error=False)
    async def _read_conversation(self, conversation: Conversation, emails: list[Email], *, at_once: bool) -> None:
        if not at_once:
            await self.session.clock.sleep(self.session.detail_pause.delay)  # the cursor rests first
        failed = 0
        for email in emails:
            try:
                await self.session.detail(email)
            except ZohoError:
                failed += 1
            except Exception as error:  # a bug: shown as an error, never as a traceback
                self.app.report_bug(unexpected(error), "reading a conversation")  # type: ignore[attr-defined]
                failed += 1
        self.post_message(ConversationRead(conversation, failed))

    @guarded
    def on_conversation_read(self, message: ConversationRead) -> None:
        line = self.conversation_table.cursor_line if self.conversations_on else None
        if line is not None and line.email is None and line.conversation.key == message.conversation.key:
            if self.detail_visible:
                self.follow_conversation(line.conversation, failed=message.failed)
        self.follow_feed_in_conversations()  # threads read may split or join conversations


def _rows_for_a_thread(emails: Sequence[Email]) -> Iterable[Email]:
    """The feed's emails as a worker thread may read them: EmailRows' LRU belongs to the UI thread."""
    return emails.detached() if isinstance(emails, EmailRows) else list(emails)
