"""The typed way for a screen or widget to reach the app (instead of untyped `self.app.x`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

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
