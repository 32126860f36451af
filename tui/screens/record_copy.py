"""The record screen's copy and open keys: `y` (copy), `l` (the body's links), `w` (the record's web
link), `L` (the linked record), and `s` on an email that is not open.

Copying goes through the terminal (OSC 52, `App.copy_to_clipboard`), so it reaches the person's
own clipboard over SSH and tmux too; the app says what it copied and how long it was, never the
server's text as markup. A link is opened in the browser only where one is in front of the person
(`tui.opener`); over SSH it is copied and shown instead. Nothing here waits on the UI thread: a
detail to fetch, a body to convert or the opener to start run in workers.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content

from tui import opener
from tui.render.copy_text import COPY_BY_NAME, body_as_text, copied_note, email_text
from tui.render.safe import one_line
from tui.widgets.error_panel import error_text, unexpected
from tui.widgets.guard import guarded
from tui.zoho.errors import AuthError, ZohoError
from tui.zoho.links import data_center_of, is_record_id, record_url
from tui.zoho.models import Attachment, Email, EmailDetail, Record

if TYPE_CHECKING:
    from tui.screens.link_picker import LinkChoice
    from tui.screens.record import RecordScreen

NO_EMAIL = "No email is selected."
NO_LINKS = "This email's body has no links."
NO_ATTACHMENTS = "This email has no attachments."
COPY_HELP = "s subject · f sender · t recipients · i message id · b body · l a link · w web link"


class CopyAndOpen:
    """Mixed into RecordScreen (its bindings are there): copy, links, web link, linked record, save."""

    # --- what the keys act on ---------------------------------------------------------

    def _current_email(self: RecordScreen) -> Email | None:
        """The email under the list's cursor (the one the detail pane shows, or will)."""
        return self.email_list.cursor_email

    def _shown_detail(self: RecordScreen, email: Email) -> tuple[bool, EmailDetail | None]:
        """(True, detail) when `email`'s detail was read already (None: Zoho had nothing)."""
        return self.session.cached_detail(email.message_id)

    async def _detail_of(self: RecordScreen, email: Email) -> EmailDetail | None:
        """The detail: from memory, or one call (the person asked for what only the detail holds)."""
        return await self.session.detail(email)

    def _say(self: RecordScreen, text: str, *, error: bool = False) -> None:
        self.notify(text, severity="error" if error else "information", markup=False)

    def _copy(self: RecordScreen, text: str, what: str, *, extra: str = "") -> None:
        """Put `text` on the person's clipboard through the terminal, and say what and how long."""
        self.app.copy_to_clipboard(text)
        self._say(copied_note(what, text) + extra)

    # --- y: copy -------------------------------------------------------------------------

    @guarded
    def action_copy_menu(self: RecordScreen) -> None:
        email = self._current_email()
        if email is None:
            self._say(NO_EMAIL)
            return
        found, detail = self._shown_detail(email)
        previews = {name: email_text(name, email, detail) for name in ("subject", "sender", "recipients", "message_id")}
        view = self.detail_view
        if view.message_id == email.message_id and view.links is not None:
            count = len(view.links.targets)
            previews["link"] = f"{count} link{'' if count == 1 else 's'}" if count else "no links"
        if found and detail is not None and detail.content:
            previews["body"] = f"{len(detail.content):,} characters of {detail.mail_format or 'text'}"
        elif not found:
            previews["body"] = previews["link"] = "read when chosen: one API call"
        previews["web_link"] = f"{self.record.module} {self.record.id}"
        from tui.screens.copy_menu import CopyMenu  # the menus load when first opened, not with the record

        self.app.push_screen(CopyMenu(previews), lambda name: self._copy_chosen(email, name))

    @guarded
    def _copy_chosen(self: RecordScreen, email: Email, name: str | None) -> None:
        if name is None:
            return
        choice = COPY_BY_NAME[name]
        if name == "body":
            self.run_worker(self._copy_body(email), group="copy", exclusive=True, exit_on_error=False)
        elif name == "link":
            self.run_worker(self._pick_link(email, to_copy=True), group="copy", exclusive=True, exit_on_error=False)
        elif name == "web_link":
            self.run_worker(self._web_link(open_it=False), group="copy", exclusive=True, exit_on_error=False)
        else:
            _found, detail = self._shown_detail(email)
            text = email_text(name, email, detail)
            if text:
                self._copy(text, choice.what)
            else:
                self._say(f"Zoho gave no {choice.what.removeprefix('the ')} for this email: nothing was copied.")

    async def _copy_body(self: RecordScreen, email: Email) -> None:
        try:
            detail = await self._detail_of(email)
            if detail is None or not (detail.content or "").strip():
                self._say("This email has no body: nothing was copied.")
                return
            text = await asyncio.to_thread(body_as_text, detail)
        except ZohoError as error:
            self._failed("Could not copy the body", error)
            return
        self._copy(text, "the body")

    def _failed(self: RecordScreen, title: str, error: ZohoError) -> None:
        # Content is shown as it is (notify parses a str as markup; server text must not be).
        message = error_text(error)
        content = Content.from_rich_text(message) if isinstance(message, Text) else Content(message)
        self.notify(content, title=title, severity="error", timeout=10)  # type: ignore[arg-type]

    # --- l: the body's links ---------------------------------------------------------------

    @guarded
    def action_links(self: RecordScreen) -> None:
        email = self._current_email()
        if email is None:
            self._say(NO_EMAIL)
            return
        self.run_worker(self._pick_link(email, to_copy=False), group="copy", exclusive=True, exit_on_error=False)

    async def _links_of(self: RecordScreen, email: Email) -> list[str] | None:
        """The body's link targets, numbered as the pane lists them; None when the detail could not be read."""
        view = self.detail_view
        if view.message_id == email.message_id and view.links is not None:
            return view.links.targets
        try:
            detail = await self._detail_of(email)
        except ZohoError as error:
            self._failed("Could not read the links", error)
            return None
        if detail is None:
            return []
        from tui.render.body_links import find_links
        from tui.widgets.email_detail import FALLBACK_WIDTH, converted

        width = view.body.text_width if view.is_mounted else FALLBACK_WIDTH  # the pane mounts after the first frames

        def targets() -> list[str]:
            return find_links(converted(detail, width), width).targets

        return await asyncio.to_thread(targets)

    async def _pick_link(self: RecordScreen, email: Email, *, to_copy: bool) -> None:
        targets = await self._links_of(email)
        if targets is None:
            return
        if not targets:
            self._say(NO_LINKS)
            return
        from tui.screens.link_picker import LinkPicker

        picker = LinkPicker(targets, to_copy=to_copy, can_open=opener.can_open_here())
        self.app.push_screen(picker, self._link_chosen)

    @guarded
    def _link_chosen(self: RecordScreen, choice: LinkChoice | None) -> None:
        if choice is None:
            return
        what = f"link [{choice.number}]"
        if choice.copy:
            self._copy(choice.target, what)
        else:
            self._open_or_show(choice.target, what)

    def _open_or_show(self: RecordScreen, url: str, what: str) -> None:
        """Open `url` in the browser in front of the person; where there is none (SSH), copy and show it."""
        if opener.can_open_here() and opener.is_web_link(url):
            self.run_worker(self._open(url, what), group="open", exit_on_error=False)
            return
        why = "" if opener.is_web_link(url) else " (not a web link: it is not opened)"
        if not why and not opener.can_open_here():
            why = " — no browser here (over SSH, or no display)"
        self._copy(url, what, extra=f"{why}:\n{one_line(url)}")

    async def _open(self: RecordScreen, url: str, what: str) -> None:
        try:
            await asyncio.to_thread(opener.open_in_browser, url)
        except (OSError, ValueError) as error:
            reason = one_line(str(error)) or type(error).__name__
            self._copy(url, what, extra=f" (it could not be opened: {reason}):\n{one_line(url)}")
            return
        self._say(f"Opened {what} in the browser:\n{one_line(url)}")

    # --- w: the record's web link ------------------------------------------------------------

    @guarded
    def action_web_link(self: RecordScreen) -> None:
        self.run_worker(self._web_link(open_it=True), group="copy", exclusive=True, exit_on_error=False)

    async def _web_link(self: RecordScreen, *, open_it: bool) -> None:
        url = await self._record_url()
        if url is None:
            return
        what = "the record's web link"
        if open_it:
            self._open_or_show(url, what)
        else:
            self._copy(url, what, extra=f":\n{url}")

    async def _record_url(self: RecordScreen) -> str | None:
        """The record's page in Zoho CRM's web UI (the org's `domain_name`: one call, once a launch)."""
        directory, client = self.crm.directory, self.session.client
        record = self.record
        if directory is None:
            return None
        try:
            org = await directory.org()
        except AuthError:
            self._say("The record's web link needs the org's web address, which these credentials may not read "
                      "(the scope ZohoCRM.org.READ is missing): see `crm-emails auth login`.", error=True)
            return None
        except ZohoError as error:
            self._failed("Could not build the record's web link", error)
            return None
        except Exception as error:  # a bug: shown as an error, never as a traceback
            self._failed("Could not build the record's web link", unexpected(error))
            return None
        if org is None or not org.domain_name or not is_record_id(record.id):
            self._say("Zoho did not give the org's web address (domain_name): the web link cannot be built.", error=True)
            return None
        dc = data_center_of(client.tokens.accounts_url, client.api_domain)
        return record_url(org.domain_name, record.module, record.id, dc=dc, modules=directory.modules_known or ())

    # --- L: the linked record ------------------------------------------------------------------

    def _linked_record(self: RecordScreen) -> Record | None:
        """The record the email under the cursor is linked to, when it is another one."""
        email = self._current_email()
        linked = email.linked_record if email else None
        if linked is None or not linked.id or not linked.module or not is_record_id(linked.id):
            return None
        if (linked.module, linked.id) == (self.record.module, self.record.id):
            return None
        return Record(linked.module, linked.id, one_line(linked.name) or None)

    @guarded
    def action_open_linked_record(self: RecordScreen) -> None:
        record = self._linked_record()
        if record is None:
            self._say("This email is not linked to another record.")
            return
        self.crm.open_record(record)

    # --- s: save an attachment of an email that is not open --------------------------------------

    @guarded
    def action_save_from_list(self: RecordScreen) -> None:
        """`s` with the email not open in full (the list alone at 80 columns, or loading), or with none."""
        email = self._current_email()
        if email is None:
            return
        found, detail = self._shown_detail(email)
        if found:
            self._save_these(email, detail.attachments if detail else ())
        elif email.has_attachment is False:
            self._say(NO_ATTACHMENTS)
        else:
            self.run_worker(self._read_and_save(email), group="copy", exclusive=True, exit_on_error=False)

    async def _read_and_save(self: RecordScreen, email: Email) -> None:
        try:
            detail = await self._detail_of(email)
        except ZohoError as error:
            self._failed("Could not read the attachments", error)
            return
        self._save_these(email, detail.attachments if detail else ())

    def _save_these(self: RecordScreen, email: Email, attachments: tuple[Attachment, ...]) -> None:
        if not attachments:
            self._say(NO_ATTACHMENTS)
        elif len(attachments) == 1:
            self._save(email, attachments)
        else:
            from tui.screens.attachment_menu import AttachmentMenu

            self.app.push_screen(AttachmentMenu(attachments), lambda choice: self._save(email, choice) if choice else None)
