"""Figures 4, 5 and 6: the list at 50,000 emails against a bare DataTable of the same rows.

Written against the list's public side only (`EmailList.show_emails`, `add_emails`,
`count`, `view_top`, `cursor_email`, and the record screen), so they measure whichever
list widget is in the tree.

- Memory (4): a fresh process opens a record with no emails, notes its RSS (after a
  collection), then reads 50,000 emails page by page into the record's session exactly as
  the app keeps them (models parsed from Zoho's JSON, nothing parsed before the note) and
  shows them; RSS again. The baseline process does the same with a DataTable of the same
  strings, each computed from the JSON and kept as a plain string.
- Scroll (5): CPU per cursor move (`down`) at row 45,000, less the pilot's own cost (presses
  of an unbound key), the record screen and the bare DataTable screen taking turns in one app.
- Append and bulk changes (6), at 80×24: CPU of a page appended at 50,000 and at 100 rows,
  less the cost of a pilot pause; a refresh (ten new emails on top, the cursor kept), a
  filter switch (the list of another type, and back) and a search filter (the emails
  matching a word, and back): wall time from the call to the last frame it caused before
  the app went idle, at 50,000 and at 250.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from tui.bench import data
from tui.bench.headless import (
    Frames,
    demo_app,
    focus_list,
    key_cost,
    open_with_emails,
    rest,
    rss_mib,
)

CURSOR_AT = 0.9  # row 45,000 of 50,000
SEARCH_WORD = "expo"
# A measurement whose first try takes this many times its target is not repeated: it is missed
# by far, and repeating it would make the run last for minutes.
HOPELESS = 10.0
CHANGE_TARGET_S = 0.100


def cell_strings(email: Any, now: datetime) -> tuple[str, ...]:
    """The texts of an email's row (time, from, to, subject, status, attachment) as plain strings."""
    from tui.render.dates import short_time
    from tui.render.email_text import status_label
    from tui.render.safe import one_line

    to = "—"
    if email.to:
        to = one_line(email.to[0].display) + (f" +{len(email.to) - 1}" if len(email.to) > 1 else "")
    return (
        short_time(email.time, now=now) if email.time else "—",
        one_line(email.sender.display) if email.sender else "—",
        to,
        one_line(email.subject) or "(no subject)",
        status_label(email.status),
        "+" if email.has_attachment else "",
    )


def huge_record() -> Any:
    from tui.sandbox.data import CONTACT_HUGE
    from tui.zoho.models import Record

    return Record(*CONTACT_HUGE, name="Hugh Archive")


# --- 4: memory ------------------------------------------------------------------------------


async def memory_of_app(path: Path, count: int, folder: Path) -> dict[str, float]:
    from tui.zoho.models import EmailPage

    async with demo_app(folder, (80, 24)) as (app, pilot, _sandbox):
        screen = await open_with_emails(app, pilot, huge_record(), [])
        await rest(app, pilot)
        gc.collect()
        before = rss_mib()
        feed = screen.session.feed()
        for index, answer in data.pages(path, count):
            feed.add_page(EmailPage.parse(answer), index)
        screen.email_list.show_emails(feed.emails, cursor_id=feed.emails[0].message_id)
        await rest(app, pilot)
        assert screen.email_list.count == count, screen.email_list.count
        gc.collect()
        after = rss_mib()
    return {"before": before, "after": after}


async def memory_of_datatable(path: Path, count: int, folder: Path) -> dict[str, float]:
    from textual.widgets import DataTable

    from tui.bench.bare import TableApp
    from tui.zoho.models import Email

    app = TableApp([])
    now = datetime.now().astimezone()
    async with app.run_test(size=(80, 24)) as pilot:
        await rest(app, pilot)
        gc.collect()
        before = rss_mib()
        rows = [cell_strings(Email.parse(item), now) for item in data.items(path, count)]
        app.screen.query_one(DataTable).add_rows(rows)
        del rows
        await rest(app, pilot)
        gc.collect()
        after = rss_mib()
    return {"before": before, "after": after}


# --- 5 and 6: scroll, append, bulk changes --------------------------------------------------


async def list_figures(path: Path, count: int, rounds: int, presses: int, folder: Path) -> dict[str, Any]:
    """Scroll at 160×48 and 80×24, then append and bulk changes at 80×24, at `count` and then at 100 and 250.

    In an order that builds the big list as few times as possible: a list that rebuilds
    itself for every change spends seconds on each (and the run must end in minutes).
    """
    from tui.bench.bare import TableScreen

    emails = data.emails(path, count)
    cursor = int(count * CURSOR_AT)
    now = datetime.now().astimezone()
    results: dict[str, Any] = {"count": count, "cursor": cursor}
    async with demo_app(folder, (160, 48)) as (app, pilot, sandbox):
        # All but the pages the append figure adds.
        screen = await open_with_emails(app, pilot, huge_record(), emails[: count - 10 * rounds], cursor=cursor)
        focus_list(screen)
        app.install_screen(TableScreen([cell_strings(e, now) for e in emails], cursor_row=cursor), name="bare")
        results["scroll_160x48"] = await _scroll(app, pilot, screen, rounds, presses)
        await pilot.resize_terminal(80, 24)
        await rest(app, pilot)
        results["scroll_80x24"] = await _scroll(app, pilot, screen, rounds, presses)
        results.update(await _changes(app, pilot, screen, sandbox, emails, rounds))
    return results


