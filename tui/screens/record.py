"""The emails of one record: the list, the email under the cursor, the type filter, refresh, errors.

Every API call runs in a worker that belongs to this screen, so the app removing
the screen (another record opened) cancels them. Pages load one at a time
(exclusive group "page") as the cursor or the viewport nears the end; each
request is tagged with its list and a generation number, and a page whose tag
no longer matches is dropped. Each type filter keeps its own loaded list, so
going back to one costs nothing. The detail pane follows the cursor after a
short pause, one request at a time, and remembers what it fetched. `s` saves the
attachments of the email in the detail pane to the downloads folder, one after
another in a worker, each streamed to a ".part" file that is renamed when complete.
"""

from __future__ import annotations

import asyncio
import math
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header

from tui.downloads import PartFile, describe_os_error, download_dir
from tui.render.safe import one_line
from tui.render.sizes import human_size
from tui.screens.picker import unexpected
from tui.widgets.attachment_menu import AttachmentMenu, attachment_label
from tui.widgets.email_detail import BodyView, EmailDetailView
from tui.widgets.email_list import EmailList
from tui.widgets.error_panel import error_text
from tui.widgets.status_line import StatusLine
from tui.widgets.type_filter import EmailFilter, TypeFilterScreen
from tui.zoho.catalog import STANDARD_BY_NAME, USER_EMAILS
from tui.zoho.client import ZohoClient
from tui.zoho.errors import NetworkError, ZohoError
from tui.zoho.models import Attachment, Email, EmailDetail, EmailPage, Record, User

# Side by side from this width; below it the list fills the screen and Enter opens the email.
WIDE_LAYOUT_MIN_WIDTH = 120
# Long enough that holding j does not fetch every email passed, short enough to feel immediate.
DETAIL_DELAY_S = 0.15
DETAIL_CACHE_SIZE = 200
# Waits between automatic retries of a page while the network is down.
OFFLINE_DELAYS_S = (2.0, 4.0, 8.0, 16.0, 30.0)
# A refresh follows pages until it meets a known email; past this many it starts the list afresh.
MAX_REFRESH_PAGES = 5
RETRY_KEY = "R"
# Bytes per write of a saved attachment; progress is redrawn at most this often.
SAVE_CHUNK_SIZE = 256 * 1024
SAVE_PROGRESS_INTERVAL_S = 0.25


@dataclass
class EmailFeed:
    """One loaded list (one filter of one record): rows, where the next page starts, what is going on."""

    filter: EmailFilter
    emails: list[Email] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    next_index: str | None = None
    more: bool = True
    pages: int = 0  # pages applied so far
    loading: str | None = None  # "page" or "refresh" while a request is out
    generation: int = 0  # bumped by every request: an answer with an older number is stale
    error: ZohoError | None = None  # the last request failed (rows kept; R retries)
    retry_in: int | None = None  # offline: seconds until the next try
    cursor_id: str | None = None
    scroll_y: float = 0

    def add_page(self, page: EmailPage) -> list[Email]:
        """Append the page's emails not seen yet; remember where the next page starts."""
        fresh = [e for e in page.emails if e.message_id not in self.ids]
        self.emails.extend(fresh)
        self.ids.update(e.message_id for e in fresh)
        self.next_index = page.info.next_index
        self.more = page.info.more_records
        self.pages += 1
        return fresh

    def add_newest(self, emails: list[Email], *, next_index: str | None, more: bool) -> int:
        """Merge a re-read first page (or pages) in: new emails on top, known ones updated in place.

        When none of them was known, the list is older than what Zoho has now by more than
        the pages read: it starts afresh from them. Returns how many rows are new.
        """
        known = {e.message_id: e for e in emails if e.message_id in self.ids}
        fresh = [e for e in emails if e.message_id not in self.ids]
        if not known and self.emails:
            self.emails, self.ids = [], set()
            self.next_index, self.more = next_index, more
        elif not self.emails:
            self.next_index, self.more = next_index, more
        self.emails = fresh + [known.get(e.message_id, e) for e in self.emails]
        self.ids.update(e.message_id for e in fresh)
        self.pages = max(self.pages, 1)
        return len(fresh)


