"""Find the record to read: pick a module, type part of a name (or paste an id or CRM link), press Enter.

Before anything is typed the list shows the records opened lately; with none, the
module's first records. Typing searches after a short pause, one search at a time,
the newest winning. Everything the server sends is shown as plain `Text`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.render.safe import one_line
from tui.widgets.access import OnCrmApp, StyledAtMount, close
from tui.widgets.error_panel import ErrorPanel, unexpected
from tui.widgets.footer import KeyFooter
from tui.widgets.guard import guarded
from tui.widgets.status_line import StatusLine
from tui.zoho.catalog import STANDARD_BY_NAME
from tui.zoho.client import standard_modules
from tui.session.backoff import passing
from tui.zoho.errors import AuthError, ZohoError
from tui.zoho.links import is_record_id, parse_record_url
from tui.zoho.models import Module, Record
from tui.widgets.header import AppHeader

# Long enough that typing a name makes one search, short enough to feel immediate.
SEARCH_DELAY_S = 0.3
MIN_SEARCH_LENGTH = 2
NAME_COLUMN_MAX = 32
SCOPE_FALLBACK_CODES = ("OAUTH_SCOPE_MISMATCH", "NO_PERMISSION")


def module_name_field(module: Module) -> str | None:
    """The field to search and list by: the client knows the standard ones, custom modules name theirs."""
    return None if module.api_name in STANDARD_BY_NAME else module.display_field


def singular(module: Module) -> str:
    return module.singular_label or module.label


def record_rows(records: list[Record], *, modules: dict[str, Module] | None = None) -> list[Table]:
    """One line per record: its name, its identifying field, and (for recents) its module.

    Each row is a one-line grid with the same column widths, so the columns line up and
    Rich cuts what does not fit with an ellipsis instead of wrapping, whatever the width.
    """
    names = [Text(one_line(r.display), style="bold" if r.name else "italic") for r in records]
    details = [Text(one_line(r.detail), style="dim") for r in records]
    labels = []
    if modules is not None:
        for record in records:
            module = modules.get(record.module)
            labels.append(Text(one_line(singular(module) if module else record.module), style="italic dim"))
    name_width = min(max((n.cell_len for n in names), default=1), NAME_COLUMN_MAX)
    label_width = max((label.cell_len for label in labels), default=0)
    rows = []
    for index, name in enumerate(names):
        row = Table.grid(padding=(0, 2), expand=True)
        row.add_column(width=name_width, no_wrap=True, overflow="ellipsis")
        row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        cells = [name, details[index]]
        if labels:
            row.add_column(width=label_width, no_wrap=True, overflow="ellipsis", justify="right")
            cells.append(labels[index])
        row.add_row(*cells)
        rows.append(row)
    return rows


@dataclass(frozen=True, slots=True)
class TryIn:
    """A row that offers to look for a pasted record id in another module (one API call)."""

    module: Module
    record_id: str


# What a row of the results stands for: a record to open, an offer, or a module's heading (None).
Choice = Record | TryIn | None


def heading_row(module: Module, found: list[Record] | ZohoError) -> Text:
    """A module's line above its records when every module is searched: "Contacts · 3", or why it failed."""
    label = one_line(module.label)
    if isinstance(found, ZohoError):
        said = f"could not search: {one_line(found.code)}"
    else:
        said = f"{len(found)}{'+' if len(found) >= 20 else ''}"
    # One Text with the label styled by span: a second span's leading space was dropped when drawn.
    text = Text(f"{label} · {said}", style="dim")
    text.stylize("bold", 0, len(label))
    return text


def offer_row(offer: TryIn) -> Text:
    """"Contacts · look here (1 API call)"."""
    label = one_line(offer.module.label)
    text = Text(f"{label} · look here (1 API call)", style="dim", no_wrap=True, overflow="ellipsis")
    text.stylize("bold not dim", 0, len(label))
    return text


