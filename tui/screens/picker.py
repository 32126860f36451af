"""Find the record to read: pick a module, type part of a name (or paste an id or CRM link), press Enter.

Before anything is typed the list shows the records opened lately; with none, the
module's first records. Typing searches after a short pause, one search at a time,
the newest winning. Everything the server sends is shown as plain `Text`.
"""

from __future__ import annotations


from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.render.safe import one_line
from tui.widgets.access import OnCrmApp, close
from tui.widgets.error_panel import ErrorPanel, unexpected
from tui.widgets.footer import KeyFooter
from tui.widgets.guard import guarded
from tui.widgets.status_line import StatusLine
from tui.zoho.catalog import STANDARD_BY_NAME
from tui.zoho.client import standard_modules
from tui.zoho.errors import AuthError, ZohoError
from tui.zoho.links import is_record_id, parse_record_url
from tui.zoho.models import Module, Record

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


class SearchBox(Input):
    """The search box: up/down move in the results below it, as in a browser's address bar."""

    BINDINGS = [
        Binding("enter", "submit", "Open", id="picker.open"),
        Binding("down", "screen.results_cursor('down')", "Next result", show=False, id="picker.next"),
        Binding("up", "screen.results_cursor('up')", "Previous result", show=False, id="picker.previous"),
        Binding("pagedown", "screen.results_cursor('page_down')", "Results page down", show=False, id="picker.page_down"),
        Binding("pageup", "screen.results_cursor('page_up')", "Results page up", show=False, id="picker.page_up"),
    ]


class PickerScreen(OnCrmApp, Screen[None]):
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
    ]

    def __init__(self) -> None:
        super().__init__()
        self.modules: list[Module] = []
        self.module: Module = standard_modules()[0]
        self.records: list[Record] = []
        # (module, query) the listed records answer; query "" for recents or a module's first records.
        self._listed_for: tuple[str, str] = ("", "")
        self._showing_recent = False
        # Set by the person moving in the module list: then an empty box browses the module, not recents.
        self._browsing_module = False

    # --- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
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
        return f"Search {self.module.label} · or paste a record id or link"

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
        with self.app.batch_update():
            option_list.clear_options()
            option_list.add_options(prompts)
            # Its highlight message names the module already chosen, so it changes nothing.
            option_list.highlighted = modules.index(chosen)

    @on(OptionList.OptionHighlighted, "#modules")
    @guarded
    def _module_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index >= len(self.modules):
            return
        module = self.modules[event.option_index]
        if module.api_name == self.module.api_name:
            return
        self.module = module
        self._browsing_module = True
        query = self.query_one("#query", Input)
        query.placeholder = self._placeholder()
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
            self._set_note("Recent records · type to search")
            return
        directory = self.crm.directory
        cached = directory.first_records_known(self.module.api_name) if directory else None
        if cached is not None:
            self._show_first_records(cached)
        else:
            self.browse(self.module, delay=SEARCH_DELAY_S if self._browsing_module else 0.0)

    def _show_first_records(self, records: list[Record]) -> None:
        self._show_records(records)
        if records:
            self._set_note(f"The first {self.module.label} · type to search")
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
        if self._open_pasted(text):
            return
        self._set_note(f"Searching {module.label} for “{one_line(text)}”…")
        client = self.crm.client
        if client is None:
            return
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

    def _open_pasted(self, text: str) -> bool:
        """A record id opens in the chosen module; a CRM link names its own module."""
        if is_record_id(text):
            target = (self.module.api_name, text.strip())
        else:
            target = parse_record_url(text, self.modules)
        if target is None:
            return False
        module, record_id = target
        self._set_note(f"Opening {module} record {record_id}…")
        self.crm.open_record_by_id(module, record_id)
        return True

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
        results = self.query_one("#results", OptionList)
        with self.app.batch_update():
            results.clear_options()
            results.add_options(record_rows(self.records, modules=modules))
            if self.records:
                results.highlighted = min(highlight, len(self.records) - 1)

    # --- opening ----------------------------------------------------------------------

    @on(Input.Submitted, "#query")
    @guarded
    def _submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text and self._open_pasted(text):
            self.workers.cancel_group(self, "find")
            return
        if (self.module.api_name, text) != self._listed_for and len(text) >= MIN_SEARCH_LENGTH:
            # Enter before the pause ended: search now and open the best match.
            self.find(text, self.module, open_first=True)
            return
        results = self.query_one("#results", OptionList)
        if results.highlighted is not None and results.highlighted < len(self.records):
            self.crm.open_record(self.records[results.highlighted])

    @on(OptionList.OptionSelected, "#results")
    @guarded
    def _result_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option_index < len(self.records):
            self.crm.open_record(self.records[event.option_index])

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
