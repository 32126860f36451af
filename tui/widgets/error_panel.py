"""Where an API error is shown: Zoho's code, the message, the details, and what to do.

Every error in the app is rendered here (and in the CLI by `tui.cli`), so the
wording is the same wherever it happened. Server text goes in as plain `Text`
through `clean`/`one_line`, never as markup.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tui.zoho.errors import ZohoError

BUG_HINT = "This is a bug in crm-emails; please report it with the steps that led here."


def unexpected(error: BaseException) -> ZohoError:
    """A bug, shown like any other error (code UNEXPECTED) instead of a traceback."""
    return ZohoError("UNEXPECTED", f"{type(error).__name__}: {error}", hint=BUG_HINT)


def error_text(error: ZohoError, *, action: str | None = None) -> Text:
    """The error as a few lines: what happened, why (details), what to do, and the key to retry."""
    from tui.render.safe import clean, one_line

    text = Text()
    text.append(one_line(error.code), style="bold")
    if error.status:
        text.append(f"  HTTP {error.status}", style="dim")
    text.append("\n")
    text.append(clean(error.message).strip() or "(no message)")
    if error.details:
        text.append("\n")
        text.append(one_line(error.details_line()), style="dim")
    text.append("\n")
    text.append("What to do: ", style="bold")
    text.append(clean(error.hint))
    if action:
        text.append("\n")
        text.append(action, style="italic")
    return text


class ErrorPanel(Static):
    """A bordered box that shows one error, hidden while there is none."""

    DEFAULT_CSS = """
    ErrorPanel {
        display: none;
        height: auto;
        max-height: 12;
        border: round $error;
        border-title-color: $error;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    ErrorPanel.-visible {
        display: block;
    }
    """

    def __init__(self, *, title: str = "Zoho error", id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.border_title = title
        self.error: ZohoError | None = None

    def show_error(self, error: ZohoError, *, action: str | None = None, title: str | None = None) -> None:
        """Show `error`; `action` is the line that names the key to retry, if any."""
        self.error = error
        if title is not None:
            self.border_title = title
        self.update(error_text(error, action=action))
        self.add_class("-visible")

    def clear_error(self) -> None:
        self.error = None
        self.update("")
        self.remove_class("-visible")
