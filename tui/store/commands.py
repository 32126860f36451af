"""The store's commands: `crm-emails store [forget]`, `crm-emails search`, `crm-emails export --from-store`.

None of them calls Zoho. Imports stay inside the functions: building the
parser loads nothing but argparse, and `search` never loads Textual, httpx or
keyring (it has to answer as a whole process in well under a second).
Server text goes through `tui.render.safe.one_line` before it reaches a
terminal; JSON output escapes C1 controls and bidi overrides.

Exit codes: 0 done (search: something matched), 1 nothing matched or the
store failed, 2 a usage error (a bad query).
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from tui.export_file import Output
    from tui.store.marks import Mark
    from tui.store.store import FeedState, Scope, Store, StoreStats

COMMANDS = ("store", "search")
# Characters a terminal may act on that json.dumps(ensure_ascii=False) leaves raw.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def add_parsers(commands: Any) -> None:
    """The `store` and `search` sub-commands, on the command parser's sub-parsers."""
    profile_help = "credentials profile whose stored emails to use (default: default)"
    store = commands.add_parser(
        "store",
        help="the local store: where it is and what it holds; forget a record or everything",
        description="Without an action: where the local store is, its size, and how many scopes (profile + org), "
        "records, emails and bodies it holds.",
    )
    store.add_argument("--profile", default=argparse.SUPPRESS, metavar="NAME", help=profile_help)
    actions = store.add_subparsers(dest="store_command", metavar="ACTION")
    forget = actions.add_parser("forget", help="forget one record's stored emails, or everything (--all)",
                                description="Forget MODULE RECORD_ID in every org of the profile, or with --all "
                                "remove the store's file itself.")
    forget.add_argument("module", nargs="?", metavar="MODULE")
    forget.add_argument("record_id", nargs="?", metavar="RECORD_ID")
    forget.add_argument("--all", action="store_true", help="remove the whole store (the file itself)")
    forget.add_argument("--profile", default=argparse.SUPPRESS, metavar="NAME", help=profile_help)

    search = commands.add_parser(
        "search",
        help="search the stored emails of every record (no API call)",
        description="Search every stored email of the profile: words, \"phrases\", from: to: subject: status: "
        "has:attachment before:YYYY-MM-DD after:YYYY-MM-DD is:done|flagged|todo, and -negation. Put `--` "
        "before a query that starts with '-'. Exit 0 with matches, 1 with none, 2 for a bad query.",
    )
    search.add_argument("query", nargs="+", metavar="QUERY")
    search.add_argument("--json", action="store_true", help="JSON Lines: the stored list item with module and record")
    search.add_argument("--limit", type=_positive, default=None, metavar="N", help="at most N emails, newest first")
    search.add_argument("--demo", action="store_true", help="search what the demo stored instead")
    search.add_argument("--profile", default=argparse.SUPPRESS, metavar="NAME", help=profile_help)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def run(args: argparse.Namespace) -> int:
    """`crm-emails store ...` or `crm-emails search ...`."""
    from tui.store.store import StoreError

    try:
        if args.command == "search":
            return search(args)
        if getattr(args, "store_command", None) == "forget":
            return forget(args)
        return describe(args)
    except StoreError as error:
        print(f"crm-emails: {error.message}", file=sys.stderr)
        return 1


def _open(*, check: bool) -> Store:
    from tui.store.store import Store

    store = Store.open(check=check)
    if store.notice:
        print(f"crm-emails: {store.notice}", file=sys.stderr)
    return store


def _location():
    from tui.store import files

    return files.resolve()[0]


# --- crm-emails store ----------------------------------------------------------------------


