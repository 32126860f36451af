"""The emails of one record: the list, the email under the cursor, the type filter, refresh, errors.

Layout and reactions only. What is loaded, what to fetch next, retries and the
pause before the detail follows the cursor live in the record model
(`tui.session.RecordSession`), which the app keeps across screens: reopening a
record paints from memory. Workers read through the model and post typed
messages (`tui.screens.messages`); the handlers below put them on screen. The
workers belong to this screen, so closing it cancels them; the model is left
consistent, with no request out.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Coroutine
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from tui.render.safe import one_line
from tui.render.sizes import human_size
from tui.screens.record_conversations import ConversationMode
from tui.screens.record_copy import COPY_HELP, CopyAndOpen
from tui.screens.messages import (
    AttachmentNote,
    SearchDone,
    WalkDone,
    DetailFailed,
    DetailLoaded,
    FeedChanged,
    FeedRefreshed,
    MarksChanged,
    PageLoaded,
    RefreshFailed,
    UsersLoaded,
)
from tui.session.connection import failure_kind
from tui.session.feed import EmailFeed
from tui.session.filters import EmailFilter
from tui.session.record import SEARCH_LIMIT, Found, RecordSession
from tui.session.watch import Watch, every
from tui.widgets.access import OnCrmApp, StyledAtMount
from tui.widgets.email_detail import BodyView, EmailDetailView
from tui.widgets.email_list import EmailList
from tui.widgets.error_panel import error_text, unexpected
from tui.widgets.guard import guarded
from tui.widgets.status_line import StatusLine
from tui.zoho.catalog import EMAILS_PER_PAGE, STANDARD_BY_NAME
from tui.zoho.errors import ZohoAPIError, ZohoError
from tui.zoho.models import Attachment, Email, Record
from tui.widgets.header import AppHeader

if TYPE_CHECKING:
    from tui.downloads import Saved
    from tui.screens.type_filter import TypeFilterScreen
    from tui.widgets.search_bar import SearchBar

# Side by side from this width; below it the list fills the screen and Enter opens the email.
WIDE_LAYOUT_MIN_WIDTH = 120
RETRY_KEY = "R"
# How often a countdown ("retrying in 12 s") is redrawn.
COUNTDOWN_REFRESH_S = 1.0


class RecordScreen(ConversationMode, CopyAndOpen, OnCrmApp, StyledAtMount, Screen):
    """One record's emails, shown from its `RecordSession`."""

    # The list has the focus from the start: focused once as the screen composes, not first on another widget
    # Textual would pick ("*") and then moved (each focus restyles the widgets it leaves and enters).
    AUTO_FOCUS = "#email-table"

    BINDINGS = [
        Binding("t", "choose_filter", "Type filter", id="record.type_filter"),
        Binding("s", "save_attachment", "Save attachment", id="record.save_attachment"),
        # `s` on an email not open in full (the list alone at 80 columns): its attachments are read first.
        Binding("s", "save_from_list", "Save attachment", show=False, id="record.save_from_list"),
        Binding("r", "refresh", "Refresh", id="record.refresh"),
        Binding(RETRY_KEY, "retry", "Retry", id="record.retry"),
        Binding("slash", "search", "Search", key_display="/", id="record.search"),
        Binding("c", "toggle_conversations", "Conversations", show=False, id="record.conversations"),
        Binding("m", "mark_menu", "Mark", id="record.mark"),
        Binding("M", "mark_note", "Note on mark", show=False, id="record.mark_note"),
        Binding("n", "next_hit", "Next hit", show=False, id="record.next_hit"),
        Binding("N", "previous_hit", "Previous hit", show=False, id="record.previous_hit"),
        Binding("y", "copy_menu", "Copy", tooltip=COPY_HELP, id="record.copy"),
        Binding("l", "links", "Links: open or copy one", show=False, id="record.links"),
        Binding("w", "web_link", "Web link: open the record in Zoho CRM", show=False, id="record.web_link"),
        Binding("L", "open_linked_record", "Open the linked record", show=False, id="record.linked_record"),
        Binding("tab,shift+tab", "switch_pane", "Switch pane", id="record.switch_pane"),
        Binding("escape", "back_to_list", "Back to list", id="record.back"),
        # Escape also ends a search, then stops loading every email (the first that applies acts).
        Binding("escape", "end_search", "End search", id="record.end_search"),
        Binding("escape", "stop_loading", "Stop loading", id="record.stop_loading"),
    ]

    DEFAULT_CSS = """
    RecordScreen #record-panes {
        height: 1fr;
    }
    RecordScreen.-footer-later {
        padding-bottom: 1;
    }
    RecordScreen EmailList {
        width: 55%;
    }
    RecordScreen EmailDetailView {
        width: 1fr;
    }
    RecordScreen.-narrow EmailList {
        width: 1fr;
    }
    RecordScreen.-narrow EmailDetailView {
        display: none;
    }
    RecordScreen.-narrow.-detail-open EmailList {
        display: none;
    }
    RecordScreen.-narrow.-detail-open EmailDetailView {
        display: block;
    }
    """

    def __init__(self, session: RecordSession, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.session = session
        self.detail_error: tuple[Email, ZohoError] | None = None
        self._highlighted: Email | None = None
        self._following = False  # the worker that reads details after the cursor rests is running
        self._filter_modal: TypeFilterScreen | None = None
        self._users_error: ZohoError | None = None
        self._refresh_failed: set[EmailFilter] = set()  # R redoes the refresh of these
        self._keys_state: tuple[bool, ...] = ()
        self._page_workers: dict[EmailFilter, Worker[None]] = {}
        self._remembered = False
        self._found: Found | None = None  # what the search shows in the list (None: the whole list)
        self._bodies_note: str | None = None  # "fetching bodies — 12 of 40" while that runs
        self._saving: set[tuple[str, str]] = set()  # (message_id, attachment_id) being saved or queued
        self._end_wanted = False  # End pressed while the rest of a stored list was read
        self._search_bar: SearchBar | None = None  # mounted once wanted (`search_bar`): after the first paint
        # The detail pane: mounted as the screen composes when it shows beside the list; below 120 columns,
        # where it is hidden until an email is opened, after the first paint (`_mount_detail_view`).
        self._detail_view = EmailDetailView(mark_of=session.marks.get, id="email-detail")
        self._detail_waiting: list[Callable[[], None]] = []  # what waits for it to be mounted

    # --- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # The layout for this width before the widgets mount: a class set after would restyle every one.
        self.set_class(self.app.size.width < WIDE_LAYOUT_MIN_WIDTH, "-narrow")
        # The header's title and the footer come in the frame after the first, which shows the rows (each costs
        # that frame ~3 ms; the footer's keys came a frame later anyway). The footer's line is kept meanwhile.
        self.add_class("-footer-later")
        yield AppHeader(parts_later=True)
        with Horizontal(id="record-panes"):
            yield EmailList(
                now=self.session.clock.now, mark_of=self.session.mark_state, on_highlight=self._highlighted_email,
                id="email-list",
            )
            if not self.narrow:
                yield self._detail_view
        yield StatusLine(self.record.display)

    @guarded
    def on_mount(self) -> None:
        self._show_title()
        self._apply_width(self.app.size.width)
        self.email_list.table.focus()
        self._show_feed()
        self._resume(self.feed)
        self._load_marks()
        self.set_interval(COUNTDOWN_REFRESH_S, self._count_down)
        self._start_watch()
        self.call_after_refresh(self._mount_hidden)

    @guarded
    def _mount_hidden(self) -> None:
        """The footer and the header's title, and what shows only on demand (the search line, the conversation
        view, error boxes), mounted after the first paint: each widget mounted costs the first frame its styling,
        hidden or not (~0.6 ms here)."""
        if self.is_attached:
            from tui.widgets.footer import KeyFooter  # here: Textual's Footer module is not needed before

            self.remove_class("-footer-later")
            self.mount(KeyFooter())
            self.query_one(AppHeader).show_parts()
            self.email_list.mount_hidden()
            self.call_later(self._mount_detail_view)
            if self._search_bar is None:
                self._mount_search_bar()

    @guarded
    async def _mount_detail_view(self) -> None:
        """Mount the detail pane if it is not yet (and its error box); then run what waited for it."""
        view = self._detail_view
        if view.parent is None and self.is_attached:
            await self.query_one("#record-panes", Horizontal).mount(view)
        if view.is_mounted:
            view.mount_hidden()
            waiting, self._detail_waiting = self._detail_waiting, []
            for then in waiting:
                then()

    def _with_detail_view(self, then: Callable[[], None]) -> None:
        """`then()` now if the detail pane is mounted, else once it is (a key within the first frames)."""
        if self._detail_view.is_mounted:
            then()
        else:
            self._detail_waiting.append(then)
            self.call_later(self._mount_detail_view)

    @guarded
    def on_resize(self, event: events.Resize) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        narrow = width < WIDE_LAYOUT_MIN_WIDTH
        was_narrow = self.has_class("-narrow")
        self.set_class(narrow, "-narrow")
        if narrow and not was_narrow:
            # Keep reading if the email had the focus; otherwise the list fills the screen.
            self.set_class(isinstance(self.focused, BodyView), "-detail-open")
        elif not narrow and was_narrow:
            self.remove_class("-detail-open")
            if self._highlighted is not None:
                self._with_detail_view(self._follow_highlighted)
        self._refresh_keys()

    @property
    def record(self) -> Record:
        return self.session.record

    def _show_title(self) -> None:
        standard = STANDARD_BY_NAME.get(self.record.module)
        module = standard.singular if standard else one_line(self.record.module)
        self.title = f"{one_line(self.record.display)} · {module}"

    def name_record(self, record: Record) -> None:
        """The record's name came late (Zoho could not be asked when the screen opened): show it."""
        if (record.module, record.id) != (self.record.module, self.record.id):
            return
        self.session.record = record
        self._show_title()
        self._show_progress()

    @property
    def email_list(self) -> EmailList:
        return self.query_one(EmailList)

    @property
    def detail_view(self) -> EmailDetailView:
        """The detail pane; below 120 columns it is mounted after the first paint (see `_with_detail_view`)."""
        return self._detail_view

    @property
    def filter(self) -> EmailFilter:
        return self.session.filter

    @property
    def feed(self) -> EmailFeed:
        return self.session.feed()

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    @property
    def detail_visible(self) -> bool:
        """The pane shows beside the list, or opened over it, and is mounted (it follows the cursor once it is)."""
        return (not self.narrow or self.has_class("-detail-open")) and self._detail_view.is_mounted

    # --- the list --------------------------------------------------------------------

    def _show_feed(self) -> None:
        """Put the current filter's rows on screen (no call: they are already loaded)."""
        self._end_wanted = False  # pressed for the list shown before
        feed = self.feed
        self.email_list.show_emails(feed.emails, cursor_id=feed.cursor_id, scroll_y=feed.scroll_y)
        if not feed.emails:
            self._highlighted = None
            self.detail_view.show_nothing("No email selected.")
        self._show_progress()

    def _resume(self, feed: EmailFeed) -> None:
        """A list not looked at yet (from the store, then synced; or its first page), or one whose wait for
        a retry was cut short by closing the screen: go on."""
        session = self.session
        if session.keeper is not None and (not feed.restored or feed.stored_rest or session.restoring_early(feed)):
            self._start(feed, self._open_list(feed))
        elif not feed.pages or feed.waiting:
            self._load(feed)

    async def _open_list(self, feed: EmailFeed) -> None:
        """What the store holds of the list at once (its top painted first, then the rest read), then only
        what is new on Zoho (or page one)."""
        try:
            restored = await self.session.restore(feed)
            if feed.stored_rest and feed.cursor_id is not None and feed.cursor_id not in feed.ids:
                await self.session.restore_rest(feed)  # the email asked for (a search hit) is below the top
            if restored:
                self.post_message(PageLoaded(feed, feed.emails[: EMAILS_PER_PAGE * 3]))
            if feed.stored_rest:
                if restored:
                    await self._painted()  # the top first: reading the rest holds the GIL for a while
                await self.session.restore_rest(feed)
                self.post_message(FeedChanged(feed))
                restored = True
        except Exception as error:  # a bug: shown as an error, never as a traceback
            feed.failed(unexpected(error), None)
            self.post_message(FeedChanged(feed))
            return
        if not restored:
            await self._read_page(feed)
            return
        try:
            result = await self.session.refresh(feed, lambda f: self.post_message(FeedChanged(f)), patient=True)
        except Exception as error:  # a bug: shown as an error, never as a traceback
            feed.failed(unexpected(error), None)
            self.post_message(FeedChanged(feed))
            return
        if result is not None:
            self.post_message(FeedRefreshed(feed, result))
        else:
            self.post_message(FeedChanged(feed))

    async def _painted(self) -> None:
        """Until the screen has drawn what was posted to it before this call."""
        painted = asyncio.get_running_loop().create_future()
        self.call_after_refresh(lambda: painted.done() or painted.set_result(None))
        await painted

    def _show_progress(self) -> None:
        """The end of the list, its empty-state line, the error box, and the status line."""
        feed = self.feed
        email_list = self.email_list
        count = feed.known
        loaded = f"{count:,} loaded" if feed.more else f"{count:,} email" + ("" if count == 1 else "s")
        left = self._seconds_to_retry(feed)
        stored_only = self.crm.stored_only is not None and count > 0
        if stored_only:
            # No credentials: the store is all there is; the retries cost nothing and say nothing new.
            progress = f"{loaded} · stored on this machine — no credentials"
        elif self._bodies_note is not None:
            progress = self._bodies_note
        elif feed.walking and left is None:
            progress = (
                f"loading every email — {count:,} · {feed.walk_pages:,} pages · {feed.walk_calls:,} API calls"
                " · Esc stops"
            )
        elif left is not None and feed.error is not None:
            progress = f"{failure_kind(feed.error)} — retrying in {left} s · {RETRY_KEY} retries now"
        elif feed.refreshing:
            progress = "refreshing…"
        elif feed.paging and not feed.stored_rest:
            progress = "loading more…" if count else "loading…"
        elif feed.error is not None:
            failed = "next page failed" if count else "not loaded"
            progress = f"{loaded} · {failed} · {RETRY_KEY} retries" if count else f"{failed} · {RETRY_KEY} retries"
        elif feed.stopped is not None:
            progress = f"stopped — {count} loaded"
        elif not feed.more:
            progress = f"end — {loaded}"
        else:
            progress = f"{loaded} · more below"
        email_list.set_progress(progress)
        if feed.error is not None and not count:
            email_list.set_note("")
        elif feed.paging and not count:
            email_list.set_note("loading emails…")
        else:
            email_list.set_note("" if feed.more else feed.filter.empty_text)
        if feed.error is not None and not stored_only:
            if left is not None:
                action = f"Trying again by itself in {left} s; {RETRY_KEY} tries now."
            else:
                action = f"Press {RETRY_KEY} to try again."
            email_list.show_error(feed.error, action=action)
        elif feed.stopped is not None:
            email_list.show_error(ZohoAPIError("BROKEN_PAGING", feed.stopped), title="Paging stopped")
        else:
            email_list.clear_error()
        sync = self._sync_note(feed)
        stored_offline = " — stored " in sync  # the list is what the store had: say that, not the count
        context = f"{self.record.display} · {feed.filter.label} · {sync if stored_offline else loaded}"
        if sync and not stored_offline:
            context += f" · {sync}"
        status = self.query_one(StatusLine)
        status.set_context(context, says_offline=stored_offline)
        status.set_watch(self.crm.watching.describe() if self.crm.watching is not None else "")
        self._show_triage()
        self._show_position()
        self._refresh_keys()
        self.follow_feed_in_conversations()
        if self.focused is None and email_list.count and self.is_current:
            # The table is hidden while its list is empty (a filter just switched), and Textual takes the focus
            # from a hidden widget: with rows again, nothing else having it, it is the list's again.
            (email_list.conversations if email_list.conversations_on else email_list.table).focus()
        if feed.pages and feed.error is None and feed.filter == EmailFilter():
            self._opened_for_good()  # also when its first page came before the screen (no PageLoaded then)
        if feed.pages or feed.error is not None:
            self.crm.shown()  # the record is on screen: what waits for that may start

    def store_opened(self) -> None:
        """The store opened after this screen (one in memory opens after the first paint): its marks, how the
        list stands with it, and a search typed meanwhile."""
        self._load_marks()
        self._show_progress()
        if self.searching:
            bar = self.search_bar
            bar.set_note("")
            if bar.input.value.strip():
                self._search(bar.input.value)

    def _sync_note(self, feed: EmailFeed) -> str:
        """How the list stands with Zoho when it is kept in the store: "synced 12:04 · 3 new",
        "offline — stored 2026-12-01 12:04"."""
        if self.session.keeper is None or not self.session.keeper.working:
            return ""
        if feed.error is not None and feed.stored_at is not None and feed.refreshing:
            return f"{failure_kind(feed.error)} — stored {self._when(feed.stored_at)}"
        if feed.refreshing and feed.stored_at is not None:
            return "syncing…"
        if feed.synced_at is not None and feed.error is None:
            new = f" · {feed.new_since_open} new" if feed.new_since_open else ""
            return f"synced {self._when(feed.synced_at)}{new}"
        return ""

    def _when(self, epoch: float) -> str:
        """A time of today as 12:04, of another day with its date."""
        now = self.session.clock.now()
        then = datetime.fromtimestamp(epoch, tz=now.tzinfo)
        return f"{then:%H:%M}" if then.date() == now.date() else f"{then:%Y-%m-%d %H:%M}"

    def _seconds_to_retry(self, feed: EmailFeed) -> int | None:
        if feed.retry_at is None:
            return None
        return max(math.ceil(feed.retry_at - self.session.clock.monotonic()), 0)

    @guarded
    def _count_down(self) -> None:
        if self.feed.waiting:
            self._show_progress()

    def _show_position(self) -> None:
        """The detail pane's title says which email of how many: "Email 12 of 60+"."""
        feed, email_list = self.feed, self.email_list
        if email_list.conversations_on:
            self.show_conversation_position()
            return
        current = email_list.cursor_email
        if current is None:
            self.detail_view.show_position("Email")
            return
        more = "+" if feed.more else ""
        # Drawn with the email it names (not for each row a held key passes: the title repaints the pane).
        listed = feed.known if email_list.shows(feed.emails) else email_list.count
        self.detail_view.show_position(f"Email {email_list.table.cursor_row + 1} of {listed:,}{more}")

    def _load(self, feed: EmailFeed) -> None:
        """Read the next page of `feed` in a worker (the model says whether there is one to read); page one
        asked at start with the record's name is joined."""
        if (feed.paging and not self.session.loading_early(feed)) or not feed.more or feed.stopped is not None:
            return
        self._start(feed, self._read_page(feed))

    def _start(self, feed: EmailFeed, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` on `feed` in a worker: one at a time per list (a worker started a moment ago has not
        marked the feed yet)."""
        running = self._page_workers.get(feed.filter)
        if running is not None and not running.is_finished:
            work.close()
            return
        self._page_workers[feed.filter] = self.run_worker(
            work, group="page", exit_on_error=False, name=f"emails {feed.filter.label}"
        )
        if feed is self.feed:
            self.call_after_refresh(self._show_progress)

    async def _read_page(self, feed: EmailFeed) -> None:
        try:
            fresh = await self.session.load_more(feed, on_wait=lambda f: self.post_message(FeedChanged(f)))
        except Exception as error:  # a bug: shown as an error, never as a traceback
            feed.failed(unexpected(error), None)
            self.post_message(FeedChanged(feed))
            return
        self.post_message(PageLoaded(feed, fresh or []))

    @on(PageLoaded)
    @guarded
    def _page_loaded(self, message: PageLoaded) -> None:
        feed = message.feed
        if feed.pages and feed.error is None and feed.filter == EmailFilter():
            self._opened_for_good()
        if feed is not self.feed:
            return  # another filter's list: it is shown when the person switches back
        self._catch_up(feed)
        self._show_progress()

    def _catch_up(self, feed: EmailFeed) -> None:
        """Show the rows of `feed` the list does not show yet (pages only ever add at the bottom; a page whose
        message was lost to a cancelled worker is shown with the next one)."""
        if self._found is not None or feed is not self.feed:
            return  # the list shows a search's hits: the pages are there when the search ends
        shown = self.email_list.count
        if not shown:
            if feed.count:
                self.email_list.show_emails(feed.emails, cursor_id=feed.cursor_id, scroll_y=feed.scroll_y)
        elif shown < feed.count:
            if self.email_list.shows(feed.emails):
                self.email_list.rows_grown()  # the rest of a stored list: 49,800 rows, none parsed
            else:
                self.email_list.add_emails(feed.emails[shown:])
        if self._end_wanted and not feed.stored_rest:
            # End was pressed while the rest of the stored list was read: it is in (or lost): End now.
            self._end_wanted = False
            self.email_list.table.action_scroll_bottom()
            if feed.more and feed.stopped is None:
                self.action_load_all()

    def _opened_for_good(self) -> None:
        """The record's emails came (from Zoho or the store): it is a recent record now."""
        if not self._remembered:
            self._remembered = True
            self.crm.remember(self.record)

    @on(FeedChanged)
    @guarded
    def _feed_changed(self, message: FeedChanged) -> None:
        if message.feed is self.feed:
            self._catch_up(message.feed)
            self._show_progress()
            self._refresh_keys()

    @on(EmailList.ToEnd)
    @guarded
    def _to_end(self, event: EmailList.ToEnd) -> None:
        event.stop()
        if self._found is None and self.feed.stored_rest:
            self._end_wanted = True  # the rest of a stored list is on its way: its last row, once it is shown
        elif self._found is None and self.feed.more and self.feed.stopped is None:
            self.action_load_all()

    @on(EmailList.NearEnd)
    @guarded
    def _near_end(self, event: EmailList.NearEnd) -> None:
        event.stop()
        # Asked again now: a page may have landed since the message was sent. Rows the list does not show
        # yet (their PageLoaded is on its way) count too: it asks again once they are shown.
        feed = self.feed
        if self._found is not None:
            return  # the hits of a search: no page is asked for them
        if self.email_list.count == feed.count and self.email_list.near_end and feed.can_load_more:
            self._load(feed)

    # --- search ----------------------------------------------------------------------

    @property
    def search_bar(self) -> SearchBar:
        """The search line under the list (hidden until `/`)."""
        return self._search_bar or self._mount_search_bar()

    def _mount_search_bar(self) -> SearchBar:
        """Mounted after the first paint (the first frame does not style a line it does not show), or when
        first wanted."""
        from tui.widgets.search_bar import SearchBar

        bar = self._search_bar = SearchBar(id="search-bar")
        self.mount(bar, before=self.query_one(StatusLine))
        return bar

    @property
    def searching(self) -> bool:
        """The search line is open."""
        return self._search_bar is not None and self._search_bar.is_open

    @guarded
    def action_search(self) -> None:
        self.leave_conversations()  # a search shows its hits in the flat list
        bar = self.search_bar
        bar.open()
        if self.session.keeper is None or not self.session.keeper.working:
            self._no_store_to_search()
        elif bar.input.value.strip():
            self._search(bar.input.value)

    def _no_store_to_search(self) -> None:
        """Say why the search line finds nothing: a store kept in memory still opens (the search runs once it
        has, `store_opened`), or the store is off, and why."""
        if self.crm.store_opening:
            self.search_bar.set_note("Opening the local store…")
            return
        store = self.crm.store
        reason = f": {store.failed}" if store is not None and store.failed else ""
        self.search_bar.set_note(f"Search needs the local store, which is off{reason}.", error=True)

    @on(Input.Changed, "#search-input")
    @guarded
    def _query_typed(self, event: Input.Changed) -> None:
        event.stop()
        self._search(event.value)

    def _search(self, text: str) -> None:
        if not text.strip():
            self.workers.cancel_group(self, "search")
            self._show_search(None)
            self.search_bar.set_note("")
            return
        self._run_search(self.feed, text)

    @work(group="search", exclusive=True, exit_on_error=False)
    async def _run_search(self, feed: EmailFeed, text: str) -> None:
        from tui.store.query import QueryError

        try:
            found = await self.session.search(feed, text)
        except QueryError as error:
            self.post_message(SearchDone(feed, None, problem=str(error)))
            return
        self.post_message(SearchDone(feed, found))

    @on(SearchDone)
    @guarded
    def _search_done(self, message: SearchDone) -> None:
        bar = self.search_bar
        if message.feed is not self.feed or not bar.is_open or not bar.input.value.strip():
            return  # answered after the filter changed or the search ended
        if message.problem is not None:
            bar.set_note(message.problem, error=True)
            return
        found = message.found
        if found is None:
            self._no_store_to_search()
            return
        shown = len(found.emails)
        note = f"{found.total:,} of {found.stored:,} stored"
        if found.total > shown:
            note += f" (the newest {SEARCH_LIMIT:,} shown)"
        if self.feed.more:
            note += " — more on the server: G loads them all"
        bar.set_note(note)
        self._show_search(found)

    def _show_search(self, found: Found | None) -> None:
        """The hits in the list (None: the whole list again), the cursor kept on its email where it can be."""
        feed = self.feed
        current = self.email_list.cursor_email
        keep = current.message_id if current is not None else feed.cursor_id
        if found is None and self._found is None:
            return
        self._found = found
        rows = found.emails if found is not None else feed.emails
        cursor = keep if keep is not None and keep in rows else None
        self.email_list.show_emails(rows, cursor_id=cursor, scroll_y=0 if found is not None else feed.scroll_y)
        if not rows:
            self._highlighted = None
            self.detail_view.show_nothing("No stored email matches." if found is not None else "No email selected.")
        self._show_progress()

    # --- load every email, fetch every body ------------------------------------------

    def palette_commands(self) -> list[tuple[str, Callable[[], object], str]]:
        """Actions offered in the command palette without a key of their own: (name, run, help)."""
        feed = self.feed
        found: list[tuple[str, Callable[[], object], str]] = []
        if feed.more and not feed.walking:
            found.append(("Load every email", self.action_load_all, "Read the remaining pages of this list in the background (G)"))
        found.append(("Fetch every body", self.action_fetch_bodies, "Read the full text of every email listed: one API call each, said first"))
        if self.crm.watching is None:
            plan = self.crm.watch_preset
            found.append(("Watch this record", self.action_toggle_watch, f"Sync page one {every(plan.seconds)} while it is open: ~{plan.calls_per_hour} API calls an hour"))
        else:
            found.append(("Stop watching", self.action_toggle_watch, f"No more syncs by themselves (now {self.crm.watching.describe()})"))
        return found

    @guarded
    def action_load_all(self) -> None:
        """Walk the remaining pages in the background; the list stays usable, Escape stops it."""
        feed = self.feed
        if feed.walking or not feed.more or feed.stopped is not None:
            return
        running = self._page_workers.get(feed.filter)
        if running is not None and (running.state == WorkerState.PENDING or feed.waiting):
            running.cancel()  # not started, or waiting to retry: no request out, nothing lost
            running = None
        self._page_workers[feed.filter] = self.run_worker(
            self._walk_all(feed, after=running), group="walk", exit_on_error=False, name="load every email"
        )

    async def _walk_all(self, feed: EmailFeed, after: Worker[None] | None) -> None:
        # A page on its way is part of the walk (never asked twice): let it land; if it fails and waits to
        # retry, the walk takes over the waiting.
        while after is not None and not after.is_finished and not feed.waiting:
            await asyncio.sleep(0.02)
        if after is not None and not after.is_finished:
            after.cancel()
        feed.walking, feed.walk_pages = True, 0
        calls_at_start = self.session.client.calls
        self.post_message(FeedChanged(feed))
        try:
            while feed.more and feed.stopped is None:
                fresh = await self.session.load_more(feed, on_wait=lambda f: self.post_message(FeedChanged(f)))
                if fresh is None and feed.paging:
                    await asyncio.sleep(0.02)  # a read of the list just cancelled is still closing
                    continue
                if fresh is None:
                    break  # a failure R must clear
                feed.walk_pages += 1
                feed.walk_calls = self.session.client.calls - calls_at_start
                self.post_message(PageLoaded(feed, fresh))
        except Exception as error:  # a bug: shown as an error, never as a traceback
            feed.failed(unexpected(error), None)
        finally:
            feed.walking = False
            self.post_message(FeedChanged(feed))
        if not feed.more and feed.stopped is None and feed.error is None:
            self.post_message(WalkDone(feed))

    @on(WalkDone)
    @guarded
    def _walk_done(self, message: WalkDone) -> None:
        if message.feed is self.feed:
            self.notify(f"Every email is loaded: {message.feed.count:,}.", timeout=4)

    @guarded
    def action_stop_loading(self) -> None:
        self.workers.cancel_group(self, "walk")
        self.workers.cancel_group(self, "bodies")

    @guarded
    def action_fetch_bodies(self) -> None:
        """Every listed email's full text, into the store (and search): asks first, with what it costs."""
        missing = [e for e in self.feed.emails if not self.session.cached_detail(e.message_id)[0]]
        if not missing:
            self.notify("Every listed email's body is here already.", timeout=4)
            return
        from tui.screens.confirm import ConfirmScreen

        question = (
            f"Fetch the bodies of {len(missing):,} email{'s' if len(missing) != 1 else ''}? That is up to "
            f"{len(missing):,} API call{'s' if len(missing) != 1 else ''} (the org's daily credits); "
            "bodies already stored cost nothing. Escape stops it."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_worker(self._fetch_bodies(missing), group="bodies", exclusive=True, exit_on_error=False)

        self.app.push_screen(ConfirmScreen("Fetch every body", question, yes="Fetch"), answered)

    async def _fetch_bodies(self, emails: list[Email]) -> None:
        done = failed = 0
        calls_at_start = self.session.client.calls
        self._bodies_note = f"fetching bodies — 0 of {len(emails):,} · Esc stops"
        self.post_message(FeedChanged(self.feed))
        try:
            for email in emails:
                try:
                    await self.session.detail(email)
                    done += 1
                except ZohoError:
                    failed += 1
                calls = self.session.client.calls - calls_at_start
                self._bodies_note = f"fetching bodies — {done:,} of {len(emails):,} · {calls:,} API calls · Esc stops"
                self.post_message(FeedChanged(self.feed))
        finally:
            self._bodies_note = None
            self.post_message(FeedChanged(self.feed))
        more = f"; {failed} could not be read" if failed else ""
        self.notify(f"Fetched {done:,} bodies{more}.", timeout=6)

    @guarded
    def action_end_search(self) -> None:
        self.workers.cancel_group(self, "search")
        self.search_bar.close()
        self._show_search(None)
        self.email_list.table.focus()

    @guarded
    def action_focus_hits(self) -> None:
        self.email_list.table.focus()

    @guarded
    def action_next_hit(self) -> None:
        self.email_list.table.action_cursor_down()

    @guarded
    def action_previous_hit(self) -> None:
        self.email_list.table.action_cursor_up()

    # --- watching ----------------------------------------------------------------------

    @guarded
    def action_toggle_watch(self) -> None:
        """The palette's toggle: watch the open record (on the --watch interval, else every 2 min), or stop."""
        app = self.crm
        app.watching = None if app.watching is not None else app.watch_preset
        self._start_watch()
        if app.watching is not None:
            self.notify(
                f"Watching {self.record.display}: page one is synced {every(app.watching.seconds)} while it is open, "
                f"about {app.watching.calls_per_hour} API calls an hour.",
                timeout=6,
                markup=False,
            )
        else:
            self.notify("Stopped watching: the list changes only when you press r.", timeout=4)
        self._show_progress()

    def _start_watch(self) -> None:
        self.workers.cancel_group(self, "watch")
        plan = self.crm.watching
        if plan is not None:
            self.run_worker(self._watch(plan), group="watch", exit_on_error=False, name="watch")

    async def _watch(self, plan: Watch) -> None:
        """Sync the shown list's page one every `plan.seconds` on the app's clock, until this screen closes.

        Offline or rate limited, the sync waits on the record model's backoff (no call more than it allows);
        a failure that does not pass by itself stops the checks until R clears it."""
        clock = self.session.clock
        while True:
            await clock.sleep(plan.seconds)
            feed = self.feed
            if feed.error is not None and feed.retry_at is None:
                continue  # R first: asking again would fail the same way
            try:
                result = await self.session.refresh(feed, lambda f: self.post_message(FeedChanged(f)), patient=True)
            except Exception as error:  # a bug: shown as an error, never as a traceback
                self.post_message(RefreshFailed(feed, unexpected(error)))
                continue
            if result is not None:
                self.post_message(FeedRefreshed(feed, result, watched=True))
            else:
                self.post_message(FeedChanged(feed))

    def _tell_watched(self, new: int) -> None:
        """New emails found by the watch: a notification (and the bell, with --watch-bell)."""
        emails = f"{new} new email{'s' if new != 1 else ''}"
        self.notify(f"{emails} on top of the list.", title=f"Watching {one_line(self.record.display)}", timeout=8, markup=False)
        if self.crm.watching is not None and self.crm.watching.bell:
            self.app.bell()

    # --- refresh ---------------------------------------------------------------------

    @work(group="refresh", exit_on_error=False)
    async def _refresh(self, feed: EmailFeed) -> None:
        try:
            result = await self.session.refresh(feed)
        except ZohoError as error:
            self.post_message(RefreshFailed(feed, error))
            return
        except Exception as error:  # a bug: shown as an error, never as a traceback
            self.post_message(RefreshFailed(feed, unexpected(error)))
            return
        if result is not None:
            self.post_message(FeedRefreshed(feed, result))

    @on(FeedRefreshed)
    @guarded
    def _refreshed(self, message: FeedRefreshed) -> None:
        feed, new = message.feed, message.result.new
        self._refresh_failed.discard(feed.filter)
        if feed is not self.feed:
            return
        if new and feed.cursor_id in feed.ids and not message.result.restarted:
            feed.scroll_y += new  # keep the same rows in view under the new ones
        self.email_list.show_emails(feed.emails, cursor_id=feed.cursor_id, scroll_y=feed.scroll_y)
        self._show_progress()
        if new and message.watched:
            self._tell_watched(new)
        elif new:
            self.notify(f"{new} new email{'s' if new != 1 else ''}", timeout=3)
        if feed.can_load_more and self.email_list.near_end:
            self._load(feed)

    @on(RefreshFailed)
    @guarded
    def _refresh_failed_(self, message: RefreshFailed) -> None:
        feed = message.feed
        if feed.error is None:
            feed.failed(message.error, None)
            self._refresh_failed.add(feed.filter)
        if feed is self.feed:
            self._show_progress()

    # --- the detail pane -------------------------------------------------------------

    @guarded
    def _highlighted_email(self, email: Email) -> None:
        """The cursor landed on `email` (told by the list at once, in the frame of the move)."""
        if email.message_id not in self.feed.ids:
            return  # a row of the list shown before a filter switch: its message came late
        self._highlighted = email
        if self.email_list.table.cursor_row != self.email_list.count - 1:
            self._end_wanted = False  # moved on from the last row shown: where the person is now counts
        self.feed.cursor_id = email.message_id
        self.feed.scroll_y = self.email_list.view_top
        if self.detail_visible:
            self._follow(email)
            self._refresh_keys()
        # After the pane has the email: the title waits for it in full (a title changed redraws the pane).
        self._show_position()

    @on(EmailList.Opened)
    @guarded
    def _opened(self, event: EmailList.Opened) -> None:
        event.stop()
        self._highlighted = event.email
        email = event.email

        def show() -> None:
            if self.narrow:
                self.add_class("-detail-open")
                self._follow(email, at_once=True)
            self.detail_view.body.focus()
            self._refresh_keys()

        self._with_detail_view(show)

    def _follow_highlighted(self) -> None:
        """Show the email the cursor is on now (the pane may have been waiting to be mounted while it moved)."""
        if self._highlighted is not None and self.detail_visible:
            self._follow(self._highlighted)

    def _follow(self, email: Email, *, at_once: bool = False) -> None:
        """Show `email`: in full when it was read already, else its row's headers now and the rest later."""
        view = self.detail_view
        found, detail = self.session.cached_detail(email.message_id)
        if found:
            self.session.forget_wanted()
            if view.message_id != email.message_id or view.state != "detail" or view.email != email:
                view.show_detail(email, detail)
            return
        if view.message_id != email.message_id or view.state != "loading":
            view.show_email(email)
        self.session.want_detail(email, at_once=at_once)
        if not self._following:
            self._following = True
            self._follow_details()

    @work(group="detail", exit_on_error=False)
    async def _follow_details(self) -> None:
        """Once the cursor rests, read the detail of the email under it; again while it keeps moving."""
        try:
            while (email := await self.session.next_wanted_detail()) is not None:
                self.detail_error = None
                try:
                    detail = await self.session.detail(email)
                except ZohoError as error:
                    self.post_message(DetailFailed(email, error))
                except Exception as error:  # a bug: shown as an error, never as a traceback
                    self.post_message(DetailFailed(email, unexpected(error)))
                else:
                    self.post_message(DetailLoaded(email, detail))
        finally:
            self._following = False

    @on(DetailLoaded)
    @guarded
    def _detail_loaded(self, message: DetailLoaded) -> None:
        current = self._highlighted
        if current is not None and current.message_id == message.email.message_id and self.detail_visible:
            self.detail_view.show_detail(current, message.detail)
            self._refresh_keys()

    @on(DetailFailed)
    @guarded
    def _detail_failed(self, message: DetailFailed) -> None:
        self.detail_error = (message.email, message.error)
        current = self._highlighted
        if current is not None and current.message_id == message.email.message_id:
            self.detail_view.show_error(
                current, message.error, action=f"Press {RETRY_KEY} to try again, or move to another email."
            )
        self._refresh_keys()

    # --- marks -----------------------------------------------------------------------

    @work(group="marks", exit_on_error=False)
    async def _load_marks(self) -> None:
        if await self.session.load_marks():
            self.post_message(MarksChanged())

    @on(MarksChanged)
    @guarded
    def _marks_changed(self, message: MarksChanged) -> None:
        self.email_list.marks_changed()
        if self.detail_view.message_id is not None:
            self.detail_view.mark_changed(self.detail_view.message_id)
        self._show_triage()

    def _show_triage(self) -> None:
        """The list's title: its filter, and how many of its emails carry a mark ("3 of 60+ triaged")."""
        if self.email_list.conversations_on:
            return  # the conversation view titles the list itself ("Conversations · 37")
        feed = self.feed
        title = f"Emails · {feed.filter.label}"
        triaged = self.session.triaged(feed) if self.session.marks else 0
        if triaged:
            title += f" · {triaged:,} of {feed.known:,}{'+' if feed.more else ''} triaged"
        if self.email_list.border_title != title:  # setting it redraws the list's border
            self.email_list.border_title = title

    def _email_to_mark(self) -> Email | None:
        """The email under the cursor (or open full-screen)."""
        if isinstance(self.focused, BodyView) and self.detail_view.email is not None:
            return self.detail_view.email
        return self.email_list.cursor_email

    @guarded
    def action_mark_menu(self) -> None:
        email = self._email_to_mark()
        if email is None:
            return
        from tui.screens.mark_menu import CLEAR, MarkMenu

        def chosen(state: str | None) -> None:
            if state is not None:
                self._mark(email, None if state == CLEAR else state)

        self.app.push_screen(MarkMenu(self.session.mark_state(email.message_id)), chosen)

    @guarded
    def action_mark_note(self) -> None:
        email = self._email_to_mark()
        if email is None:
            return
        from tui.screens.mark_note import MarkNoteScreen

        mark = self.session.marks.get(email.message_id)
        state = mark.state if mark is not None else "todo"

        def written(note: str | None) -> None:
            if note is not None:
                self._mark(email, state, note)

        self.app.push_screen(MarkNoteScreen(state, mark.note if mark is not None else None), written)

    def _mark(self, email: Email, state: str | None, note: str | None = None) -> None:
        """Mark `email` now; the store keeps it (a note is kept while the state changes)."""
        if state is not None and note is None and (mark := self.session.marks.get(email.message_id)):
            note = mark.note
        self.session.set_mark(email.message_id, state, note)
        self.email_list.marks_changed()
        self.detail_view.mark_changed(email.message_id)
        self._show_triage()

    # --- the type filter -------------------------------------------------------------

    @guarded
    def action_choose_filter(self) -> None:
        known = self.crm.directory.users_known if self.crm.directory else None
        users, me = known if known else (None, None)
        from tui.screens.type_filter import TypeFilterScreen  # loaded when first opened, not with the record

        modal = TypeFilterScreen(self.record.module, self.filter, users=users, me=me, users_error=self._users_error)
        self._filter_modal = modal
        self.app.push_screen(modal, self._filter_chosen)
        if known is None:
            self._load_users()

    @work(group="users", exclusive=True, exit_on_error=False)
    async def _load_users(self) -> None:
        directory = self.crm.directory
        if directory is None:
            return
        try:
            users, me = await directory.users()
        except ZohoError as error:
            self.post_message(UsersLoaded([], None, error))
        except Exception as error:  # a bug: shown as an error, never as a traceback
            self.post_message(UsersLoaded([], None, unexpected(error)))
        else:
            self.post_message(UsersLoaded(users, me, None))

    @on(UsersLoaded)
    @guarded
    def _users_loaded(self, message: UsersLoaded) -> None:
        self._users_error = message.error
        if self._filter_modal is not None and self._filter_modal.is_attached:
            self._filter_modal.set_users(message.users, message.me, message.error)

    @guarded
    def _filter_chosen(self, choice: EmailFilter | None) -> None:
        self._filter_modal = None
        if choice is not None and choice != self.filter:
            self.switch_filter(choice)

    def switch_filter(self, choice: EmailFilter) -> None:
        """Show another filter's list: the one already loaded, or its first page."""
        if self.searching:
            self.action_end_search()
        old = self.feed
        current = self.email_list.cursor_email
        old.cursor_id = current.message_id if current else old.cursor_id
        old.scroll_y = self.email_list.view_top
        self.session.filter = choice
        if self.narrow:
            self.action_back_to_list()  # the email open full-screen belongs to the other list
        self._show_feed()
        self._resume(self.feed)

    # --- saving attachments ----------------------------------------------------------

    def _attachments_shown(self) -> tuple[Email, tuple[Attachment, ...]] | None:
        """The email in the detail pane and its attachments, if it is on screen and has some."""
        view = self.detail_view
        if not self.detail_visible or view.state != "detail" or view.email is None or view.detail is None:
            return None
        return (view.email, view.detail.attachments) if view.detail.attachments else None

    @guarded
    def action_save_attachment(self) -> None:
        shown = self._attachments_shown()
        if shown is not None:
            self._save_these(*shown)

    def _save(self, email: Email, attachments: tuple[Attachment, ...]) -> None:
        """Queue the attachments not being saved already; one worker downloads them one after another."""
        from tui.downloads import attachment_label  # here, as below: most launches save nothing

        # The file lives in the mailbox of the email's owner: Zoho needs whose it is.
        owner_id = (email.owner.id if email.owner else None) or self.filter.owner_id
        if not owner_id:
            self.notify(
                "Zoho did not say whose mailbox holds this email, so its attachments cannot be downloaded.",
                severity="error",
                markup=False,
            )
            return
        todo = tuple(a for a in attachments if (email.message_id, a.id) not in self._saving)
        if not todo:
            self.notify(f"{attachment_label(attachments[0])} is already being saved.", markup=False)
            return
        for attachment in todo:
            self._saving.add((email.message_id, attachment.id))
            self.detail_view.set_attachment_note(email.message_id, attachment.id, "queued")
        self.run_worker(self._download_all(email, owner_id, todo), group="save", exit_on_error=False)

    async def _download_all(self, email: Email, owner_id: str, attachments: tuple[Attachment, ...]) -> None:
        # One at a time: a download holds one of the client's few request slots while it streams.
        saved: list[Saved] = []
        try:
            for attachment in attachments:
                if (done := await self._download(email, owner_id, attachment)) is not None:
                    saved.append(done)
                self._saving.discard((email.message_id, attachment.id))
        finally:
            self._saving.difference_update((email.message_id, a.id) for a in attachments)
        if len(attachments) == 1 and saved:
            self.notify(
                f"Saved {saved[0].path.name} ({human_size(saved[0].size)}) to {one_line(str(saved[0].path))}",
                markup=False,
            )
        elif saved:
            total = human_size(sum(s.size for s in saved))
            folder = one_line(str(saved[0].path.parent))
            self.notify(f"Saved {len(saved)} of {len(attachments)} attachments ({total}) to {folder}", markup=False)

    async def _download(self, email: Email, owner_id: str, attachment: Attachment) -> Saved | None:
        """Save one attachment; its path and size, or None (the reason shown)."""
        from tui.downloads import attachment_label, describe_os_error, download_dir, save_attachment

        label = attachment_label(attachment)

        def note(text: str) -> None:
            self.post_message(AttachmentNote(email.message_id, attachment.id, text))

        folder: Path | None = None
        try:
            folder = await asyncio.to_thread(download_dir)
            saved = await save_attachment(
                self.session.client,
                self.record.module,
                self.record.id,
                message_id=email.message_id,
                owner_id=owner_id,
                attachment=attachment,
                progress=note,
                monotonic=self.session.clock.monotonic,
                folder=folder,
            )
        except ZohoError as error:
            self._save_failed(label, note, error_text(error))
        except OSError as error:
            self._save_failed(label, note, describe_os_error(error, label, folder or "the downloads folder"))
        except Exception as error:  # a bug: shown as an error, never as a traceback
            self._save_failed(label, note, error_text(unexpected(error)))
        else:
            note(f"saved to {one_line(str(saved.path))}")
            return saved
        return None

    def _save_failed(self, label: str, note: Callable[[str], None], reason: Text | str) -> None:
        note("not saved")
        message = Content.from_rich_text(reason) if isinstance(reason, Text) else Content(reason)
        # Content is shown as it is (notify parses a str as markup; server text must not be).
        self.notify(message, title=f"Could not save {label}", severity="error", timeout=10)  # type: ignore[arg-type]

    @on(AttachmentNote)
    @guarded
    def _attachment_note(self, message: AttachmentNote) -> None:
        self.detail_view.set_attachment_note(message.message_id, message.attachment_id, message.note)

    # --- actions ---------------------------------------------------------------------

    @guarded
    def action_refresh(self) -> None:
        self._refresh(self.feed)
        self.call_after_refresh(self._show_progress)

    @guarded
    def action_retry(self) -> None:
        feed = self.feed
        if feed.filter in self._refresh_failed and not feed.paging:
            self._refresh_failed.discard(feed.filter)
            feed.error, feed.retry_at = None, None
            self.action_refresh()
        elif self.session.retry(feed):
            if not feed.paging:
                self._load(feed)
            self._show_progress()
        if self.detail_error is not None:
            email, _error = self.detail_error
            if self._highlighted is not None and self._highlighted.message_id == email.message_id:
                self.detail_error = None
                self.detail_view.show_email(email)
                self._follow(email, at_once=True)

    @guarded
    def action_switch_pane(self) -> None:
        if self.narrow:
            return
        if isinstance(self.focused, BodyView):
            self.email_list.table.focus()
        else:
            self._with_detail_view(lambda: self.detail_view.body.focus())

    @guarded
    def action_back_to_list(self) -> None:
        self.remove_class("-detail-open")
        self.email_list.table.focus()
        self._refresh_keys()

    @guarded
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            feed = self.feed
            return feed.error is not None or feed.waiting or self.detail_error is not None
        if action == "switch_pane":
            return not self.narrow
        if action == "back_to_list":
            return isinstance(self.focused, BodyView)
        if action == "save_attachment":
            return self._attachments_shown() is not None
        if action == "save_from_list":
            return self._attachments_shown() is None and self.email_list.cursor_email is not None
        if action in ("copy_menu", "links", "open_linked_record"):
            return self.email_list.cursor_email is not None
        if action in ("mark_menu", "mark_note"):
            return self._email_to_mark() is not None
        if action in ("next_hit", "previous_hit"):
            return self._found is not None and not isinstance(self.focused, Input)
        if action == "end_search":
            return self.searching
        if action == "stop_loading":
            return self.feed.walking or self._bodies_note is not None
        if action == "load_all":
            return self.feed.more and not self.feed.walking
        return True

    @guarded
    def on_descendant_focus(self) -> None:
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        """Update the footer when the keys that matter changed (pane, errors, rows); not while closing."""
        state = (
            self.narrow,
            isinstance(self.focused, BodyView),
            bool(self.check_action("retry", ())),
            self.email_list.count > 0,
            self._attachments_shown() is not None,
            self.searching,
            self._found is not None,
            self.feed.walking or self._bodies_note is not None,
        )
        # The footer rebuilds itself on every refresh: only when something it shows changed.
        if self.is_current and state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()

