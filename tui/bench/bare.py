"""The plain-Textual baselines: a DataTable app and a DataTable screen, nothing of crm-emails in them.

`python -m tui.bench.bare SUBJECT...` is the first-paint baseline: a bare Textual app that
paints a 10-row DataTable (one row per subject given), as `crm-emails --demo` paints page one.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable

COLUMNS = ("Time", "From", "To", "Subject", "Status", "")


class TableScreen(Screen[None]):
    """A full-screen DataTable of `rows` (tuples of strings), its cursor on `cursor_row`."""

    def __init__(self, rows: Sequence[Sequence[str]], cursor_row: int = 0) -> None:
        super().__init__()
        self.rows = rows
        self.cursor_row = cursor_row

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.add_rows(self.rows)
        table.move_cursor(row=self.cursor_row, animate=False)
        table.focus()


class TableApp(App[None]):
    def __init__(self, rows: Sequence[Sequence[str]]) -> None:
        super().__init__()
        self.rows = rows

    def get_default_screen(self) -> Screen[None]:
        return TableScreen(self.rows)


def main(argv: Sequence[str]) -> None:
    rows = [("Nov 20 06:44", "Ada Lovelace", "Patricia Boyle", subject, "opened ×2", "") for subject in argv]
    TableApp(rows[:10]).run()


if __name__ == "__main__":
    main(sys.argv[1:])