async def _scroll(app: Any, pilot: Any, screen: Any, rounds: int, presses: int) -> dict[str, list[float]]:
    """CPU per `down` less the pilot's cost: the record screen and the bare table taking turns."""
    samples: dict[str, list[float]] = {"app": [], "bare": []}
    for round_ in range(rounds):
        for variant in ("app", "bare") if round_ % 2 == 0 else ("bare", "app"):
            if variant == "bare":
                await app.push_screen("bare")
            await rest(app, pilot)
            samples[variant].append(await key_cost(app, pilot, "down", presses))
            if variant == "bare":
                await app.pop_screen()
            await rest(app, pilot)
            focus_list(screen)
    return samples


async def _changes(
    app: Any, pilot: Any, screen: Any, sandbox: Any, emails: Sequence[Any], rounds: int
) -> dict[str, Any]:
    from tui.sandbox.data import CONTACT_HUGE
    from tui.zoho.models import Email

    email_list = screen.email_list
    frames = Frames(app)
    results: dict[str, Any] = {}

    async def pause_cost() -> float:
        await rest(app, pilot)
        start = time.process_time()
        await pilot.pause()
        return time.process_time() - start

    async def appended(at: int, held: Any) -> list[float]:
        """CPU of one page of ten added to the list of `emails[:at]` shown, `rounds` times (at, at+10, ...).

        As the record model does it: the page goes on the end of the sequence the list holds (`held`),
        then the list is told."""
        samples = []
        for n in range(rounds):
            page = emails[at + 10 * n : at + 10 * (n + 1)]
            idle = await pause_cost()
            await rest(app, pilot)
            start = time.process_time()
            held.extend(page)
            email_list.add_emails(page)
            await pilot.pause()
            samples.append(max(time.process_time() - start - idle, 0.0))
        return samples

    total = len(emails)
    results["append_at_all"] = await appended(total - 10 * rounds, screen.feed.emails)

    async def change(show: Callable[[], None]) -> float:
        """Seconds from the call to the last frame it caused (its CPU when it caused none)."""
        await rest(app, pilot)
        frames.forget()
        start = time.perf_counter()
        cpu = time.process_time()
        show()
        await pilot.pause()
        cpu = time.process_time() - cpu
        made = [t for t, _ in frames.made if t >= start]
        return (made[-1] - start) if made else cpu

    mailbox = sandbox.data.mailbox(sandbox.data.record(*CONTACT_HUGE))

    def arrivals(k: int) -> list[Any]:
        mailbox.deliver(k)
        return [Email.parse(mailbox.list_item(-n)) for n in range(mailbox.arrived, mailbox.arrived - k, -1)]

    async def bulk(shown: list[Any], tag: str) -> None:
        """Refresh, filter switch and search filter on the list of `shown` emails on screen."""
        current = list(shown)
        refresh, switch, search = [], [], []
        for n in range(rounds):
            new = arrivals(10)
            current = new + current
            cursor = email_list.cursor_email
            refresh.append(await change(lambda: email_list.show_emails(
                current, cursor_id=cursor.message_id if cursor else None, scroll_y=email_list.view_top + 10)))
            if refresh[-1] > HOPELESS * CHANGE_TARGET_S:
                break
        sent = [e for e in current if e.source != "imap"]
        for n in range(rounds):
            other = sent if n % 2 == 0 else current
            switch.append(await change(lambda: email_list.show_emails(other, cursor_id=None, scroll_y=0)))
            if switch[-1] > HOPELESS * CHANGE_TARGET_S:
                break
        matching = [e for e in current if SEARCH_WORD in (e.subject or "").lower()]
        for n in range(rounds):
            other = matching if n % 2 == 0 else current
            search.append(await change(lambda: email_list.show_emails(other, cursor_id=None, scroll_y=0)))
            if search[-1] > HOPELESS * CHANGE_TARGET_S:
                break
        results[f"refresh_{tag}"], results[f"switch_{tag}"], results[f"search_{tag}"] = refresh, switch, search
        results[f"sizes_{tag}"] = [len(current), len(sent), len(matching)]

    await bulk(list(emails), "all")
    first_hundred = list(emails[:100])
    email_list.show_emails(first_hundred, cursor_id=emails[0].message_id)
    results["append_at_100"] = await appended(100, first_hundred)
    email_list.show_emails(emails[:250], cursor_id=emails[125].message_id, scroll_y=120)
    await bulk(list(emails[:250]), "250")
    return results