# The org's users and "me" per client: asked once a session, not once per record.
_USERS: weakref.WeakKeyDictionary[ZohoClient, tuple[list[User], User | None]] = weakref.WeakKeyDictionary()


class RecordScreen(Screen):
    """One record's emails. Reads `app.client`; the app replaces the screen to switch records."""

    BINDINGS = [
        Binding("t", "choose_filter", "Type filter", id="record.type_filter"),
        Binding("s", "save_attachment", "Save attachment", id="record.save_attachment"),
        Binding("r", "refresh", "Refresh", id="record.refresh"),
        Binding(RETRY_KEY, "retry", "Retry", id="record.retry"),
        Binding("tab", "switch_pane", "Switch pane", id="record.switch_pane"),
        Binding("escape", "back_to_list", "Back to list", id="record.back"),
    ]

    DEFAULT_CSS = """
    RecordScreen #record-panes {
        height: 1fr;
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

    # Class attributes so tests can make waits instant.
    offline_delays: tuple[float, ...] = OFFLINE_DELAYS_S
    detail_delay: float = DETAIL_DELAY_S

    def __init__(self, record: Record, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.record = record
        self.filter = EmailFilter()
        self.feeds: dict[EmailFilter, EmailFeed] = {self.filter: EmailFeed(self.filter)}
        self.details: OrderedDict[str, EmailDetail | None] = OrderedDict()
        self.detail_error: tuple[Email, ZohoError] | None = None
        self._highlighted: Email | None = None
        self._detail_timer: Timer | None = None
        self._pending_detail: str | None = None  # the email whose timer or request is out
        self._filter_modal: TypeFilterScreen | None = None
        self._users_error: ZohoError | None = None
        self._keys_state: tuple[bool, ...] = ()
        self._saving: set[tuple[str, str]] = set()  # (message_id, attachment_id) being saved or queued

    # --- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="record-panes"):
            yield EmailList(id="email-list")
            yield EmailDetailView(id="email-detail")
        yield StatusLine(self.record.display)
        yield Footer()

    def on_mount(self) -> None:
        self._show_title()
        self._apply_width(self.app.size.width)
        self.email_list.table.focus()
        self._show_feed()
        self._load(self.feed)

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
                self._follow(self._highlighted)
        self._refresh_keys()

    def _show_title(self) -> None:
        self.title = f"{one_line(self.record.display)} · {self._module_label()}"

    def name_record(self, record: Record) -> None:
        """The record's name came late (Zoho could not be asked when the screen opened): show it."""
        if (record.module, record.id) != (self.record.module, self.record.id):
            return
        self.record = record
        self._show_title()
        self._show_progress()

    def _module_label(self) -> str:
        standard = STANDARD_BY_NAME.get(self.record.module)
        return standard.singular if standard else one_line(self.record.module)

    @property
    def client(self) -> ZohoClient:
        return self.app.client  # type: ignore[attr-defined]

    @property
    def email_list(self) -> EmailList:
        return self.query_one(EmailList)

    @property
    def detail_view(self) -> EmailDetailView:
        return self.query_one(EmailDetailView)

    @property
    def feed(self) -> EmailFeed:
        return self.feeds[self.filter]

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    @property
    def detail_visible(self) -> bool:
        return not self.narrow or self.has_class("-detail-open")

    # --- the list --------------------------------------------------------------------

    def _show_feed(self) -> None:
        """Put the current filter's rows on screen (no call: they are already loaded)."""
        feed = self.feed
        self.email_list.border_title = f"Emails · {feed.filter.label}"
        self.email_list.show_emails(feed.emails, cursor_id=feed.cursor_id, scroll_y=feed.scroll_y)
        if not feed.emails:
            self._highlighted = None
            self.detail_view.show_nothing("No email selected.")
        self._show_progress()

    def _show_progress(self) -> None:
        """The end of the list, its empty-state line, the error box, and the status line."""
        feed = self.feed
        email_list = self.email_list
        count = len(feed.emails)
        loaded = f"{count} loaded" if feed.more else f"{count} email" + ("" if count == 1 else "s")
        if feed.retry_in is not None:
            progress = f"offline — retrying in {feed.retry_in} s · {RETRY_KEY} retries now"
        elif feed.loading == "refresh":
            progress = "refreshing…"
        elif feed.loading:
            progress = "loading more…" if count else "loading…"
        elif feed.error is not None:
            failed = "next page failed" if count else "not loaded"
            progress = f"{loaded} · {failed} · {RETRY_KEY} retries" if count else f"{failed} · {RETRY_KEY} retries"
        elif not feed.more:
            progress = f"end — {loaded}"
        else:
            progress = f"{loaded} · more below"
        email_list.set_progress(progress)
        if feed.retry_in is not None and not count:
            email_list.set_note(
                f"Zoho could not be reached (offline?).\nTrying again in {feed.retry_in} s; {RETRY_KEY} tries now."
            )
        elif feed.loading and not count:
            email_list.set_note("loading emails…")
        else:
            email_list.set_note("" if feed.error is not None or feed.more else feed.filter.empty_text)
        if feed.error is not None:
            email_list.show_error(feed.error, action=f"Press {RETRY_KEY} to try again.")
        else:
            email_list.clear_error()
        self.query_one(StatusLine).set_context(f"{self.record.display} · {feed.filter.label} · {loaded}")
        self._show_position()
        self._refresh_keys()

    def _show_position(self) -> None:
        """The detail pane's title says which email of how many: "Email 12 of 60+"."""
        feed, email_list = self.feed, self.email_list
        current = email_list.cursor_email
        if current is None:
            self.detail_view.border_title = "Email"
            return
        more = "+" if feed.more else ""
        self.detail_view.border_title = f"Email {email_list.table.cursor_row + 1} of {email_list.count}{more}"

    def _load(self, feed: EmailFeed, *, refresh: bool = False) -> None:
        """Start the next request of `feed` (the next page, or page one again for a refresh)."""
        feed.generation += 1
        feed.loading = "refresh" if refresh and feed.pages else "page"
        feed.error = None
        feed.retry_in = None
        self.run_worker(
            self._fetch(feed, feed.generation),
            group="page",
            exclusive=True,
            exit_on_error=False,
            name=f"emails {feed.filter.label}",
        )
        if feed is self.feed:
            self._show_progress()

    def _load_more(self) -> None:
        feed = self.feed
        if feed.loading or feed.error is not None or not feed.more:
            return
        self._load(feed)

    async def _fetch(self, feed: EmailFeed, generation: int) -> None:
        """One request of `feed` (retried by itself while offline); applied only if still current."""
        refresh = feed.loading == "refresh"
        attempt = 0
        try:
            while True:
                try:
                    if refresh:
                        emails, next_index, more = await self._read_newest(feed)
                    else:
                        page = await self._list_emails(feed.filter, feed.next_index if feed.pages else None)
                    break
                except NetworkError:
                    if feed.generation != generation:
                        return
                    delay = self.offline_delays[min(attempt, len(self.offline_delays) - 1)]
                    attempt += 1
                    await self._count_down(feed, delay)
                    feed.retry_in = None
        except ZohoError as error:
            if feed.generation == generation:
                feed.error = error
            return
        except Exception as error:  # a bug: shown as an error, never as a traceback
            if feed.generation == generation:
                feed.error = unexpected(error)
            return
        finally:
            if feed.generation == generation:
                feed.loading = None
                feed.retry_in = None
                if feed is self.feed:
                    self._show_progress()
        if feed.generation != generation or self.feeds.get(feed.filter) is not feed:
            return  # a stale answer: another request of this list was started since
        if refresh:
            self._apply_newest(feed, emails, next_index, more)
        else:
            self._apply_page(feed, page)

    async def _list_emails(self, email_filter: EmailFilter, index: str | None) -> EmailPage:
        return await self.client.list_emails(
            self.record.module, self.record.id, type=email_filter.type, owner_id=email_filter.owner_id, index=index
        )

    async def _read_newest(self, feed: EmailFeed) -> tuple[list[Email], str | None, bool]:
        """Page one again, and the pages after it until one holds an email already listed."""
        emails: list[Email] = []
        index: str | None = None
        for _ in range(MAX_REFRESH_PAGES):
            page = await self._list_emails(feed.filter, index)
            emails.extend(page.emails)
            index, more = page.info.next_index, page.info.more_records
            if not more or any(e.message_id in feed.ids for e in page.emails):
                break
        return emails, index, more

    async def _count_down(self, feed: EmailFeed, delay: float) -> None:
        loop = asyncio.get_running_loop()
        end = loop.time() + delay
        while (left := end - loop.time()) > 0:
            feed.retry_in = math.ceil(left)
            if feed is self.feed:
                self._show_progress()
            await asyncio.sleep(min(1.0, left))

    def _apply_page(self, feed: EmailFeed, page: EmailPage) -> None:
        fresh = feed.add_page(page)
        if feed is not self.feed:
            return
        if feed.pages == 1:
            self.email_list.show_emails(feed.emails)
        else:
            self.email_list.add_emails(fresh)
        self._show_progress()

    def _apply_newest(self, feed: EmailFeed, emails: list[Email], next_index: str | None, more: bool) -> None:
        email_list = self.email_list
        if feed is self.feed:
            current = email_list.cursor_email
            feed.cursor_id = current.message_id if current else None
            feed.scroll_y = email_list.view_top
        new = feed.add_newest(emails, next_index=next_index, more=more)
        if new and feed.cursor_id in feed.ids:
            feed.scroll_y += new  # keep the same rows in view under the new ones
        if feed is self.feed:
            email_list.show_emails(feed.emails, cursor_id=feed.cursor_id, scroll_y=feed.scroll_y)
            self._show_progress()
            if new:
                self.notify(f"{new} new email{'s' if new != 1 else ''}", timeout=3)

    @on(EmailList.NearEnd)
    def _near_end(self, event: EmailList.NearEnd) -> None:
        event.stop()
        # Asked again now: a page may have landed since the message was sent.
        if self.email_list.near_end:
            self._load_more()

    # --- the detail pane -------------------------------------------------------------

    @on(EmailList.Highlighted)
    def _highlighted_email(self, event: EmailList.Highlighted) -> None:
        event.stop()
        self._highlighted = event.email
        self.feed.cursor_id = event.email.message_id
        self._show_position()
        if self.detail_visible:
            self._follow(event.email)
            self._refresh_keys()

    @on(EmailList.Opened)
    def _opened(self, event: EmailList.Opened) -> None:
        event.stop()
        self._highlighted = event.email
        if self.narrow:
            self.add_class("-detail-open")
            self._follow(event.email, at_once=True)
        self.detail_view.body.focus()
        self._refresh_keys()

    def _follow(self, email: Email, *, at_once: bool = False) -> None:
        """Show `email`: from the cache now, else the row's headers now and the rest after a pause."""
        view = self.detail_view
        cached = email.message_id in self.details
        if cached or self._pending_detail != email.message_id:
            self._stop_detail_timer()
        if cached:
            self.details.move_to_end(email.message_id)
            if view.message_id != email.message_id or view.state != "detail" or view.email != email:
                view.show_detail(email, self.details[email.message_id])
            return
        if self._pending_detail == email.message_id:
            if self._detail_timer is None or not at_once:
                return  # its request (or its timer) is already out
            self._stop_detail_timer()
        elif view.message_id != email.message_id or view.state != "loading":
            view.show_email(email)
        self._pending_detail = email.message_id
        if at_once:
            self._fetch_detail(email)
        else:
            self._detail_timer = self.set_timer(self.detail_delay, lambda: self._fetch_detail(email))

    def _stop_detail_timer(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
            self._pending_detail = None

    def _fetch_detail(self, email: Email) -> None:
        self._detail_timer = None
        self.detail_error = None
        self._pending_detail = email.message_id
        self.run_worker(self._read_detail(email), group="detail", exclusive=True, exit_on_error=False)

    async def _read_detail(self, email: Email) -> None:
        owner = self.filter.owner_id if self.filter.type == USER_EMAILS else None
        try:
            detail = await self.client.get_email(self.record.module, self.record.id, email.message_id, user_id=owner)
        except Exception as error:
            if self._pending_detail == email.message_id:
                self._pending_detail = None
            failure = error if isinstance(error, ZohoError) else unexpected(error)
            self.detail_error = (email, failure)
            if self._highlighted is not None and self._highlighted.message_id == email.message_id:
                self.detail_view.show_error(
                    email, failure, action=f"Press {RETRY_KEY} to try again, or move to another email."
                )
            self._refresh_keys()
            return
        if self._pending_detail == email.message_id:
            self._pending_detail = None
        self.details[email.message_id] = detail
        while len(self.details) > DETAIL_CACHE_SIZE:
            self.details.popitem(last=False)
        if self._highlighted is not None and self._highlighted.message_id == email.message_id:
            self.detail_view.show_detail(self._highlighted, detail)
            self._refresh_keys()

    # --- the type filter -------------------------------------------------------------

    def action_choose_filter(self) -> None:
        cached = _USERS.get(self.client)
        users, me = cached if cached else (None, None)
        modal = TypeFilterScreen(self.record.module, self.filter, users=users, me=me, users_error=self._users_error)
        self._filter_modal = modal
        self.app.push_screen(modal, self._filter_chosen)
        if cached is None:
            self._load_users()

    @work(group="users", exclusive=True, exit_on_error=False)
    async def _load_users(self) -> None:
        try:
            users, me = await asyncio.gather(self.client.users(), self.client.current_user())
        except ZohoError as error:
            self._users_error = error
            users, me = [], None
        except Exception as error:
            self._users_error = unexpected(error)
            users, me = [], None
        else:
            self._users_error = None
            _USERS[self.client] = (users, me)
        if self._filter_modal is not None and self._filter_modal.is_attached:
            self._filter_modal.set_users(users, me, self._users_error)

    def _filter_chosen(self, choice: EmailFilter | None) -> None:
        self._filter_modal = None
        if choice is not None and choice != self.filter:
            self.switch_filter(choice)

    def switch_filter(self, choice: EmailFilter) -> None:
        """Show another filter's list: the one already loaded, or its first page."""
        old = self.feed
        current = self.email_list.cursor_email
        old.cursor_id = current.message_id if current else old.cursor_id
        old.scroll_y = self.email_list.view_top
        self.filter = choice
        feed = self.feeds.setdefault(choice, EmailFeed(choice))
        if self.narrow:
            self.action_back_to_list()  # the email open full-screen belongs to the other list
        self._show_feed()
        if not feed.pages and not feed.loading and feed.error is None:
            self._load(feed)

    # --- saving attachments ----------------------------------------------------------

    def _attachments_shown(self) -> tuple[Email, tuple[Attachment, ...]] | None:
        """The email in the detail pane and its attachments, if it is on screen and has some."""
        view = self.detail_view
        if not self.detail_visible or view.state != "detail" or view.email is None or view.detail is None:
            return None
        return (view.email, view.detail.attachments) if view.detail.attachments else None

    def action_save_attachment(self) -> None:
        shown = self._attachments_shown()
        if shown is None:
            return
        email, attachments = shown
        if len(attachments) == 1:
            self._save(email, attachments)
            return

        def chosen(choice: tuple[Attachment, ...] | None) -> None:
            if choice:
                self._save(email, choice)

        self.app.push_screen(AttachmentMenu(attachments), chosen)

    def _save(self, email: Email, attachments: tuple[Attachment, ...]) -> None:
        """Queue the attachments not being saved already; one worker downloads them one after another."""
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
        saved: list[tuple[Path, int]] = []
        try:
            for attachment in attachments:
                if (done := await self._download(email, owner_id, attachment)) is not None:
                    saved.append(done)
                self._saving.discard((email.message_id, attachment.id))
        finally:
            self._saving.difference_update((email.message_id, a.id) for a in attachments)
        if len(attachments) == 1 and saved:
            path, size = saved[0]
            self.notify(f"Saved {path.name} ({human_size(size)}) to {one_line(str(path))}", markup=False)
        elif saved:
            total = human_size(sum(size for _path, size in saved))
            folder = one_line(str(saved[0][0].parent))
            self.notify(f"Saved {len(saved)} of {len(attachments)} attachments ({total}) to {folder}", markup=False)

    async def _download(self, email: Email, owner_id: str, attachment: Attachment) -> tuple[Path, int] | None:
        """Stream one attachment to a part file off the UI thread: its path and size, or None (said why)."""
        label = attachment_label(attachment)

        def note(text: str) -> None:
            self.detail_view.set_attachment_note(email.message_id, attachment.id, text)

        note("saving…")
        part: PartFile | None = None
        folder = None
        saved = None
        try:
            folder = await asyncio.to_thread(download_dir)
            async with self.client.download_attachment(
                self.record.module,
                self.record.id,
                message_id=email.message_id,
                user_id=owner_id,
                attachment_id=attachment.id,
                name=attachment.name or "",
            ) as download:
                part = await asyncio.to_thread(PartFile, folder, download.filename)
                size = download.size if download.size is not None else attachment.size
                loop = asyncio.get_running_loop()
                shown_at = loop.time()
                async for chunk in download.aiter_bytes(SAVE_CHUNK_SIZE):
                    await asyncio.to_thread(part.write, chunk)
                    if loop.time() - shown_at >= SAVE_PROGRESS_INTERVAL_S:
                        shown_at = loop.time()
                        done = f"{part.written * 100 // size}%" if size else human_size(part.written)
                        note(f"saving… {done}")
                if download.size is not None and part.written != download.size:
                    raise NetworkError(
                        f"The download stopped after {human_size(part.written)} of {human_size(download.size)}."
                    )
            saved = await asyncio.to_thread(part.finish)
        except ZohoError as error:
            self._save_failed(label, note, error_text(error))
        except OSError as error:
            self._save_failed(label, note, describe_os_error(error, label, folder or "the downloads folder"))
        except Exception as error:  # a bug: shown as an error, never as a traceback
            self._save_failed(label, note, error_text(unexpected(error)))
        finally:
            if part is not None and saved is None:
                await asyncio.to_thread(part.discard)  # failed or cancelled: no partial file stays
        if saved is None or part is None:
            return None
        note(f"saved to {one_line(str(saved))}")
        return saved, part.written

    def _save_failed(self, label: str, note: Callable[[str], None], reason: Text | str) -> None:
        note("not saved")
        message = Content.from_rich_text(reason) if isinstance(reason, Text) else Content(reason)
        # Content is shown as it is (notify parses a str as markup; server text must not be).
        self.notify(message, title=f"Could not save {label}", severity="error", timeout=10)  # type: ignore[arg-type]

    # --- actions ---------------------------------------------------------------------

    def action_refresh(self) -> None:
        feed = self.feed
        if feed.loading == "refresh":
            return
        self._load(feed, refresh=True)

    def action_retry(self) -> None:
        feed = self.feed
        if feed.error is not None or feed.retry_in is not None:
            self._load(feed)
        if self.detail_error is not None:
            email, _error = self.detail_error
            if self._highlighted is not None and self._highlighted.message_id == email.message_id:
                self._stop_detail_timer()
                self.detail_view.show_email(email)
                self._fetch_detail(email)

    def action_switch_pane(self) -> None:
        if self.narrow:
            return
        if isinstance(self.focused, BodyView):
            self.email_list.table.focus()
        else:
            self.detail_view.body.focus()

    def action_back_to_list(self) -> None:
        self.remove_class("-detail-open")
        self.email_list.table.focus()
        self._refresh_keys()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.feed.error is not None or self.feed.retry_in is not None or self.detail_error is not None
        if action == "switch_pane":
            return not self.narrow
        if action == "back_to_list":
            return isinstance(self.focused, BodyView)
        if action == "save_attachment":
            return self._attachments_shown() is not None
        return True

    def on_descendant_focus(self) -> None:
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        """Update the footer when the keys that matter changed (pane, errors, rows); not while closing."""
        state = (
            self.narrow,
            isinstance(self.focused, BodyView),
            self.check_action("retry", ()),
            self.email_list.count > 0,
            self._attachments_shown() is not None,
        )
        # The footer rebuilds itself on every refresh: only when something it shows changed.
        if self.is_current and state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()
