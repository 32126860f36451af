"""`?`: every key that works on the screen it was opened from, grouped, and what the statuses mean.

The keys are read from the screen's active bindings when help opens, so a binding
added anywhere (with a description) shows up here without touching this file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from tui.widgets.access import close
from tui.widgets.footer import KeyFooter
from tui.widgets.guard import guarded
from tui.widgets.keyed_scroll import KeyedScroll

NAVIGATION = "Navigation"
APP = "App"
# Actions that move the cursor, the focus or the view rather than act on an email.
_NAVIGATION_WORDS = frozenset(
    "cursor scroll page first last top bottom home end focus select next prev previous up down left right "
    "back close dismiss pane minimize maximize".split()
)
# Built-in left/right keys of lists and text views: listed only where they can move something.
_SIDEWAYS = frozenset("cursor_left cursor_right scroll_left scroll_right page_left page_right".split())

STATUS_NOTES: tuple[tuple[str, str], ...] = (
    ("sent", "left the CRM; no open seen yet (or tracking is off)"),
    ("opened×N", "opened N times; the detail shows the first and last open"),
    ("clicked×N", "a link in it was clicked N times"),
    ("delivered", "the recipient's mail server accepted it"),
    ("received", "came in to the mailbox (user emails)"),
    ("bounced", "did not arrive (red); the detail pane says why"),
    ("failed", "could not be sent (red, like bounced)"),
    ("scheduled / draft", "not sent yet"),
    ("✓ ⚑ ☐", "your marks (m): done, flagged, to do; kept on this machine only"),
    ("3 of 60 triaged", "how many emails of the list carry a mark"),
    ("API calls: N", "requests to Zoho this session; each costs a credit"),
    ("offline — retrying", "Zoho unreachable or rate limiting; retried by itself"),
    ("DEMO", "built-in sample data; nothing goes to Zoho"),
)


@dataclass(frozen=True, slots=True)
class KeyRow:
    group: str
    keys: str
    description: str
    enabled: bool = True


def is_navigation(action: str) -> bool:
    """`cursor_down`, `app.focus_next`, `scroll('up')` move around; `refresh` or `open_picker` do not."""
    name = action.split("(", 1)[0]
    return not _NAVIGATION_WORDS.isdisjoint(re.split(r"[._]", name))


def goes_nowhere(node: object, action: str) -> bool:
    """A left/right key on a widget that cannot move sideways (a row cursor, wrapped text): it does nothing."""
    name = action.split("(", 1)[0].rpartition(".")[2]
    if name not in _SIDEWAYS or not isinstance(node, Widget):
        return False
    if isinstance(node, DataTable) and name.startswith("cursor") and node.cursor_type in ("cell", "column"):
        return False
    return not node.allow_horizontal_scroll


# Textual's own keys, in our words (its "Focus Previous" is not how the app talks).
OUR_LABELS = {
    "app.focus_next": "Next pane",
    "app.focus_previous": "Previous pane",
}


def _describe(binding: Binding) -> str:
    if binding.action in OUR_LABELS:
        return OUR_LABELS[binding.action]
    if binding.description and binding.tooltip and binding.id:
        # Ours (Textual's own have no id): the footer says the first, help both.
        return f"{binding.description}: {binding.tooltip}"
    if binding.description:
        return binding.description
    if binding.tooltip:
        return binding.tooltip
    return binding.action.rpartition(".")[2].replace("_", " ").capitalize()


def key_rows(screen: Screen, *, screen_group: str = "Email") -> list[KeyRow]:
    """The screen's active bindings as rows (one per action, its keys joined), grouped."""
    app = screen.app
    rows: dict[tuple[str, str, str], list[str]] = {}
    enabled: dict[tuple[str, str, str], bool] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.system and not binding.description:
            continue
        if isinstance(active.node, Input) and binding.id is None:
            continue  # a text box's built-in editing keys (ours carry ids): summed up in one line instead
        if goes_nowhere(active.node, binding.action):
            continue
        if is_navigation(binding.action) and not isinstance(active.node, App):
            group = NAVIGATION
        elif isinstance(active.node, App) or (isinstance(active.node, Screen) and binding.id is None):
            group = APP  # the app's keys, and the ones every Textual screen has (copy)
        else:
            group = screen_group
        key = (group, binding.action, _describe(binding))
        keys = rows.setdefault(key, [])
        shown = app.get_key_display(binding)
        if shown not in keys:
            keys.append(shown)
        enabled[key] = enabled.get(key, False) or active.enabled
    # What this screen does first, then the app, then the many ways to move.
    order = {screen_group: 0, APP: 1, NAVIGATION: 2}
    result = [
        KeyRow(group, " ".join(keys), description, enabled[(group, action, description)])
        for (group, action, description), keys in rows.items()
    ]
    # Stable sort: within a group, the order the bindings were declared in.
    return sorted(result, key=lambda row: order.get(row.group, 1))


def typing_note(screen: Screen) -> str | None:
    """One line about text boxes, when the screen has one (their editing keys are not listed)."""
    if screen.query(Input):
        return "In a text box the usual editing keys work (←/→, home/end, ctrl+w, ctrl+u); tab leaves it."
    return None


def _keys_table(rows: list[KeyRow]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, min_width=12)
    table.add_column()
    group = None
    for row in rows:
        if row.group != group:
            if group is not None:
                table.add_row("", "")
            table.add_row(Text(row.group, style="bold underline"), "")
            group = row.group
        style = "" if row.enabled else "dim"
        table.add_row(Text(row.keys, style=f"bold {style}".strip()), Text(row.description, style=style))
    return table


def _status_table() -> Group:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, width=max(len(label) for label, _ in STATUS_NOTES))
    table.add_column()
    for label, meaning in STATUS_NOTES:
        table.add_row(Text(label, style="bold"), Text(meaning))
    return Group(Text("What the statuses mean", style="bold underline"), table)


class HelpScreen(ModalScreen[None]):
    """A dialog over the screen it describes. Escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > Vertical {
        width: 84;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $primary;
        border-subtitle-color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen KeyedScroll {
        height: auto;
        max-height: 100%;
    }
    HelpScreen .note {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close help", show=True, id="help.close"),
    ]

    def __init__(self, rows: list[KeyRow], *, title: str = "Keys", note: str | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.help_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.help_title
            box.border_subtitle = "esc close"
            with KeyedScroll():
                yield Static(_keys_table(self.rows), id="keys")
                if self.note:
                    yield Static(Text(self.note), classes="note")
                yield Static(_status_table(), id="statuses", classes="note")
        # Over the footer of the screen below, whose keys do nothing while help is open.
        yield KeyFooter()

    @guarded
    def action_close(self) -> None:
        close(self, None)

