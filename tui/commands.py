"""The command palette (ctrl+p): the main actions by name, and the recent records.

Screen actions ("Change type filter", "Refresh") run whatever their key is bound to
on the screen the palette was opened from, so the palette and the keys never disagree;
they are offered only where that key does something.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

import msgspec
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.style import Style

from tui.render.safe import one_line
from tui.widgets.access import crm_app

# The palette parses help text as markup, and its escape() misses cases: only known-safe words go there.
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_]+")
_MATCH_STYLE = Style(bold=True, underline=True)


class PaletteCommand(msgspec.Struct, frozen=True):
    name: str
    run: Callable[[], object]
    help: str


# (name, key on the calling screen, help)
SCREEN_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Change type filter", "t", "All, sent from CRM, scheduled, drafts, user emails…"),
    ("Refresh", "r", "Fetch new emails; the cursor stays where it is"),
)


class CrmEmailsCommands(Provider):
    """Open record picker, Change type filter, Refresh, Help, Quit, Open recent: <name>."""

    def commands(self) -> list[PaletteCommand]:
        app = crm_app(self)
        found = [
            PaletteCommand("Open record picker", app.action_open_picker, "Find a record by name, id or CRM link (o)"),
            PaletteCommand("Search every stored email", app.action_search_everywhere, "Across every record kept in the local store (ctrl+f)"),
        ]
        bindings = self.screen.active_bindings
        for name, key, help_text in SCREEN_COMMANDS:
            active = bindings.get(key)
            if active is not None and active.enabled:
                run = partial(app.run_action, active.binding.action, active.node)
                found.append(PaletteCommand(name, run, f"{help_text} ({key})"))
        from tui.screens.record import RecordScreen

        if isinstance(self.screen, RecordScreen):
            found.extend(PaletteCommand(name, run, help_text) for name, run, help_text in self.screen.palette_commands())
        found.append(PaletteCommand("Help", app.action_help, "Every key on this screen, and what the statuses mean (?)"))
        found.append(PaletteCommand("Quit", app.action_quit, "Leave crm-emails (q)"))
        for record in app.recent_records:
            name = one_line(record.display)
            where = f"{record.module} record" if _PLAIN_NAME.fullmatch(record.module) else "a recent record"
            found.append(PaletteCommand(f"Open recent: {name}", partial(app.open_record, record), where))
        return found

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(Content(command.name), command.run, text=command.name, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            score, offsets = matcher.fuzzy_search.match(matcher.query, command.name)
            if score > 0:
                yield Hit(score, self._highlight(command.name, offsets), command.run, text=command.name, help=command.help)

    def _highlight(self, name: str, offsets: tuple[int, ...] | list[int]) -> Content:
        """Like Matcher.highlight, without reading the name as markup (record names are server text)."""
        content = Content(name)
        style = self.match_style or _MATCH_STYLE
        for offset in offsets:
            if not name[offset].isspace():
                content = content.stylize(style, offset, offset + 1)
        return content
