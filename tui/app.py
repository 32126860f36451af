"""The Textual app: connects in the background, then shows the record picker or a record.

Thin on purpose: wiring, app-wide keys, and the workers that connect, fetch a record's
name and remember recent records. It owns what outlives a screen: the connection's
state, the org's directory (modules, users, first records) and the recent record
sessions (`tui.session`), so reopening a record or the picker costs no call. Screens
do the rest (tui/screens), widgets draw (tui/widgets), text goes through tui/render.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.cache import LRUCache
from textual.reactive import reactive, var
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from tui import startup_gc
from tui.screens.connecting import ConnectingScreen
from tui.session.backoff import passing
from tui.session.clock import Clock, SystemClock
from tui.session.connection import ConnectionStatus
from tui.session.directory import OrgDirectory
from tui.session.watch import DEFAULT_WATCH_S, Watch
from tui.store import DEMO_ORG_KEY, DEMO_ORG_LABEL, scope_profile
from tui.widgets.error_panel import BUG_HINT, unexpected
from tui.zoho.catalog import STANDARD_BY_NAME
from tui.zoho.errors import AuthError, ZohoError
from tui.zoho.models import Record

if TYPE_CHECKING:
    from textual.command import Provider

    from tui.session.keeper import StoreOpening, StoreThread
    from tui.session.record import RecordSession
    from tui.store.store import Scope, Store
    from tui.zoho.client import ConnectionEvent, ZohoClient

Connect = Callable[[], Awaitable["ZohoClient"]]

TITLE = "crm-emails"
# A sub-title, so the header says it on every screen, beside the record's name too.
DEMO_SUBTITLE = "DEMO DATA (sandbox)"
# How often the connection note's countdown is redrawn.
NOTE_REFRESH_S = 0.5
CLOSE_TIMEOUT_S = 2.0
# How long the start waits for the store's top of the record it opens before showing the record screen anyway
# (then it shows it as it comes): a local read takes milliseconds; a slow disk must not hold up the screen.
STORE_TOP_PATIENCE_S = 0.25
# The collector is held off while the app starts (tui/startup_gc.py) until the first screen is painted, or this long.
GC_HELD_AT_MOST_S = 3.0
# Record sessions kept in memory: reopening one of these paints at once and makes no call.
SESSIONS_KEPT = 16
RECENT_KEPT = 20


# What the first `t`, `?` and ctrl+p import (off the start path: not before the first frame). Help lists the
# picker's keys too; the palette's system commands are Textual's.
MENU_MODULES = ("tui.screens.type_filter", "tui.screens.help", "tui.screens.picker", "tui.commands",
                "textual.system_commands")


def _load_menus_behind() -> None:
    """The menus' modules, imported on a thread of their own once the first frame is out, while the person reads
    it: the first opening of each is then as quick as the later ones (it had waited for its imports)."""

    def load() -> None:
        for name in MENU_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the menu imports it again when it opens, and says what is wrong
                return

    threading.Thread(target=load, name="menus", daemon=True).start()


def _crm_commands() -> type[Provider]:
    """The palette's commands, loaded when the palette first opens (not on the start path)."""
    from tui.commands import CrmEmailsCommands

    return CrmEmailsCommands


