"""Search every stored email of the profile's org: type a query, Enter opens the record at that email.

The same language as `/` in a record (words, "a phrase", from: to: subject: status:
has:attachment before: after: is:, a leading - to leave out), over every record
the local store holds for this connection. One line per hit: the record, the
time, who wrote, the subject. Nothing here calls Zoho.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.render.dates import short_time
from tui.render.safe import one_line
from tui.widgets.access import OnCrmApp, close
from tui.widgets.footer import KeyFooter
from tui.widgets.guard import guarded
from tui.widgets.status_line import StatusLine
from tui.zoho.catalog import STANDARD_BY_NAME
from tui.zoho.models import Record, parse_time
from tui.widgets.header import AppHeader

HITS_SHOWN = 200


def hit_rows(hits, now) -> list[Table]:
    """One line per hit: record (module), time, sender, subject; cut with "…", lined up."""
    rows = []
    for hit in hits:
        standard = STANDARD_BY_NAME.get(hit.module)
        module = standard.singular if standard else one_line(hit.module)
        record = Text(one_line(hit.record_name or hit.record_id), style="bold")
        record.append(f" · {module}", style="dim")
        when = parse_time(hit.time)
        row = Table.grid(padding=(0, 2), expand=True)
        row.add_column(width=28, no_wrap=True, overflow="ellipsis")
        row.add_column(width=12, no_wrap=True)
        row.add_column(width=18, no_wrap=True, overflow="ellipsis")
        row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        row.add_row(
            record,
            Text(short_time(when, now=now) if when else "—", style="dim"),
            Text(one_line(hit.sender) or "—"),
            Text(one_line(hit.subject) or "(no subject)"),
        )
        rows.append(row)
    return rows


class SearchScreen(OnCrmApp, Screen[None]):
    """Every stored email of this org, searched as you type."""

    HELP_GROUP = "Search"

    BINDINGS = [
        Binding("escape", "close", "Back", id="search_screen.close"),
        Binding("down", "hits('down')", "Next hit", show=False, id="search_screen.next"),
        Binding("up", "hits('up')", "Previous hit", show=False, id="search_screen.previous"),
    ]

    DEFAULT_CSS = """
    SearchScreen #search-body {
        height: 1fr;
        background: $surface;
    }
    SearchScreen #everywhere {
        border: round $primary;
        border-title-color: $text;
    }
    SearchScreen #search-summary {
        color: $text-muted;
        padding: 0 1;
        height: 1;
    }
    SearchScreen #search-summary.-error {
        color: $text-error;
    }
    SearchScreen #hits {
        height: 1fr;
        border: round $primary 50%;
    }
    """

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.hits: list = []

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with Vertical(id="search-body"):
            box = Input(value=self.initial, placeholder='words, "a phrase", from: to: subject: status: has:attachment before: after:', id="everywhere")
            box.border_title = "Search every stored email"
            yield box
            yield Static(id="search-summary", markup=False)
            yield OptionList(id="hits")
        yield StatusLine("search")
        yield KeyFooter()

    @guarded
    def on_mount(self) -> None:
        self.query_one("#everywhere", Input).focus()
        if self.crm.store_opening:
            self._say("Opening the local store…")
            self._open_store()  # one kept in memory opens after the first paint: it may not have yet
        else:
            self._ready()

    @work(group="store", exit_on_error=False)
    async def _open_store(self) -> None:
        await self.crm.store_when_open()
        self._ready()

    def _ready(self) -> None:
        store = self.crm.store
        if store is None or self.crm.scope is None:
            why = f": {store.failed}" if store is not None and store.failed else ""
            self._say(f"Search reads the local store, which is off{why}.", error=True)
        elif (typed := self.query_one("#everywhere", Input).value).strip():
            self._search(typed)  # given on the command line, or typed while the store opened
        else:
            self._say("Type to search every email stored for this org.")

    def _say(self, text: str, *, error: bool = False) -> None:
        summary = self.query_one("#search-summary", Static)
        summary.set_class(error, "-error")
        summary.update(Text(text, no_wrap=True, overflow="ellipsis"))

    @on(Input.Changed, "#everywhere")
    @guarded
    def _typed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self._search(event.value)
        else:
            self.workers.cancel_group(self, "search")
            self._show([], "Type to search every email stored for this org.")

    @work(group="search", exclusive=True, exit_on_error=False)
    async def _search(self, text: str) -> None:
        from tui.store.query import QueryError, parse

        store, scope = self.crm.store, self.crm.scope
        if store is None or scope is None:
            return
        try:
            query = parse(text)
        except QueryError as error:
            self._say(str(error), error=True)
            return
        result = await store.run(lambda s: s.search(scope, query, limit=HITS_SHOWN))
        if result is None:
            self._say(f"The local store is off: {store.failed}", error=True)
            return
        if not result.total:
            summary = f"No stored email matches, among {result.stored:,}."
        else:
            summary = f"{result.total:,} of {result.stored:,} stored emails match"
            if result.total > len(result.hits):
                summary += f" (the newest {len(result.hits):,} shown)"
            summary += " · Enter opens the record at that email"
        self._show(result.hits, summary)

    def _show(self, hits: list, summary: str) -> None:
        self.hits = list(hits)
        results = self.query_one("#hits", OptionList)
        with self.app.batch_update():
            results.clear_options()
            now = self.crm.clock.now()
            results.add_options([Option(row) for row in hit_rows(self.hits, now)])
            if self.hits:
                results.highlighted = 0
        self._say(summary)

    @on(Input.Submitted, "#everywhere")
    @guarded
    def _submitted(self, event: Input.Submitted) -> None:
        results = self.query_one("#hits", OptionList)
        if results.highlighted is not None:
            self._open(results.highlighted)

    @on(OptionList.OptionSelected, "#hits")
    @guarded
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_index)

    def _open(self, index: int) -> None:
        if not 0 <= index < len(self.hits):
            return
        hit = self.hits[index]
        self.crm.open_record_at(Record(hit.module, hit.record_id, hit.record_name), hit.message_id)

    @guarded
    def action_hits(self, direction: str) -> None:
        results = self.query_one("#hits", OptionList)
        (results.action_cursor_down if direction == "down" else results.action_cursor_up)()

    @guarded
    def action_close(self) -> None:
        close(self, None)