def describe(args: argparse.Namespace, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    location = _location()
    if not location.exists():
        print(f"Nothing is stored yet: the local store will be {location}.", file=out)
        return 0
    with _open(check=True) as store:
        stats = store.stats()
    print(f"Local store: {stats.path} ({human_size(stats.size)}).", file=out)
    print(f"It holds {counts(stats)}.", file=out)
    for part in stats.per_scope:
        print(f"  {scope_name(part.scope)}: {plural(part.records, 'record')}, {plural(part.emails, 'email')}, "
              f"{plural(part.bodies, 'body', 'bodies')}.", file=out)
    if not stats.full_text:
        from tui.store.store import NO_FULL_TEXT

        print(f"Search: {NO_FULL_TEXT}.", file=out)
    return 0


def forget(args: argparse.Namespace) -> int:
    from tui.cli import CliUsageError, normalise_module

    if args.all:
        if args.module or args.record_id:
            raise CliUsageError("give either --all or MODULE RECORD_ID, not both")
        return forget_everything()
    if not (args.module and args.record_id):
        raise CliUsageError("store forget needs MODULE RECORD_ID (or --all)")
    module, profile = normalise_module(args.module), args.profile
    location = _location()
    if not location.exists():
        print(f"Nothing is stored yet ({location}): nothing to forget.")
        return 0
    from tui.render.safe import one_line

    with _open(check=True) as store:
        scopes = store.scopes(profile)
        names = [n for n in (store.record_name(s, module, args.record_id) for s in scopes) if n]
        removed = sum(store.forget_record(s, module, args.record_id) for s in scopes)
    shown = f"{module} {args.record_id}" + (f" ({one_line(names[0])})" if names else "")
    if removed or names:
        print(f"Forgot {shown} in profile {profile!r}: {plural(removed, 'stored email')} removed.")
    else:
        print(f"Nothing is stored for {shown} in profile {profile!r}: nothing to forget.")
    return 0


def forget_everything() -> int:
    from tui.store import files

    location = _location()
    if not location.exists():
        print(f"There is no local store at {location}: nothing to remove.")
        return 0
    what = ""
    try:
        with _open(check=False) as store:
            what = f": {counts(store.stats())}"
    except Exception:  # a damaged store goes too; its numbers are not needed to remove it
        pass
    size = files.size(location)
    removed = files.remove(location)
    print(f"Removed the local store {location} ({human_size(size)}){what}.")
    if len(removed) > 1:
        print(f"Also removed {', '.join(p.name for p in removed[1:])}.")
    return 0


# --- crm-emails search ----------------------------------------------------------------------


def search(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from tui.cli import CliUsageError
    from tui.store.query import QueryError, parse

    out = out or sys.stdout
    text = " ".join(args.query)
    try:
        query = parse(text)
    except QueryError as error:
        raise CliUsageError(error.message) from None
    location = _location()
    if not location.exists():
        print("crm-emails: no stored email matches (nothing is stored yet)", file=sys.stderr)
        return 1
    with _open(check=False) as store:
        scopes = store.scopes(demo=True) if args.demo else store.scopes(args.profile, demo=False)
        result = store.search(scopes, query, limit=args.limit)
        if store.search_note:
            print(f"crm-emails: {store.search_note}", file=sys.stderr)
    if not result.hits:
        print("crm-emails: no stored email matches", file=sys.stderr)
        return 1
    for hit in result.hits:
        out.write(hit_json(hit) if args.json else hit_line(hit))
        out.write("\n")
    if result.total > len(result.hits):
        print(f"crm-emails: {len(result.hits)} of {result.total} matches shown (--limit)", file=sys.stderr)
    return 0


def hit_line(hit: Any) -> str:
    """`Leads Ada Lovelace  2026-11-20 08:25  Ada Lovelace  Subject`, safe for a terminal."""
    from tui.render.safe import one_line

    record = f"{hit.module} {one_line(hit.record_name) or hit.record_id}"
    return "  ".join([one_line(record), local_time(hit.time_epoch), one_line(hit.sender) or "—",
                      one_line(hit.subject) or "(no subject)"])


def hit_json(hit: Any) -> str:
    import json

    row = {"module": hit.module, "record_id": hit.record_id, "record_name": hit.record_name,
           "message_id": hit.message_id}
    row.update((k, v) for k, v in hit.item.items() if k not in row)
    return safe_json(json.dumps(row, ensure_ascii=False, separators=(",", ":")))


def safe_json(text: str) -> str:
    """JSON with C1 controls, bidi controls and lone surrogates as \\u escapes (still the same JSON)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def local_time(epoch: int | None) -> str:
    from datetime import datetime

    if epoch is None:
        return "—"
    try:
        return datetime.fromtimestamp(epoch).strftime("%Y-%m-%d %H:%M")
    except (OverflowError, OSError, ValueError):
        return "—"


# --- crm-emails export --marks -------------------------------------------------------------------


def marks_of_org(profile: str, grant_fingerprint: str, fallback_key: str, module: str, record_id: str
                 ) -> dict[str, Mark] | None:
    """The local marks on a record's emails in the org these credentials reach (as the app names it:
    the org it was told, else `fallback_key`); None when the store keeps nothing for that org."""
    from tui.store.store import org_fact

    if not _location().exists():
        return None
    with _open(check=False) as store:
        org_key = store.recall(org_fact(grant_fingerprint)) or fallback_key
        scope = next((s for s in store.scopes(profile, demo=False) if s.org_key == org_key), None)
        return store.marks_for(scope, module, record_id) if scope is not None else None


def marks_sentence(marked: int, marks: dict[str, Mark] | None) -> str:
    """What --marks added, for stderr."""
    if marks is None:
        return "No marks are kept for this org on this machine: written without any."
    return f"{plural(marked, 'email')} with a local mark (--marks)."


# --- crm-emails export --from-store ------------------------------------------------------------


def export_from_store(args: argparse.Namespace, output: Output) -> int:
    """The stored feed as the export's JSON Lines into `output` (as `export` writes them: atomic, terminal
    controls escaped), with no API call; what it knows of the feed on stderr."""
    from tui.cli import normalise_module
    from tui.store.store import StoreError, feed_filter_key

    module = normalise_module(args.module)
    key = feed_filter_key(args.email_type, args.owner_id)
    shown = f"{module} {args.record_id}" + (f" ({key})" if key else "")
    found = None
    try:
        if _location().exists():
            with _open(check=False) as store:
                found = _stored_feed(store, args.profile, module, args.record_id, key)
                if found is not None:
                    scope, feed = found
                    details = store.details_for(scope, [i.get("message_id") for i in feed.items]) if args.bodies else {}
                    marks = store.marks_for(scope, module, args.record_id) if args.marks else {}
    except StoreError as error:
        print(f"crm-emails: {error.message}", file=sys.stderr)
        return 1
    if found is None:
        output.abandon()
        print(f"crm-emails: nothing is stored for {shown} in profile {args.profile!r}: open it in the app first, "
              "or export without --from-store", file=sys.stderr)
        return 1
    lacking = 0
    rows = []
    for item in feed.items:
        row = item
        if args.bodies:
            detail = details.get(item.get("message_id"))
            lacking += detail is None
            row = {**item, **(detail or {})}
        rows.append(row)
    from tui.store.marks import with_marks

    with_marks(rows, marks)
    try:
        output.write_page(rows, None)
        output.finish()
    except OSError as error:
        from tui.downloads import os_error_reason

        output.abandon()
        print(f"crm-emails: Cannot write {output.where}: {os_error_reason(error)}.", file=sys.stderr)
        return 1
    print(f"Exported {plural(len(feed.items), 'email')} from the local store (no API call). {sync_sentence(feed.state)}",
          file=sys.stderr)
    if args.marks:
        print(marks_sentence(sum("mark" in row for row in rows), marks), file=sys.stderr)
    if lacking:
        print(f"{plural(lacking, 'email')} lacked a stored body: export without --from-store to fetch "
              f"{'it' if lacking == 1 else 'them'}.", file=sys.stderr)
    return 0


def _stored_feed(store: Store, profile: str, module: str, record_id: str, key: str):
    """The profile's stored feed of the record (the most recently synced when several orgs hold it)."""
    best = None
    for scope in store.scopes(profile):
        feed = store.load_feed(scope, module, record_id, key)
        if feed is not None and (best is None or _freshness(feed.state) > _freshness(best[1].state)):
            best = (scope, feed)
    return best