class CrmEmailsApp(App[None]):
    """Triage the emails of one Zoho CRM record."""

    TITLE = TITLE
    COMMANDS = App.COMMANDS | {_crm_commands}
    COMMAND_PALETTE_DISPLAY = "ctrl+p"
    BINDINGS = [
        Binding("o", "open_picker", "Open record", id="app.open_picker"),
        Binding("ctrl+f", "search_everywhere", "Search all", id="app.search_everywhere"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        # For screens where `?` is typed into a text box (the picker shows this one in its footer).
        Binding("f1", "help", "Help", show=False, id="app.help_f1"),
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.command_palette"),
    ]

    api_calls: reactive[int] = reactive(0)
    connection_note: reactive[str] = reactive("")
    # Most recent first; the picker and the palette read it.
    recent_records: var[list[Record]] = var(list, always_update=True)

    def __init__(
        self,
        connect: Connect,
        *,
        start: tuple[str, str] | None = None,
        demo: bool = False,
        profile: str | None = None,
        clock: Clock | None = None,
        use_store: bool = True,
        store_path: Path | None = None,
        watch: Watch | None = None,
        watch_bell: bool = False,
        keymap_path: Path | None = None,
        store_opening: StoreOpening | None = None,
    ) -> None:
        """`use_store=False` keeps nothing on disk (--no-store: the store is in memory for this launch);
        `store_path` overrides where the store is; `store_opening` is the store on disk opening since before the
        app was made (`crm-emails` starts it before it imports Textual); `watch` syncs the open record's page one
        on that interval (--watch), `watch_bell` rings on new emails when it does (--watch-bell); `keymap_path`
        overrides where the person's keymap.toml is read from."""
        super().__init__()
        self._connect = connect
        self.start = start
        self.demo = demo
        self.profile = scope_profile(profile, demo)
        self.client: ZohoClient | None = None
        # What the org holds, read once per connection: modules, users, each module's first records.
        self.directory: OrgDirectory | None = None
        self.sessions: LRUCache[tuple[str, ...], RecordSession] = LRUCache(SESSIONS_KEPT)
        self.bugs = 0  # unexpected exceptions caught and shown (the fault soak counts them)
        self.use_store = use_store
        self.store_path = store_path
        # The local store (tui/store, on a thread of its own) and this connection's part of it.
        self.store: StoreThread | None = None
        self._store_opening = store_opening if use_store else None
        self._store_due = False  # a store in memory waits for the first screen to show (`shown`)
        self._store_later: asyncio.Future[None] | None = None  # done once that store opened (or could not)
        self._menus_loading = False  # the menus' modules are imported behind the first frame (`shown`)
        # Why the app reads only the store (no credentials: `read_stored`); None when connected.
        self.stored_only: str | None = None
        self.scope: Scope | None = None
        self.title = TITLE
        self.sub_title = DEMO_SUBTITLE if demo else ""
        self.clock: Clock = clock or SystemClock()
        self.connection = ConnectionStatus(self.clock)
        # A record opened by id while Zoho could not be asked its name: asked once more when a call succeeds.
        self._name_later: tuple[str, str] | None = None
        # The open record's watch (None: off), and what the palette's toggle turns on.
        self.watching: Watch | None = watch
        self.watch_preset = watch or Watch(DEFAULT_WATCH_S, bell=watch_bell)
        self.keymap_path = keymap_path

    # --- start-up ------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        if self.demo:
            return ConnectingScreen("Starting the demo: built-in sample data, nothing is sent to Zoho…")
        return ConnectingScreen("Connecting to Zoho…")

    def on_mount(self) -> None:
        if startup_gc.held():  # whatever comes first (the auth-problem screen never says `shown`)
            self.set_timer(GC_HELD_AT_MOST_S, startup_gc.release)
        self.set_interval(NOTE_REFRESH_S, self._update_note)
        self._load_keymap()
        self.connect()

    def _load_keymap(self) -> None:
        """The person's keymap.toml over the default keys; what is wrong with it is said, never a crash."""
        from tui.keymap import keymap_path, read_keymap

        path = self.keymap_path or keymap_path()
        try:
            keymap, problem = read_keymap(path)
        except Exception as error:  # noqa: BLE001 - a keymap is never worth not starting
            keymap, problem = {}, f"{path} could not be used ({type(error).__name__}); the default keys are used."
        if keymap:
            self.set_keymap(keymap)
        if problem:
            self.notify(problem, title="Your keymap", severity="warning", timeout=15, markup=False)

    async def on_unmount(self) -> None:
        # What was read is written before the file closes (the last record opened is remembered too).
        if self.store is not None:
            await asyncio.to_thread(self.store.close)
        # Close the connections; a hung socket must not hold up quitting.
        if self.client is not None:
            try:
                await asyncio.wait_for(self.client.aclose(), CLOSE_TIMEOUT_S)
            except Exception:  # noqa: BLE001 - leaving anyway
                pass

    def reconnect(self) -> None:
        """Try the credentials again (after `auth login` in another terminal, or a keyring unlock)."""
        self._clear_to_base()
        self.connect()

    def _clear_to_base(self) -> None:
        """Pop every screen above the connecting screen (popped screens are removed, their workers cancelled).

        The connecting screen stays at the bottom of the stack: Textual cannot switch away its default screen.
        """
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def back_from_the_bottom(self) -> None:
        """Every screen above the connecting screen went (it should not happen): the picker, if connected."""
        if self.client is not None and len(self.screen_stack) == 1:
            from tui.screens.picker import PickerScreen

            self._show(PickerScreen())

    def _show(self, screen: Screen) -> None:
        """`screen` alone over the connecting screen."""
        self._clear_to_base()
        self.push_screen(screen)

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def connect(self) -> None:
        # A store on disk may hold the record: it is read before the record is shown. One in memory
        # (--no-store) holds nothing yet: it opens once the record is on screen (`shown`), off the start path.
        later = self.store is None and not self.use_store
        opening = asyncio.ensure_future(self._open_store()) if self.store is None and not later else None
        self._store_due = later
        try:
            if opening is not None:
                await asyncio.sleep(0)  # the store starts opening on its thread before connecting runs (all CPU in the demo)
            client = await self._connect()
        except ZohoError as error:
            self.show_auth_problem(error)
            return
        except Exception as error:  # noqa: BLE001 - a sentence on screen, never a traceback
            self.show_auth_problem(unexpected(error))
            return
        finally:
            if opening is not None:
                self.store = await opening
        self.client, self.stored_only = client, None
        self.directory = OrgDirectory(client)
        self.sessions.clear()
        self._listen_to(client)
        await self._enter_scope(keep_recent=False)
        if self.start is not None:
            module, record_id = self.start
            # With the name: the store's top (or, with no store, Zoho's page one) is read meanwhile, so the record
            # screen draws its rows in its first frame (the screen's own read joins this one).
            session = self.record_session(Record(module, record_id))
            if session.keeper is not None:
                session.restore_early(session.feed())
            elif self.store is None:
                session.load_early(session.feed())
            record = await self.named_record(module, record_id)
            if record is not None:
                await session.early_restore_read(session.feed(), STORE_TOP_PATIENCE_S)
                self.open_record(record)
        else:
            from tui.screens.picker import PickerScreen  # here, not at start: a record opened directly never needs it

            self._show(PickerScreen())

    def _listen_to(self, client: ZohoClient) -> None:
        earlier = client.on_event

        def on_event(event: ConnectionEvent) -> Any:
            self.note_connection(event)
            return earlier(event) if earlier is not None else None

        client.on_event = on_event

    def show_auth_problem(self, error: ZohoError) -> None:
        """Replace everything with the screen that says how to get credentials working."""
        from tui.screens.auth_problem import AuthProblemScreen

        self._show(AuthProblemScreen(error))

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def read_stored(self) -> None:
        """No working credentials: open what the store holds for this profile, offline (nothing is sent).

        The last org whose record was opened, and that record; every call fails at once as a
        connection that never got through, so the record screens say "offline — stored …"."""
        from tui.connect import unreachable_client

        if self.store is None:
            self.store = await self._open_store()
        store = self.store
        scope = await store.run(lambda s: s.latest_scope(self.profile)) if store is not None else None
        if scope is None:
            self.notify(
                f"Nothing is stored for the profile {self.profile!r} yet: emails are kept once a record was read.",
                title="Nothing stored", severity="warning", markup=False,
            )
            return
        self.stored_only = "no credentials: reading what is stored on this machine"
        client = unreachable_client(self.stored_only, clock=self.clock)
        self.client = client
        self.directory = OrgDirectory(client)
        self.sessions.clear()
        self._listen_to(client)
        self.scope = scope
        self.recent_records = await store.run(lambda s: s.recent_records(scope, RECENT_KEPT)) or []
        self.open_record(self.recent_records[0])

    # --- records -----------------------------------------------------------------------

    async def named_record(self, module: str, record_id: str) -> Record | None:
        """The record with its name, or by id alone when the name cannot be fetched.

        None when the credentials were refused (the auth-problem screen is showing then).
        Offline or rate limited, the name is asked again once a later call gets an answer.
        """
        self._name_later = None
        known = self._known_record(module, record_id)
        if known is not None:
            return known  # opened before in this launch, or lately: its name is known
        try:
            record = await self.fetch_named(module, record_id)
        except AuthError as error:
            self.show_auth_problem(error)
            return None
        except Exception as error:  # noqa: BLE001 - the record screen shows its own errors (unknown id, no permission)
            if passing(error):
                self._name_later = (module, record_id)
            record = None
        return record or Record(module, record_id)

    async def fetch_named(self, module: str, record_id: str) -> Record | None:
        """The record with its name; None when Zoho has no such record in `module` (or a custom module
        names its records by no field the module list knows)."""
        assert self.client is not None
        assert self.directory is not None
        name_field = None
        if module not in STANDARD_BY_NAME:
            # A custom module is named by its display field, which only the module list knows.
            custom = next((m for m in await self.directory.modules() if m.api_name == module), None)
            name_field = custom.display_field if custom else None
        if module in STANDARD_BY_NAME or name_field:
            return await self.client.get_record(module, record_id, name_field=name_field)
        return None

    @work(group="name-later", exit_on_error=False)
    async def _name_later_now(self, module: str, record_id: str) -> None:
        """Zoho answers again: fetch the name of the record opened without it, and put it in the header."""
        from tui.screens.record import RecordScreen

        try:
            record = await self.fetch_named(module, record_id)
        except Exception:  # noqa: BLE001 - the id stays in the header; the record screen shows errors of its own
            return
        if record is None or not record.name:
            return
        for screen in self.screen_stack:
            if isinstance(screen, RecordScreen) and (screen.record.module, screen.record.id) == (module, record_id):
                screen.name_record(record)
                self.remember(record)

    def open_record(self, record: Record) -> None:
        """Show `record`; the picker and the old record screen go (their workers with them)."""
        from tui.screens.record import RecordScreen

        self._show(RecordScreen(self.record_session(record)))

    def open_record_at(self, record: Record, message_id: str) -> None:
        """Show `record` with its full list's cursor on `message_id` (a search hit)."""
        from tui.screens.record import RecordScreen
        from tui.session.filters import EmailFilter

        session = self.record_session(record)
        session.filter = EmailFilter()
        session.feed().cursor_id = message_id
        session.feed().scroll_y = 0
        self._show(RecordScreen(session))

    def action_search_everywhere(self) -> None:
        from tui.screens.search import SearchScreen

        if self.client is None:
            self.bell()
            return
        if not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    def record_session(self, record: Record) -> RecordSession:
        """The session of `record`: the one kept from earlier in this launch, or a new one."""
        from tui.session.record import RecordSession

        assert self.client is not None
        key = (self.profile, self._org_key(), record.module, record.id)
        session = self.sessions.get(key)
        if session is None:
            keeper = None
            if self.store and self.scope:
                from tui.session.keeper import RecordKeeper

                keeper = RecordKeeper(self.store, self.scope, record)
            session = RecordSession(self.client, record, clock=self.clock, keeper=keeper)
            self.sessions[key] = session
        elif record.name and record != session.record:
            session.record = record
        return session

    def _known_record(self, module: str, record_id: str) -> Record | None:
        """The named record from this launch's sessions or the recent records; None when its name is unknown."""
        if self.client is not None:
            session = self.sessions.get((self.profile, self._org_key(), module, record_id))
            if session is not None and session.record.name:
                return session.record
        return next((r for r in self.recent_records if (r.module, r.id) == (module, record_id) and r.name), None)

    def _org_key(self) -> str:
        """Which org the connection reads: its API host and Self Client (two orgs never share a session)."""
        assert self.client is not None
        return f"{self.client.api_domain}|{self.client.tokens.client_id}"

    def open_record_by_id(self, module: str, record_id: str) -> None:
        """A pasted id or link: fetch the record's name, then open it."""
        self._open_by_id(module, record_id)

    @work(exclusive=True, group="open-by-id", exit_on_error=False)
    async def _open_by_id(self, module: str, record_id: str) -> None:
        record = await self.named_record(module, record_id)
        if record is not None:
            self.open_record(record)

    # --- the local store -------------------------------------------------------------------

    async def _open_store(self) -> StoreThread | None:
        """The store, or None (memory only) with a sentence saying why; a file moved aside is said too."""
        from tui.session.keeper import StoreThread  # here: a store in memory (--no-store) opens after the first paint

        opening, self._store_opening = self._store_opening, None
        try:
            if opening is not None:
                store = await opening.thread()
            else:
                store = await StoreThread.open(self.store_path, on_disk=self.use_store)
        except Exception as error:
            # The store's modules (and SQLite's) are imported on its thread while this one starts: here only
            # once it failed, when they are loaded already.
            from tui.store.store import StoreError

            if not isinstance(error, StoreError):
                raise
            self._store_off(error.message)
            return None
        store.on_failure = self._store_off
        if store.store.notice:
            self.notify(store.store.notice, title="The local store", severity="warning", timeout=20, markup=False)
        return store

    def _store_off(self, reason: str) -> None:
        self.notify(
            f"{reason} Going on with memory only: nothing more is kept on disk this time.",
            title="The local store is off",
            severity="warning",
            timeout=20,
            markup=False,
        )

    async def _enter_scope(self, *, keep_recent: bool) -> None:
        """This connection's part of the store (profile and org: two orgs never mix), and its recent records
        (`keep_recent`: those opened before the store did are written to it instead)."""
        if self.store is None or self.client is None:
            return
        org_key, label = await self._org_key_for_store()
        early = None if keep_recent else self.store.early_scope(self.profile, org_key, label=label, demo=self.demo)
        if early is not None:  # read before the app knew its org, while Python started
            self.scope, self.recent_records = early.scope, early.recent[:RECENT_KEPT]
            return
        self.scope = await self.store.run(
            lambda store: store.scope(self.profile, org_key, label=label, demo=self.demo)
        )
        if self.scope is None:
            return
        scope = self.scope
        if keep_recent:
            opened = list(reversed(self.recent_records))  # oldest first: the last written is the most recent

            def keep(store: Store) -> None:
                for record in opened:
                    store.remember_record(scope, record.module, record.id, record.name, record.detail, opened=True)

            await self.store.run(keep)
            return
        recent = await self.store.run(lambda store: store.recent_records(scope, RECENT_KEPT))
        self.recent_records = recent or []

    def shown(self) -> None:
        """What the app was opened on is on screen (a record's first page, or the picker): the collector held
        off while it started runs again after this frame, and a store kept in memory opens, keeping what was
        read before it."""
        if startup_gc.held():
            self.call_after_refresh(startup_gc.release)
        if self._store_due:
            self.call_after_refresh(self._store_now)
        if not self._menus_loading:
            self._menus_loading = True
            self.call_after_refresh(_load_menus_behind)

    def _store_now(self) -> None:
        """Open the store kept in memory, unless it is opening or open already."""
        if self._store_due:
            self._store_due = False
            self._store_later = asyncio.get_running_loop().create_future()
            self._open_store_later(self._store_later)

    @property
    def store_opening(self) -> bool:
        """A store kept in memory is still to open (or opening): what needs it waits, and says so."""
        return self._store_due or (self._store_later is not None and not self._store_later.done())

    async def store_when_open(self) -> StoreThread | None:
        """The store, once a store kept in memory has opened (at once if it has not started to)."""
        self._store_now()
        if self._store_later is not None:
            await asyncio.shield(self._store_later)
        return self.store

    @work(group="store-later", exit_on_error=False)
    async def _open_store_later(self, opened: asyncio.Future[None]) -> None:
        try:
            await self._attach_store()
        finally:
            if not opened.done():
                opened.set_result(None)

    async def _attach_store(self) -> None:
        if self.store is not None:
            return  # opened meanwhile (`read_stored`)
        store = await self._open_store()
        if store is None:
            return
        if self.store is not None:  # both opened: keep the first
            await asyncio.to_thread(store.close)
            return
        self.store = store
        await self._enter_scope(keep_recent=True)
        scope = self.scope
        if scope is None:
            return
        from tui.screens.record import RecordScreen
        from tui.session.keeper import RecordKeeper

        for key in list(self.sessions.keys()):
            session = self.sessions.get(key)
            if session is not None:
                session.attach(RecordKeeper(store, scope, session.record))
        for screen in self.screen_stack:
            if isinstance(screen, RecordScreen):
                screen.store_opened()

    async def _org_key_for_store(self) -> tuple[str, str]:
        """The org these credentials reach: its id, asked of Zoho once ever for them and remembered;
        else (no ZohoCRM.org.READ) the API host and client id."""
        assert self.client is not None and self.store is not None
        if self.demo:
            return DEMO_ORG_KEY, DEMO_ORG_LABEL
        fallback = f"{self.client.api_domain}|{self.client.tokens.client_id}"
        from tui.store.store import org_fact

        fact = org_fact(self.client.tokens.fingerprint)
        known = await self.store.run(lambda store: store.recall(fact))
        if known:
            return known, ""
        try:
            org = await self.client.org()
        except AuthError:
            org = None  # no scope for it: the host and client id will do
        except ZohoError:
            return fallback, ""  # not known now: asked again next launch
        key = f"org:{org.id}" if org is not None and org.id else fallback
        await self.store.run(lambda store: store.keep(fact, key))
        return key, (org.company_name or "") if org is not None else ""

    def remember(self, record: Record) -> None:
        """`record` opened: the most recent one now (kept in the store when there is one)."""
        known = next((r for r in self.recent_records if (r.module, r.id) == (record.module, record.id)), None)
        if known is not None and record.name is None:
            record = known  # opened by id while its name could not be read: keep the name known
        others = [r for r in self.recent_records if (r.module, r.id) != (record.module, record.id)]
        self.recent_records = [record, *others][:RECENT_KEPT]
        if self.store is not None and self.scope is not None:
            self._keep_recent(record, self.scope)

    @work(group="recent-save", exit_on_error=False)
    async def _keep_recent(self, record: Record, scope: Scope) -> None:
        assert self.store is not None
        await self.store.run(
            lambda store: store.remember_record(scope, record.module, record.id, record.name, record.detail, opened=True)
        )

    # --- status --------------------------------------------------------------------------

    def note_connection(self, event: ConnectionEvent) -> None:
        """The client tried, waited, gave up or got an answer: the status line says so."""
        from tui.zoho.client import Answered

        self.connection.apply(event)
        if self.client is not None:
            self.api_calls = self.client.calls
        self._update_note()
        if isinstance(event, Answered) and self.connection.ok and self._name_later is not None:
            module, record_id = self._name_later
            self._name_later = None  # once: a second failure leaves the id in the header
            self._name_later_now(module, record_id)

    def _update_note(self) -> None:
        self.connection_note = self.connection.note()

    # --- actions ---------------------------------------------------------------------------

    def action_open_picker(self) -> None:
        from tui.screens.picker import PickerScreen
        from tui.screens.record import RecordScreen

        if self.client is None:
            self.bell()
            return
        # Close help or the like first; the picker goes over the record, so Escape goes back to it.
        while len(self.screen_stack) > 1 and not isinstance(self.screen, (RecordScreen, PickerScreen)):
            self.pop_screen()
        if isinstance(self.screen, PickerScreen):
            self.screen.query_one("#query", Input).focus()
            if self.directory is not None and self.directory.modules_known is None:
                self.screen.load_modules()  # the module list failed to load: try again
        else:
            self.push_screen(PickerScreen())

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen, key_rows, typing_note
        from tui.screens.picker import PickerScreen

        if isinstance(self.screen, HelpScreen):
            return
        screen = self.screen
        group = screen.HELP_GROUP if isinstance(screen, PickerScreen) else "Email"
        rows = key_rows(screen, screen_group=group)
        self.push_screen(HelpScreen(rows, title="Keys on this screen", note=typing_note(screen)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Our palette has its own Quit, and Help lists the keys: no second "Quit" or "Keys".
        for command in super().get_system_commands(screen):
            if command.title not in ("Quit", "Keys"):
                yield command

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_picker", "search_everywhere") and self.client is None:
            return False
        return True

    # --- bugs ------------------------------------------------------------------------------

    def report_bug(self, error: BaseException, where: str) -> None:
        """An unexpected exception in a handler or worker: say so on screen and keep running."""
        import traceback

        self.bugs += 1
        self.log.error(f"bug in {where}:\n" + "".join(traceback.format_exception(error)))
        problem = unexpected(error)
        self.notify(
            f"{problem.message}\n{BUG_HINT} The app goes on.",
            title="This is a bug in crm-emails",
            severity="error",
            timeout=15,
            markup=False,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers catch what they expect and post it; anything that still escapes one is a bug.
        worker = event.worker
        if event.state == WorkerState.ERROR and worker.error is not None:
            self.report_bug(worker.error, f"worker {worker.name or worker.group}")


def run_app(
    connect: Connect,
    *,
    start: tuple[str, str] | None = None,
    demo: bool = False,
    profile: str | None = None,
    use_store: bool = True,
    watch: Watch | None = None,
    watch_bell: bool = False,
    store_opening: StoreOpening | None = None,
) -> int:
    """Run the app in this terminal until the person quits; the exit code."""
    app = CrmEmailsApp(
        connect, start=start, demo=demo, profile=profile, use_store=use_store, watch=watch, watch_bell=watch_bell,
        store_opening=store_opening,
    )
    app.run()
    return app.return_code or 0
