"""Shown instead of the app when there are no usable credentials: what went wrong and exactly what to do.

Everything a person needs to get going from here, in the order they would try it:
log in once, or set three environment variables, or make a keyring work over SSH,
or just try the demo. The error's own text is shown too (never a traceback).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from tui.render.safe import clean, one_line
from tui.widgets.access import crm_app
from tui.widgets.footer import KeyFooter
from tui.widgets.guard import guarded
from tui.widgets.keyed_scroll import KeyedScroll
from tui.widgets.error_panel import error_text
from tui.widgets.status_line import StatusLine
from tui.zoho.errors import AuthError, CredentialsError, ZohoError
from tui.widgets.header import AppHeader


def _heading(error: ZohoError) -> str:
    if isinstance(error, CredentialsError):
        return "No Zoho credentials could be read (the error is below). To connect:"
    if isinstance(error, AuthError) and error.code == "Access Denied":
        return (
            "Zoho will not make a new access token just now: too many token requests in ten minutes "
            "(the error below says when to try again)."
        )
    if isinstance(error, AuthError):
        return "Zoho did not accept the credentials (the error is below). To connect again:"
    return "Could not connect to Zoho (the error is below). To connect:"


def _error_text(error: ZohoError) -> Text:
    """The error's own words. A credentials error's hint says what the steps above say: left out."""
    if isinstance(error, CredentialsError):
        text = Text()
        text.append(one_line(error.code), style="bold")
        text.append("\n")
        text.append(clean(error.message).strip())
        return text
    return error_text(error)


def instructions() -> Text:
    """The ways to get connected, numbered, the commands highlighted (plain text: no markup parsing)."""
    text = Text()

    def step(line: str) -> None:
        text.append(line + "\n", style="bold")

    def command(line: str) -> None:
        # Not indented: the longest command must fit 80 columns unbroken, to be copied as one line.
        text.append(line, style="bold cyan")
        text.append("\n")

    def aside(line: str) -> None:
        text.append("   " + line + "\n", style="dim")

    step("1. Log in once (a Self Client's id and secret, and a grant code):")
    command("crm-emails auth login")
    step("2. Or set ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN")
    aside("(and ZOHO_DC=eu, in, au, jp, … when the account is not in the US)")
    step("3. Over SSH with no desktop keyring, use a file keyring:")
    command("pip install keyrings.cryptfile")
    command("export PYTHON_KEYRING_BACKEND=keyrings.cryptfile.cryptfile.CryptFileKeyring")
    aside("(or keyrings.alt with keyrings.alt.file.PlaintextKeyring, unencrypted)")
    aside("or unlock GNOME Keyring for the session (type its password, then ctrl+d):")
    command("dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock; crm-emails'")
    step("4. Or try the app without an account:")
    command("crm-emails --demo")
    text.rstrip()
    return text


class AuthProblemScreen(Screen[None]):
    """Credentials missing, unreadable or refused. `r` tries again, `q` quits."""

    DEFAULT_CSS = """
    AuthProblemScreen KeyedScroll {
        padding: 0 1;
    }
    AuthProblemScreen #heading {
        text-style: bold;
        color: $error;
    }
    AuthProblemScreen #heading {
        margin-bottom: 1;
    }
    AuthProblemScreen #error {
        border: round $error;
        border-title-color: $error;
        padding: 0 1;
        margin-top: 1;
        height: auto;
    }
    """

    BINDINGS = [
        Binding("r", "retry", "Try again", id="auth.retry"),
        Binding("s", "read_stored", "Read stored emails", id="auth.read_stored"),
        Binding("q", "app.quit", "Quit", id="auth.quit"),
    ]

    def __init__(self, error: ZohoError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        yield AppHeader()
        with KeyedScroll():
            yield Static(Text(_heading(self.error)), id="heading")
            yield Static(instructions(), id="instructions")
            error = Static(_error_text(self.error), id="error")
            error.border_title = "The error"
            yield error
        yield StatusLine("not connected")
        yield KeyFooter()

    @guarded
    def action_retry(self) -> None:
        crm_app(self).reconnect()

    @guarded
    def action_read_stored(self) -> None:
        """Offline: the emails kept on this machine, without credentials."""
        crm_app(self).read_stored()