def _freshness(state: FeedState) -> float:
    return max(state.synced_at or 0.0, state.walked_at or 0.0)


def sync_sentence(state: FeedState) -> str:
    synced = f"Last synced {when(state.synced_at)}" if state.synced_at else "Never refreshed from the top"
    if state.complete:
        return f"{synced}; the stored list is complete (walked to its end {when(state.walked_at)})."
    return f"{synced}; the stored list is incomplete: Zoho has more than the {state.count} stored."


def when(epoch: float | None) -> str:
    from datetime import datetime

    if epoch is None:
        return "at an unknown time"
    return datetime.fromtimestamp(epoch).astimezone().strftime("%Y-%m-%d %H:%M %Z").strip()


# --- wording ------------------------------------------------------------------------------------


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {nouns or noun + 's'}"


def counts(stats: StoreStats) -> str:
    return (f"{plural(stats.scopes, 'scope')}, {plural(stats.records, 'record')}, {plural(stats.emails, 'email')}, "
            f"{plural(stats.bodies, 'body', 'bodies')}")


def scope_name(scope: Scope) -> str:
    from tui.render.safe import one_line

    where = "the demo" if scope.demo else one_line(scope.label) or one_line(scope.org_key)
    return f"profile {scope.profile!r}, {where}"


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"
