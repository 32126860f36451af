"""Handlers that cannot take the app down.

Textual stops a widget's message loop, and then the whole app, when a handler
raises: a person triaging would lose everything on screen to one bad row. Every
handler and action of ours is `@guarded`: an exception becomes an error on screen
saying it is a bug (the app keeps running, the widget keeps handling messages),
and the traceback goes to the log. A test checks every handler is guarded.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class ReportsBugs(Protocol):
    def report_bug(self, error: BaseException, where: str) -> None: ...


def _report(node: Any, error: Exception, where: str) -> None:
    app = getattr(node, "app", None) if not hasattr(node, "report_bug") else node
    report = getattr(app, "report_bug", None)
    if report is None:
        raise error
    report(error, where)


def guarded(method: F) -> F:
    """Run `method`; an exception in it is reported as a bug instead of ending the app."""
    where = method.__qualname__
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def guarded_async(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return await method(self, *args, **kwargs)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - the point: never a dead app
                _report(self, error, where)
                return None

        guarded_async.__guarded__ = True  # type: ignore[attr-defined]
        return guarded_async  # type: ignore[return-value]

    @functools.wraps(method)
    def guarded_sync(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as error:  # noqa: BLE001 - the point: never a dead app
            _report(self, error, where)
            return None

    guarded_sync.__guarded__ = True  # type: ignore[attr-defined]
    return guarded_sync  # type: ignore[return-value]
