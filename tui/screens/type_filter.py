"""The modal opened with `t`: which emails of the record to list (an `EmailFilter`).

A type (All, Sent from CRM, ...) and, for User emails, whose mailbox. The owners come
from the users API, read by the record screen and handed in (possibly after the
modal opened: `set_users`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.render.safe import one_line
from tui.screens.menu import MenuScreen, menu_bindings
from tui.session.filters import EmailFilter
from tui.zoho.catalog import USER_EMAILS, email_types_for
from tui.zoho.errors import ZohoError
from tui.zoho.models import User
from tui.widgets.access import close
from tui.widgets.guard import guarded


def user_label(user: User) -> str:
    return one_line(user.name or user.email or user.id)


class TypeFilterScreen(MenuScreen[EmailFilter | None]):
    """Pick the kind of emails to list; Enter chooses, Escape keeps the current one."""

    BINDINGS = menu_bindings("Show", choose_id="type_filter.choose", cancel_id="type_filter.cancel")
    MENU_TITLE = "Show emails"
    DIALOG_ID = "type-filter-dialog"

    def __init__(
        self,
        module: str,
        current: EmailFilter,
        *,
        users: Sequence[User] | None = None,
        me: User | None = None,
        users_error: ZohoError | None = None,
    ) -> None:
        super().__init__()
        self.module = module
        self.current = current
        self._choices: dict[str, EmailFilter] = {}
        self._users, self._me, self._users_error = users, me, users_error

    def compose_options(self):
        yield OptionList(id="type-filter-options")

    @guarded
    def on_mount(self) -> None:
        self._fill()  # before MenuScreen.on_mount focuses the list

    def set_users(self, users: Sequence[User] | None, me: User | None, error: ZohoError | None = None) -> None:
        """The owners arrived (or failed): list them under User emails."""
        self._users, self._me, self._users_error = users, me, error
        if self.is_mounted:
            self._fill()

    def _option(self, choice: EmailFilter, prompt: Text) -> Option:
        option_id = f"choice-{len(self._choices)}"
        self._choices[option_id] = choice
        mark = "● " if choice == self.current else "  "
        return Option(Text(mark) + prompt, id=option_id)

    def _fill(self) -> None:
        options_list = self.query_one(OptionList)
        highlighted = options_list.highlighted_option
        keep = self._choices.get(highlighted.id) if highlighted is not None and highlighted.id else None
        self._choices = {}
        options: list[Option | None] = []
        contact_types = []
        for email_type in email_types_for(self.module):
            if email_type.accounts_only:
                contact_types.append(email_type)
            elif email_type.value != USER_EMAILS:
                options.append(self._option(EmailFilter(email_type.value), Text(email_type.label)))
        options.append(None)
        options.append(Option(Text("User emails, mailbox of:", style="bold"), disabled=True))
        options.extend(self._owner_options())
        if contact_types:
            options.append(None)
            options.append(Option(Text("Emails of the account's contacts:", style="bold"), disabled=True))
            for email_type in contact_types:
                options.append(self._option(EmailFilter(email_type.value), Text(email_type.label)))
        options_list.set_options(options)
        target = keep if keep is not None else self.current
        for option_id, choice in self._choices.items():
            if choice == target:
                options_list.highlighted = options_list.get_option_index(option_id)
                break

    def _owner_options(self) -> list[Option]:
        me = self._me
        if self._users is None and self._users_error is None:
            return [Option(Text("  loading users…", style="italic"), disabled=True)]
        options: list[Option] = []
        if me is not None:
            options.append(self._option(EmailFilter(USER_EMAILS, me.id, user_label(me)), Text(f"{user_label(me)} (you)")))
        for user in self._users or ():
            if me is not None and user.id == me.id:
                continue
            options.append(self._option(EmailFilter(USER_EMAILS, user.id, user_label(user)), Text(user_label(user))))
        if me is None:
            # Without the current user's id Zoho picks the caller's own mailbox.
            options.insert(0, self._option(EmailFilter(USER_EMAILS), Text("Yours")))
        if self._users_error is not None:
            note = f"  other users unavailable: {one_line(self._users_error.code)}"
            options.append(Option(Text(note, style="italic"), disabled=True))
        return options

    @on(OptionList.OptionSelected)
    @guarded
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = self._choices.get(event.option.id or "")
        if choice is not None:
            close(self, choice)
