"""The typed way for a screen or widget to reach the app (instead of untyped `self.app.x`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.events import ScreenResume
from textual.screen import Screen

from tui.widgets.guard import guarded

if TYPE_CHECKING:
    from tui.app import CrmEmailsApp


def crm_app(node: object) -> CrmEmailsApp:
    """The running CrmEmailsApp of a DOM node or command provider, typed."""
    return cast("CrmEmailsApp", node.app)  # type: ignore[attr-defined]


class OnCrmApp:
    """Mixed into our screens and widgets: `self.crm` is the running CrmEmailsApp, typed."""

    @property
    def crm(self) -> CrmEmailsApp:
        return crm_app(self)


class StyledAtMount:
    """Mixed into a screen shown at start: its first ScreenResume does not restyle every widget again.

    Textual restyles a screen's whole tree each time it resumes (a dialog closed, a theme changed
    meanwhile). The first resume comes right after its widgets were styled as they mounted, with
    nothing changed since: a second pass over every widget of the screen, in its first frame.
    Later resumes restyle as Textual does."""

    _resumed = False

    @guarded
    def on_screen_resume(self, event: ScreenResume) -> None:
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False


def close(screen: Screen[Any], result: Any = None) -> None:
    """Dismiss `screen` if it is still the top one. Textual's `dismiss` pops whatever is on top: a
    key that reached a screen just replaced (Enter, then Escape at once in the picker) would close
    the screen that replaced it, and leave the person on an empty one."""
    if screen.is_attached and screen.app.screen is screen:
        screen.dismiss(result)