class SearchBox(Input):
    """The search box: up/down move in the results below it, as in a browser's address bar."""

    BINDINGS = [
        Binding("enter", "submit", "Open", id="picker.open"),
        Binding("down", "screen.results_cursor('down')", "Next result", show=False, id="picker.next"),
        Binding("up", "screen.results_cursor('up')", "Previous result", show=False, id="picker.previous"),
        Binding("pagedown", "screen.results_cursor('page_down')", "Results page down", show=False, id="picker.page_down"),
        Binding("pageup", "screen.results_cursor('page_up')", "Results page up", show=False, id="picker.page_up"),
    ]


class PickerScreen(OnCrmApp, StyledAtMount, Screen[None]):
    """Module list on the left; the search box and the matching records on the right."""

    HELP_GROUP = "Record picker"

    DEFAULT_CSS = """
    PickerScreen #body {
        height: 1fr;
        background: $surface;  /* one colour behind the boxes, the note and the empty corner */
    }
    PickerScreen #module-pane {
        width: 26;
        height: 1fr;
    }
    PickerScreen #modules {
        height: auto;
        max-height: 1fr;
        border: round $primary 50%;
        border-title-color: $text-muted;
    }
    PickerScreen #modules:focus {
        border: round $primary;
        border-title-color: $text;
    }
    PickerScreen #modules-note {
        color: $text-muted;
        padding: 0 1;
        height: auto;
    }
    PickerScreen #find {
        width: 1fr;
        height: 1fr;
    }
    PickerScreen #query {
        border: round $primary 50%;
        border-title-color: $text-muted;
    }
    PickerScreen #query:focus {
        border: round $primary;
        border-title-color: $text;
    }
    PickerScreen #note {
        color: $text-muted;
        padding: 0 1;
        height: 1;
    }
    PickerScreen #results {
        height: 1fr;
        border: round $primary 50%;
        border-title-color: $text-muted;
    }
    PickerScreen #results:focus {
        border: round $primary;
        border-title-color: $text;
    }
    PickerScreen ErrorPanel {
        margin: 0;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Back to record", id="picker.close"),
        Binding("tab", "app.focus_next", "Next pane", id="picker.next_pane"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="picker.previous_pane"),
        Binding("f1", "app.help", "Help", id="picker.help"),
        # q types into the search box: the footer says how to quit here.
        Binding("ctrl+q", "app.quit", "Quit", priority=True, id="picker.quit"),
        Binding("ctrl+s", "toggle_everywhere", "All modules", id="picker.all_modules"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.modules: list[Module] = []
        self.module: Module = standard_modules()[0]
        self.records: list[Record] = []
        # What each row of the results stands for (records, headings, offers), row by row.
        self.choices: list[Choice] = []
        # ctrl+s: a search looks in every module at once (one call each), the results grouped by module.
        self.everywhere = False
        # (module, query) the listed records answer; query "" for recents or a module's first records.
        self._listed_for: tuple[str, str] = ("", "")
        self._showing_recent = False
        # Set by the person moving in the module list: then an empty box browses the module, not recents.
        self._browsing_module = False

    # --- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Horizontal(id="body"):
            with Vertical(id="module-pane"):
                modules = OptionList(id="modules")
                modules.border_title = "Module"
                yield modules
                yield Static(id="modules-note")
            with Vertical(id="find"):
                query = SearchBox(id="query", placeholder=self._placeholder())
                query.border_title = "Find a record"
                yield query
                yield Static(id="note")
                yield ErrorPanel(id="error")
                results = OptionList(id="results")
                results.border_title = "Records"
                yield results
        yield StatusLine("pick a record")
        yield KeyFooter()

    def _placeholder(self) -> str:
        where = "every module" if self.everywhere else self.module.label
        return f"Search {where} · or paste a record id or link"

    @guarded
    def on_mount(self) -> None:
        query = self.query_one("#query", Input)
        query.focus()
        recent = self.recent_records
        if recent:
            known = STANDARD_BY_NAME.get(recent[0].module)
            if known is not None:
                self.module = next(m for m in standard_modules() if m.api_name == known.api_name)
        self._show_modules([self.module])
        self.load_modules()
        self.show_empty_query()
        self.crm.shown()

    @property
    def recent_records(self) -> list[Record]:
        return list(self.crm.recent_records)

    # --- modules -----------------------------------------------------------------------

    @work(exclusive=True, group="modules", exit_on_error=False)
    async def load_modules(self) -> None:
        note = self.query_one("#modules-note", Static)
        directory = self.crm.directory
        if directory is None:
            return
        try:
            modules = await directory.modules()
        except AuthError as error:
            self.crm.show_auth_problem(error)
            return
        except ZohoError as error:
            if error.code in SCOPE_FALLBACK_CODES:
                modules = standard_modules()
            else:
                self.query_one(ErrorPanel).show_error(error, title="Could not list the modules")
                modules = standard_modules()
                note.update(Text("The standard modules only: the module list could not be read (o tries again).", style="dim"))
                self._show_modules(modules)
                return
        except Exception as error:  # noqa: BLE001 - a bug still gets a sentence, not a traceback
            self.query_one(ErrorPanel).show_error(unexpected(error))
            modules = standard_modules()
        if modules == standard_modules():
            # The client falls back to these when the settings scope or permission is missing.
            note.update(Text("Standard modules only: no access to the module settings.", style="dim"))
        self._show_modules(modules or standard_modules())
        if self.query_one(ErrorPanel).error is not None:
            # Zoho answers again: redo what failed with it.
            self._query_changed(self.query_one("#query", Input).value, delay=0.0)
        elif self._showing_recent:
            # Recent records of custom modules can now say which module they are in.
            results = self.query_one("#results", OptionList)
            self._show_records(self.records, with_modules=True, highlight=results.highlighted or 0)

    def _show_modules(self, modules: list[Module]) -> None:
        self.modules = modules
        chosen = next((m for m in modules if m.api_name == self.module.api_name), modules[0])
        self.module = chosen
        option_list = self.query_one("#modules", OptionList)
        prompts = []
        for module in modules:
            prompt = Text(one_line(module.label), no_wrap=True, overflow="ellipsis")
            if module.is_custom:
                prompt.append("  custom", style="dim")
            prompts.append(Option(prompt, id=module.api_name))
        # Highlight messages of this refill (the first option, then the chosen one) are not the person
        # moving: without `prevent`, a late one chose a module and the recent records gave way to it.
        with self.app.batch_update(), self.prevent(OptionList.OptionHighlighted):
            option_list.clear_options()
            option_list.add_options(prompts)
            option_list.highlighted = modules.index(chosen)

    @on(OptionList.OptionHighlighted, "#modules")
    @guarded
    def _module_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # By the option's id, not its index: a message sent for the list before the module list loaded
        # names a row of that shorter list.
        module = next((m for m in self.modules if m.api_name == event.option.id), None)
        if module is None or module.api_name == self.module.api_name:
            return
        self.module = module
        self._browsing_module = True
        query = self.query_one("#query", Input)
        query.placeholder = self._placeholder()
        text = query.value.strip()
        if self.everywhere and text and not is_record_id(text):
            return  # every module is searched already: the chosen one matters only for a pasted id
        self._query_changed(query.value, delay=SEARCH_DELAY_S)

    @on(OptionList.OptionSelected, "#modules")
    @guarded
    def _module_chosen(self) -> None:
        self.query_one("#query", Input).focus()

    # --- typing, searching -----------------------------------------------------------

    @on(Input.Changed, "#query")
    @guarded
    def _typed(self, event: Input.Changed) -> None:
        self._query_changed(event.value, delay=SEARCH_DELAY_S)

    def _query_changed(self, value: str, *, delay: float) -> None:
        text = value.strip()
        if not text:
            self.workers.cancel_group(self, "find")
            self.show_empty_query()
        elif len(text) < MIN_SEARCH_LENGTH:
            self.workers.cancel_group(self, "find")
            self._set_note(f"Type at least {MIN_SEARCH_LENGTH} characters to search {self.module.label}.")
        else:
            self.find(text, self.module, delay=delay)

    def show_empty_query(self) -> None:
        """Recent records, or the module's first records when there are none (or a module was chosen)."""
        self.query_one(ErrorPanel).clear_error()
        recent = self.recent_records
        if recent and not self._browsing_module:
            self._show_records(recent, with_modules=True)
            self._set_note(f"Recent records · {self._scope_hint()}")
            return
        directory = self.crm.directory
        cached = directory.first_records_known(self.module.api_name) if directory else None
        if cached is not None:
            self._show_first_records(cached)
        else:
            self.browse(self.module, delay=SEARCH_DELAY_S if self._browsing_module else 0.0)

    def _scope_hint(self) -> str:
        return "ctrl+s: one module" if self.everywhere else "ctrl+s: every module"

    def _show_first_records(self, records: list[Record]) -> None:
        self._show_records(records)
        if records:
            self._set_note(f"The first {self.module.label} · {self._scope_hint()}")
        else:
            self._set_note(f"No {self.module.label} yet.")

    @work(exclusive=True, group="find", exit_on_error=False)
    async def browse(self, module: Module, *, delay: float = 0.0) -> None:
        if delay:
            await self.crm.clock.sleep(delay)
        directory = self.crm.directory
        if directory is None:
            return
        self._set_note(f"Loading {module.label}…")
        try:
            records = await directory.first_records(module.api_name, module_name_field(module))
        except Exception as error:  # noqa: BLE001
            self._show_error(error, title=f"Could not list {module.label}")
            return
        if module.api_name == self.module.api_name and not self.query_one("#query", Input).value.strip():
            self.query_one(ErrorPanel).clear_error()
            self._show_first_records(records)

    @work(exclusive=True, group="find", exit_on_error=False)
    async def find(self, text: str, module: Module, *, delay: float = 0.0, open_first: bool = False) -> None:
        """After `delay` without another keystroke: open a pasted id or link, else search."""
        if delay:
            await self.crm.clock.sleep(delay)
        if self._open_link(text):
            return
        if is_record_id(text):
            await self._try_id(text.strip(), module, tried=())
            return
        client = self.crm.client
        if client is None:
            return
        if self.everywhere:
            await self._find_everywhere(text, open_first=open_first)
            return
        self._set_note(f"Searching {module.label} for “{one_line(text)}”…")
        try:
            records = await client.search_records(module.api_name, text, name_field=module_name_field(module))
        except Exception as error:  # noqa: BLE001
            self._show_error(error, title="Search failed")
            return
        self.query_one(ErrorPanel).clear_error()
        self._show_records(records, listed_for=(module.api_name, text))
        if records and open_first:
            self.crm.open_record(records[0])
        elif records:
            more = " (the first 20: type more to narrow)" if len(records) >= 20 else ""
            found = f"1 {singular(module)} matches" if len(records) == 1 else f"{len(records)} {module.label} match"
            self._set_note(f"{found} “{one_line(text)}”{more}")
        else:
            self._set_note(f"No {module.label} match “{one_line(text)}” · shift+tab: another module")

    def _open_link(self, text: str) -> bool:
        """A CRM link names its own module: open it."""
        target = parse_record_url(text, self.modules)
        if target is None:
            return False
        module, record_id = target
        self._set_note(f"Opening {module} record {record_id}…")
        self.crm.open_record_by_id(module, record_id)
        return True

    # --- a pasted id ------------------------------------------------------------------

    async def _try_id(self, record_id: str, module: Module, *, tried: tuple[str, ...]) -> None:
        """Look for `record_id` in `module` (one call): open it when it is there, else offer the other modules.

        Zoho answers a record id of another module with no record (HTTP 204), and the emails of one with
        INVALID_DATA: asking first is what tells the two apart."""
        known = next((r for r in self.recent_records if (r.module, r.id) == (module.api_name, record_id)), None)
        if known is not None and known.name:
            self.crm.open_record(known)  # opened lately: its name is known, no call
            return
        self._set_note(f"Looking for {record_id} in {module.label}…")
        try:
            record = await self.crm.fetch_named(module.api_name, record_id)
        except AuthError as error:
            self.crm.show_auth_problem(error)
            return
        except ZohoError as error:
            if passing(error):  # offline or rate limited: the record screen retries by itself
                self.crm.open_record(Record(module.api_name, record_id))
            else:
                self._show_error(error, title=f"Could not look for {record_id} in {module.label}")
            return
        except Exception as error:  # noqa: BLE001 - a bug still gets a sentence, not a traceback
            self._show_error(error, title=f"Could not look for {record_id} in {module.label}")
            return
        if record is not None:
            self.crm.open_record(record)
            return
        if module.api_name not in STANDARD_BY_NAME and not module.display_field:
            self.crm.open_record(Record(module.api_name, record_id))  # this module cannot be asked by name
            return
        self._offer_modules(record_id, tried=(*tried, module.api_name))

    def _offer_modules(self, record_id: str, *, tried: tuple[str, ...]) -> None:
        """No record `record_id` in the modules tried: each other module as a row to try it in."""
        self.query_one(ErrorPanel).clear_error()
        self._tried = tried
        offers: list[Choice] = [TryIn(m, record_id) for m in self.modules if m.api_name not in tried]
        names = {m.api_name: m.label for m in self.modules}
        self._show_choices(offers, [offer_row(o) for o in offers if isinstance(o, TryIn)], listed_for=("", record_id))
        if not offers:
            self._set_note(f"No record has the id {record_id} in any module.")
        elif len(tried) == 1:
            first = next((m for m in self.modules if m.api_name == tried[0]), None)
            self._set_note(f"Not a {singular(first) if first else tried[0]}: which module is {record_id} in?")
        else:
            self._set_note(f"Not in {' or '.join(names.get(t, t) for t in tried)} either: which module is it in?")

    _tried: tuple[str, ...] = ()

    # --- every module at once ----------------------------------------------------------

    @guarded
    def action_toggle_everywhere(self) -> None:
        self.everywhere = not self.everywhere
        query = self.query_one("#query", Input)
        query.placeholder = self._placeholder()
        self.query_one("#modules", OptionList).border_title = "All modules" if self.everywhere else "Module"
        if len(query.value.strip()) >= MIN_SEARCH_LENGTH:
            self._query_changed(query.value, delay=0.0)
        else:
            count = len(self.modules)
            self._set_note(
                f"Typing searches all {count} modules: {count} API calls a search · ctrl+s: one module"
                if self.everywhere
                else f"Typing searches {self.module.label} · ctrl+s: every module"
            )

    async def _find_everywhere(self, text: str, *, open_first: bool = False) -> None:
        """One search per module, side by side within the client's limit on calls at once; grouped by module."""
        client = self.crm.client
        assert client is not None
        modules = list(self.modules)
        calls = len(modules)
        self._set_note(f"Searching {calls} modules for “{one_line(text)}”: {calls} API calls…")

        async def search(module: Module) -> list[Record] | ZohoError:
            try:
                return await client.search_records(module.api_name, text, name_field=module_name_field(module))
            except AuthError:
                raise
            except ZohoError as error:
                return error
            except Exception as error:  # noqa: BLE001 - one module's bug must not hide the others
                return unexpected(error)

        try:
            found = await asyncio.gather(*(search(m) for m in modules))
        except AuthError as error:
            self.crm.show_auth_problem(error)
            return
        self.query_one(ErrorPanel).clear_error()
        choices: list[Choice] = []
        rows: list[Text | Table] = []
        for module, result in zip(modules, found):
            if isinstance(result, list) and not result:
                continue  # a module with no match takes no room
            choices.append(None)
            rows.append(heading_row(module, result))
            if isinstance(result, list):
                choices.extend(result)
                rows.extend(record_rows(result))
        self._show_choices(choices, rows, listed_for=("*", text))
        if open_first and self.records:
            self.crm.open_record(self.records[0])
            return
        matched = [r for r in found if isinstance(r, list) and r]
        total = sum(len(r) for r in matched)
        failed = sum(1 for r in found if isinstance(r, ZohoError))
        could_not = f"; {failed} could not be searched" if failed else ""
        if total:
            self._set_note(f"{total} in {len(matched)} of {calls} modules match “{one_line(text)}” · {calls} API calls{could_not}")
        else:
            self._set_note(f"No record in {calls} modules matches “{one_line(text)}” · {calls} API calls{could_not}")

    def _show_error(self, error: Exception, *, title: str) -> None:
        zoho_error = error if isinstance(error, ZohoError) else unexpected(error)
        self.query_one(ErrorPanel).show_error(zoho_error, title=title)
        self._set_note("")

    def _set_note(self, text: str) -> None:
        self.query_one("#note", Static).update(Text(text, no_wrap=True, overflow="ellipsis"))

    def _show_records(
        self,
        records: list[Record],
        *,
        with_modules: bool = False,
        listed_for: tuple[str, str] = ("", ""),
        highlight: int = 0,
    ) -> None:
        self.records = list(records)
        self._listed_for = listed_for
        self._showing_recent = with_modules
        # The standard modules are known before the module list loads; custom ones after.
        modules = {m.api_name: m for m in (*standard_modules(), *self.modules)} if with_modules else None
        self._fill_results(list(self.records), record_rows(self.records, modules=modules), highlight=highlight)

    def _show_choices(self, choices: list[Choice], rows: list, *, listed_for: tuple[str, str]) -> None:
        """Rows that are not all records (headings, offers); `choices` says what each one is."""
        self.records = [c for c in choices if isinstance(c, Record)]
        self._listed_for = listed_for
        self._showing_recent = False
        self._fill_results(choices, rows)

    def _fill_results(self, choices: list[Choice], rows: list, *, highlight: int = 0) -> None:
        self.choices = choices
        options = [Option(row, disabled=choice is None) for choice, row in zip(choices, rows)]
        results = self.query_one("#results", OptionList)
        with self.app.batch_update():
            results.clear_options()
            results.add_options(options)
            selectable = [i for i, c in enumerate(choices) if c is not None]
            if selectable:
                results.highlighted = next((i for i in selectable if i >= highlight), selectable[0])

    def _choose(self, index: int | None) -> None:
        """Open the record of row `index`, or look for a pasted id in the module it offers."""
        if index is None or index >= len(self.choices):
            return
        choice = self.choices[index]
        if isinstance(choice, Record):
            self.crm.open_record(choice)
        elif isinstance(choice, TryIn):
            self.try_in(choice)

    @work(exclusive=True, group="find", exit_on_error=False)
    async def try_in(self, offer: TryIn) -> None:
        await self._try_id(offer.record_id, offer.module, tried=self._tried)

    # --- opening ----------------------------------------------------------------------

    @on(Input.Submitted, "#query")
    @guarded
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text and self._open_link(text):
            self.workers.cancel_group(self, "find")
            return
        listed = ("*" if self.everywhere else self.module.api_name, text)
        if is_record_id(text) and self._listed_for != ("", text):
            self.find(text, self.module)  # look for the id now
            return
        if listed != self._listed_for and not is_record_id(text) and len(text) >= MIN_SEARCH_LENGTH:
            # Enter before the pause ended: search now and open the best match.
            self.find(text, self.module, open_first=True)
            return
        self._choose(self.query_one("#results", OptionList).highlighted)

    @on(OptionList.OptionSelected, "#results")
    @guarded
    def _result_chosen(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option_index)

    # --- keys -------------------------------------------------------------------------

    @guarded
    def action_results_cursor(self, direction: str) -> None:
        results = self.query_one("#results", OptionList)
        move = {
            "up": results.action_cursor_up,
            "down": results.action_cursor_down,
            "page_up": results.action_page_up,
            "page_down": results.action_page_down,
        }[direction]
        move()

    @guarded
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            # Escape goes back to the record under the picker, when there is one.
            from tui.screens.record import RecordScreen

            stack = self.app.screen_stack
            return len(stack) > 1 and stack[-1] is self and isinstance(stack[-2], RecordScreen)
        return True

    @guarded
    def action_close(self) -> None:
        close(self, None)
