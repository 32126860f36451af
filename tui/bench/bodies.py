"""Figure 8: the demo's 2 MB newsletter in the detail pane at 160×48, against `html2text.html2text` alone.

Its detail is read once (unmeasured: the body pipeline starts when the pane gets it).
Then, each round, the cursor leaves the newsletter and comes back with the pane's
converted bodies forgotten, so the pane converts it again, and:

- first screenful: from the pane being handed the email to the first frame after it shows
  body text (a first part, or the whole);
- full text: to the first frame after the whole body is in the pane;
- keys: a key nothing is bound to is posted every 20 ms from another thread (as the
  terminal driver posts keys) while it converts; the slowest from posting to handled.

The baseline, in the same rounds: `html2text.html2text(content)` on this process's thread.
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from pathlib import Path
from typing import Any

from textual import events

from tui.bench.headless import UNBOUND_KEY, Frames, demo_app, post_key, rest, until

KEY_EVERY_S = 0.020


class KeyProbe:
    """Posts an unbound key every KEY_EVERY_S from a thread; when each was handled by the focused widget."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.sent: list[float] = []
        self.handled: list[float] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._widget: Any = None

    def _seen(self, message: Any) -> None:
        if isinstance(message, events.Key) and message.key == UNBOUND_KEY:
            self.handled.append(time.perf_counter())

    def start(self) -> None:
        self.sent, self.handled = [], []
        self._widget = self.app.focused or self.app.screen
        self._widget.message_signal.subscribe(self._widget, self._seen, immediate=True)
        self._stop.clear()
        self._thread = threading.Thread(target=self._post, daemon=True)
        self._thread.start()

    def _post(self) -> None:
        while not self._stop.is_set():
            self.sent.append(time.perf_counter())
            self.app.post_message(events.Key(UNBOUND_KEY, None))
            time.sleep(KEY_EVERY_S)

    async def stop(self) -> list[tuple[float, float]]:
        """(when it was posted, how long until it was handled) for each key."""
        self._stop.set()
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join)
        deadline = time.perf_counter() + 30
        while len(self.handled) < len(self.sent) and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        self._widget.message_signal.unsubscribe(self._widget)
        return [(sent, handled - sent) for sent, handled in zip(self.sent, self.handled)]


async def big_body(folder: Path, rounds: int) -> dict[str, list[float]]:
    import html2text

    from tui.sandbox.data import LARGE_NEWSLETTER_ID, LEAD_MAIN
    from tui.screens.record import RecordScreen

    results: dict[str, list[float]] = {"first": [], "full": [], "keys": [], "html2text": []}
    async with demo_app(folder, (160, 48), start=LEAD_MAIN) as (app, pilot, _sandbox):
        await until(lambda: isinstance(app.screen, RecordScreen), "the record screen")
        screen = app.screen
        await rest(app, pilot)
        view = screen.detail_view
        row = [e.message_id for e in screen.feed.emails].index(LARGE_NEWSLETTER_ID)
        for _ in range(row):
            await pilot.press("j")
        await until(lambda: view.message_id == LARGE_NEWSLETTER_ID and view.state == "detail", "the newsletter")
        await rest(app, pilot)  # its detail is read and converted once, unmeasured
        content = view.detail.content
        frames = Frames(app)
        handed: list[float] = []
        show_detail = view.show_detail

        def timed_show_detail(email: Any, detail: Any) -> None:
            if email.message_id == LARGE_NEWSLETTER_ID:
                handed.append(time.perf_counter())
            show_detail(email, detail)

        view.show_detail = timed_show_detail
        probe = KeyProbe(app)
        for _ in range(rounds):
            gc.collect()
            start = time.perf_counter()
            html2text.html2text(content)
            results["html2text"].append(time.perf_counter() - start)

            await pilot.press("j")
            await rest(app, pilot)
            view._bodies.clear()  # noqa: SLF001 - the converted bodies: a cold conversion each round
            gc.collect()
            handed.clear()
            probe.start()
            post_key(app, "k")
            await until(lambda: bool(handed), "the pane to be handed the newsletter")

            def some_body() -> bool:
                return view.message_id == LARGE_NEWSLETTER_ID and (
                    getattr(view, "preview", False) or (view.state == "detail" and not view.rendering)
                )

            seen = await until(some_body, "the first of the body")
            results["first"].append(await frames.next_after(seen) - handed[0])
            seen = await until(lambda: view.state == "detail" and not view.rendering, "the whole body")
            full = await frames.next_after(seen)
            results["full"].append(full - handed[0])
            keys = [latency for sent, latency in await probe.stop() if handed[0] <= sent <= full]
            results["keys"].append(max(keys, default=0.0))
            await rest(app, pilot)
    return results
