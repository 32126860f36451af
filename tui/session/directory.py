"""What one connection reads about the org, once per launch: modules, users, the first records.

The picker and the type filter come and go; what they read stays here (on the app),
so opening the picker again or the filter menu of another record makes no call.
A failure is not kept: the next ask tries again. Concurrent askers share one call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tui.zoho.client import ZohoClient
from tui.zoho.models import Module, Org, Record, User

T = TypeVar("T")


class Once:
    """Results of async reads by key: each read once while it succeeds, shared while it runs."""

    def __init__(self) -> None:
        self._done: dict[Any, Any] = {}
        self._running: dict[Any, asyncio.Future[Any]] = {}

    def known(self, key: Any) -> bool:
        return key in self._done

    def get(self, key: Any, default: Any = None) -> Any:
        return self._done.get(key, default)

    def put(self, key: Any, value: Any) -> None:
        self._done[key] = value

    async def read(self, key: Any, reader: Callable[[], Awaitable[T]]) -> T:
        if key in self._done:
            return self._done[key]
        running = self._running.get(key)
        if running is None:
            running = asyncio.ensure_future(reader())
            self._running[key] = running
            running.add_done_callback(lambda done: self._finished(key, done))
        return await asyncio.shield(running)

    def _finished(self, key: Any, done: asyncio.Future[Any]) -> None:
        self._running.pop(key, None)
        if not done.cancelled() and done.exception() is None:
            self._done[key] = done.result()


class OrgDirectory:
    """The org as one connection sees it."""

    def __init__(self, client: ZohoClient) -> None:
        self.client = client
        self._reads = Once()

    @property
    def modules_known(self) -> list[Module] | None:
        return self._reads.get("modules")

    async def modules(self) -> list[Module]:
        return await self._reads.read("modules", self.client.modules)

    def first_records_known(self, module: str) -> list[Record] | None:
        return self._reads.get(("first", module))

    async def first_records(self, module: str, name_field: str | None) -> list[Record]:
        return await self._reads.read(
            ("first", module), lambda: self.client.list_records(module, name_field=name_field)
        )

    async def org(self) -> Org | None:
        """The org (its `domain_name` builds web links to records): one call, the first time it is asked."""
        return await self._reads.read("org", self.client.org)

    @property
    def users_known(self) -> tuple[list[User], User | None] | None:
        return self._reads.get("users")

    async def users(self) -> tuple[list[User], User | None]:
        """Every user (whose mailbox to read) and the current one."""

        async def read() -> tuple[list[User], User | None]:
            users, me = await asyncio.gather(self.client.users(), self.client.current_user())
            return users, me

        return await self._reads.read("users", read)
