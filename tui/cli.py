"""The `crm-emails` command: argument parsing and the non-interactive commands.

`crm-emails [MODULE RECORD_ID | URL]` opens the app; `auth`, `export` and
`sandbox` run without a screen. Imports stay lazy so `--help` answers without
loading Textual, httpx or keyring (nor `typing`, nor the `shutil` argparse
loads to measure the terminal: `--help` is as quick as Python starting).

Exit codes: 0 success, 1 an API or credentials error (its code and hint are
printed), 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence

TYPE_CHECKING = False  # typing's own: importing typing would cost --help a tenth of its time
if TYPE_CHECKING:
    from typing import Any, TextIO

    from tui.credentials import Credentials
    from tui.export_file import ExportOf, Output
    from tui.sandbox.app import Faults
    from tui.session.keeper import StoreOpening
    from tui.store.marks import Mark
    from tui.zoho.models import Email
    from tui.zoho.client import ZohoClient
    from tui.zoho.errors import ZohoError

COMMANDS = ("auth", "export", "sandbox", "store", "search")
DATA_CENTER_KEYS = ("us", "eu", "in", "au", "jp", "cn", "ca", "sa", "uk")  # tui.zoho.catalog.DATA_CENTERS, kept import-free


class CliUsageError(Exception):
    """A mistake in the command line, found after argparse was done with it."""


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's, told the terminal's width: argparse imports shutil (and bz2, lzma) only to measure it."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        super().__init__(prog, indent_increment, max_help_position, width or terminal_columns() - 2)


def terminal_columns() -> int:
    """What shutil.get_terminal_size() says of the columns: $COLUMNS, else the terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


# --- parsing -----------------------------------------------------------------


def _connection_options(parser: argparse.ArgumentParser, *, defaults: bool) -> None:
    """The options every command shares. Sub-parsers get them without defaults so they don't undo the top level."""
    default = (lambda value: value) if defaults else (lambda value: argparse.SUPPRESS)
    group = parser.add_argument_group("connection")
    group.add_argument("--profile", default=default("default"), metavar="NAME", help="credentials profile (default: default)")
    group.add_argument("--dc", choices=DATA_CENTER_KEYS, default=default(None), help="Zoho data center (default: us, or ZOHO_DC)")
    group.add_argument("--api-domain", default=default(None), metavar="URL", help="override the API host (env ZOHO_API_DOMAIN)")
    group.add_argument("--accounts-url", default=default(None), metavar="URL", help="override the Accounts host (env ZOHO_ACCOUNTS_URL)")
    group.add_argument("--api-version", default=default("v8"), metavar="V", help="CRM API version (default: v8)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crm-emails",
        description="Read the emails of a Zoho CRM record in a terminal.",
        epilog=(
            "commands (run `crm-emails COMMAND --help`):\n"
            "  auth login|status|logout   connect a Zoho org (credentials go to the keyring)\n"
            "  export MODULE RECORD_ID    every email of a record as JSON Lines\n"
            "  sandbox                    run the fake Zoho on loopback\n"
            "  search QUERY               search the stored emails (no API call)\n"
            "  store [forget]             the local store: what it holds; forget a record or all\n\n"
            "examples:\n"
            "  crm-emails --demo                       the app on built-in demo data\n"
            "  crm-emails Leads 4150868000000250001    open one record\n"
            "  crm-emails https://crm.zoho.com/crm/org123/tab/Leads/4150868000000250001"
        ),
        formatter_class=HelpFormatter,
    )
    from tui import __version__

    parser.add_argument("--version", action="version", version=f"crm-emails {__version__}")
    parser.add_argument("--demo", action="store_true", help="run on the built-in sandbox: no account, no network")
    parser.add_argument(
        "--no-store", action="store_true", help="keep nothing on disk: no local store (env CRM_EMAILS_NO_STORE=1)"
    )
    parser.add_argument("target", nargs="*", metavar="MODULE RECORD_ID | URL", help="the record to open (default: the record picker)")
    parser.add_argument(
        "--watch",
        type=_watch_seconds,
        metavar="SECONDS",
        help="sync the open record's newest emails every SECONDS (60 or more; one API call each)",
    )
    parser.add_argument("--watch-bell", action="store_true", help="ring the terminal bell when watching finds new emails")
    _connection_options(parser, defaults=True)
    return parser


def build_command_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of the commands; given the `command` being run, the others' help texts are not built."""
    parser = argparse.ArgumentParser(prog="crm-emails", formatter_class=HelpFormatter)
    _connection_options(parser, defaults=True)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    auth = commands.add_parser("auth", help="connect a Zoho org: login, status, logout", formatter_class=HelpFormatter)
    auth_commands = auth.add_subparsers(dest="auth_command", required=True, metavar="ACTION")
    login = auth_commands.add_parser(
        "login",
        help="exchange a Self Client grant code and store the credentials in the keyring",
        description=(
            "Create a Self Client at https://api-console.zoho.com, generate a grant code with the scopes in the "
            "README, then run this. Anything not given as an option is asked for (the secret without echo), "
            "or read from standard input when it is not a terminal: client id, client secret, grant code, one a line."
        ),
    )
    _connection_options(login, defaults=False)
    login.add_argument("--client-id", metavar="ID")
    login.add_argument("--client-secret", metavar="SECRET", help="prefer the prompt: options end up in shell history")
    login.add_argument("--code", metavar="GRANT_CODE", help="the grant code (valid 3-10 minutes, single use)")
    login.add_argument(
        "--print-env", action="store_true",
        help="for a host without a keyring: exchange the code and print the `export ZOHO_...=` lines "
        "(client secret and refresh token included) to the terminal instead of storing them",
    )
    login.add_argument("--force", action="store_true", help="with --print-env: print even when stdout is not a terminal")
    status = auth_commands.add_parser("status", help="where the credentials come from and whether a refresh works now")
    _connection_options(status, defaults=False)
    logout = auth_commands.add_parser("logout", help="forget the stored credentials")
    _connection_options(logout, defaults=False)
    logout.add_argument("--revoke", action="store_true", help="also revoke the refresh token at Zoho")

    export = commands.add_parser(
        "export",
        help="write every email of a record as JSON Lines",
        description=_paragraphs(
            "Every email of the record as JSON Lines, one object per line, in the API's order, each message_id "
            "once. Progress, and every wait before a retry, go to stderr. Patient: up to 10 retries per call "
            "(waits up to 60 s each, 15 minutes in all).\n\n"
            "-o FILE is written to FILE.partial and renamed to FILE when the export is complete: a failed or "
            "interrupted export leaves FILE as it was, and what it read in FILE.partial. FILE.resume notes, "
            "after each page, where the next page starts; --resume continues from there, so no page or body "
            "is asked for twice. When Zoho no longer accepts that page (or the note is gone), --resume reads "
            "from the first page and skips every email FILE.partial already holds."
        ),
        formatter_class=HelpFormatter,
    )
    _connection_options(export, defaults=False)
    export.add_argument("module", metavar="MODULE", help="module API name: Leads, Contacts, Deals, ... or a custom module")
    export.add_argument("record_id", metavar="RECORD_ID")
    export.add_argument("--type", dest="email_type", metavar="TYPE", help="sent_from_crm, scheduled_in_crm, drafts, user_emails, ...")
    export.add_argument("--owner-id", metavar="ID", help="whose mailbox (only with --type user_emails)")
    export.add_argument("--bodies", action="store_true", help="merge each email's detail (content, attachments): one more call per email")
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output (replaced only when complete)")
    export.add_argument(
        "--resume", action="store_true",
        help="continue the interrupted export to -o FILE (from FILE.partial and FILE.resume)",
    )
    export.add_argument("--from-store", action="store_true", help="write the stored list: no API call")
    export.add_argument(
        "--marks", action="store_true",
        help='each email you marked in the app gains "mark": {"state", "note", "at"} (from the local store)',
    )

    # No connection options: the sandbox serves credentials, it uses none.
    sandbox = commands.add_parser(
        "sandbox",
        help="run the fake Zoho (Accounts + CRM) on loopback",
        description="Serves the sandbox over HTTP on loopback and prints the shell lines that point crm-emails at it.",
        # The list of misbehaviours imports the sandbox: only for `sandbox` (export runs without it).
        epilog=sandbox_faults_help() if command in (None, "sandbox") else None,
        formatter_class=HelpFormatter,
    )
    sandbox.add_argument("--host", default="127.0.0.1", help="loopback address to listen on (default: 127.0.0.1)")
    sandbox.add_argument("--port", type=_port, default=8765, help="port (default: 8765; 0 picks a free one)")
    sandbox.add_argument("--seed", type=int, default=None, help="data seed (default: the demo's)")
    sandbox.add_argument(
        "--latency", type=_milliseconds, default=None, metavar="MS", help="delay every answer by MS milliseconds"
    )
    sandbox.add_argument(
        "--faults", default="", metavar="SPEC", help="e.g. 429=0.1,500=0.05,drop=0.02,expire=100 (also latency=MS)"
    )
    sandbox.add_argument(
        "--env",
        action="store_true",
        help='print only the export lines for a sandbox on --host/--port (started apart), and exit: eval "$(crm-emails sandbox --env)"',
    )
    if command in (None, "store", "search"):  # their parsers import the store's commands
        from tui.store.commands import add_parsers

        add_parsers(commands)
    return parser


def _paragraphs(text: str) -> str:
    """Help text wrapped to 78 columns, its blank lines kept (RawDescriptionHelpFormatter wraps nothing)."""
    import textwrap

    return "\n\n".join(textwrap.fill(paragraph, 78) for paragraph in text.split("\n\n"))


def sandbox_faults_help() -> str:
    """The misbehaviours --faults can name (tui/sandbox/misbehaviour.py is the one list)."""
    from tui.sandbox.misbehaviour import names_and_effects

    lines = ["misbehaviours for --faults (alone, or NAME=N):"]
    lines += [f"  {name:<22} {does}" for name, does in names_and_effects()]
    return "\n".join(lines)


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, not {port}")
    return port


def _watch_seconds(text: str) -> int:
    from tui.session.watch import WatchError, watch_interval

    try:
        return watch_interval(float(text))
    except ValueError as error:
        reason = str(error) if isinstance(error, WatchError) else "give the interval in seconds, for example --watch 120"
        raise argparse.ArgumentTypeError(reason) from None


def _milliseconds(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"cannot be negative: {value}")
    return value


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """Commands and the app share the top-level options; the first bare word decides which parser reads the rest."""
    first_word = next((a for a in _skip_option_values(argv) if not a.startswith("-")), None)
    if first_word in COMMANDS:
        return build_command_parser(first_word).parse_args(argv)
    args = build_parser().parse_args(argv)
    args.command = None
    return args


def _skip_option_values(argv: Sequence[str]) -> list[str]:
    """The words of argv that are not values of the top-level options taking one."""
    takes_value = {"--profile", "--dc", "--api-domain", "--accounts-url", "--api-version", "--watch"}
    words, skip = [], False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in takes_value:
            skip = True
            continue
        words.append(arg)
    return words


# --- entry point -------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parse(argv)
    except SystemExit as exit_:  # argparse: --help, --version (0) or a usage error (2)
        return int(exit_.code or 0)
    from tui.zoho.errors import CredentialsError, UsageError, ZohoError

    try:
        if args.command == "auth":
            return run_auth(args)
        if args.command == "export":
            return run_export(args)
        if args.command == "sandbox":
            return run_sandbox(args)
        if args.command in ("store", "search"):
            from tui.store.commands import run

            return run(args)
        return run_app(args)
    except (CliUsageError, UsageError) as error:
        message = error.message if isinstance(error, ZohoError) else str(error)
        print(f"crm-emails: {message}", file=sys.stderr)
        return 2
    except (ZohoError, CredentialsError) as error:
        print_error(error)
        return 1
    except KeyboardInterrupt:
        print("crm-emails: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`crm-emails export ... | head`): stop quietly, as other Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit-time flush cannot fail again
        return 141


def print_error(error: ZohoError, stream: TextIO | None = None) -> None:
    """The CLI's rendering of an error: the same parts the app's error panel shows."""
    from tui.render.safe import clean, one_line

    stream = stream or sys.stderr
    print(f"crm-emails: {one_line(error.summary)}", file=stream)
    if error.details:
        print(f"  details: {one_line(error.details_line())}", file=stream)
    print(f"  what to do: {clean(error.hint)}", file=stream)


def connection(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "profile": args.profile,
        "dc": args.dc,
        "api_domain": args.api_domain,
        "accounts_url": args.accounts_url,
    }


# --- the app -------------------------------------------------------------------


def parse_target(words: Sequence[str]) -> tuple[str, str] | None:
    """`MODULE RECORD_ID` or a CRM web URL -> (module api name, record id)."""
    if not words:
        return None
    if len(words) == 1:
        from tui.zoho.links import parse_record_url

        target = parse_record_url(words[0])
        if target is None:
            raise CliUsageError(
                f"not a Zoho CRM record link: {words[0]!r} (expected https://crm.zoho.com/crm/ORG/tab/MODULE/ID, "
                "or MODULE RECORD_ID)"
            )
        return target
    if len(words) == 2:
        return normalise_module(words[0]), words[1]
    raise CliUsageError("give MODULE RECORD_ID, or one CRM web URL")


def normalise_module(name: str) -> str:
    """`leads`, `sales_orders` -> the standard API names; anything else (a custom module) as given."""
    from tui.zoho.catalog import STANDARD_MODULES

    wanted = name.replace(" ", "_").lower()
    for module in STANDARD_MODULES:
        if wanted in (module.api_name.lower(), module.api_name.replace("_", "").lower()):
            return module.api_name
    return name


def terminal_problem() -> str | None:
    """Why the app cannot run here, if it cannot: it reads keys from standard input and draws on standard error.

    Off a terminal, Textual's input thread reads the end of its input again and again (a core spent for as long
    as the app runs, and no key can reach it), or its frames go into a file nobody sees.
    """
    elsewhere = "`crm-emails export` and `crm-emails search` work without one"
    stdin = sys.__stdin__  # what Textual reads, as it draws on sys.__stderr__
    if stdin is None or not stdin.isatty():
        return f"the app reads its keys from a terminal, and standard input is not one (over SSH: ssh -t); {elsewhere}"
    stderr = sys.__stderr__
    if stderr is None or not stderr.isatty():
        return f"the app draws on standard error, and it is not a terminal (leave 2> off); {elsewhere}"
    return None


def run_app(args: argparse.Namespace) -> int:
    from tui import startup_gc

    startup_gc.hold()  # until the first screen is painted: see tui/startup_gc.py
    try:
        return _run_app(args)
    finally:
        startup_gc.release()  # the app never painted (a usage error, a crash): on again all the same


def _run_app(args: argparse.Namespace) -> int:
    from tui import store

    start = parse_target(args.target)
    problem = terminal_problem()
    if problem:
        raise CliUsageError(problem)
    profile = None if args.demo else args.profile
    use_store = store.enabled(args)
    opening = None
    if use_store:
        # Opened first, on its thread, with the record's top read from it: SQLite works while Python imports.
        from tui.session.keeper import StartRead, StoreOpening

        early = None if start is None else StartRead(store.scope_profile(profile, args.demo), args.demo, *start)
        opening = StoreOpening(start=early)
    try:
        return _run_tui(args, start, profile, use_store, opening)
    finally:
        if opening is not None:
            opening.abandon()  # the app ended before it took the store (nothing if it did)


def _run_tui(
    args: argparse.Namespace, start: tuple[str, str] | None, profile: str | None, use_store: bool,
    opening: StoreOpening | None,
) -> int:
    if args.demo:
        from tui.connect import demo_client, demo_client_later

        async def connect() -> ZohoClient:
            return demo_client()[0] if sends_first else demo_client_later()

    else:
        from tui.connect import open_client

        unlock_keyring()

        async def connect() -> ZohoClient:
            return await open_client(**connection(args), api_version=args.api_version)

    from tui.app import run_app as run
    from tui.session.watch import Watch

    # Whether Zoho is asked before anything is on screen (decided here, once Textual's imports gave the store time
    # to read the record): not when the store holds the record, which paints first; httpx and the demo's sandbox
    # load after. `connect` reads it when the app runs.
    sends_first = opening is None or not opening.holds_start()
    if sends_first:
        _load_httpx()

    watch = Watch(args.watch, bell=args.watch_bell) if args.watch else None
    return (
        run(
            connect,
            start=start,
            demo=args.demo,
            profile=profile,
            use_store=use_store,
            watch=watch,
            watch_bell=args.watch_bell,
            store_opening=opening,
        )
        or 0
    )


def _load_httpx() -> None:
    """httpx (with ssl, urllib.request, email: a tenth of a start), loaded before the app runs when its first
    request comes before its first paint: in that request's middle, the app would draw the connecting screen."""
    import httpx  # noqa: F401


# --- auth ----------------------------------------------------------------------


def unlock_keyring(*, needed: bool = False) -> None:
    """On a terminal, let a file keyring ask for its password before anything else needs it.

    Skipped when the environment holds the credentials (unless the keyring is `needed`), and
    off a terminal, where nobody could answer: there the bounded keyring calls fail with the ways out.
    """
    from tui import credentials

    on_terminal = sys.stdin is not None and sys.stdin.isatty()
    if on_terminal and (needed or not credentials.environment_has_credentials()):
        credentials.unlock()


def run_auth(args: argparse.Namespace) -> int:
    import asyncio

    keyring_free = args.auth_command == "status" or (args.auth_command == "login" and args.print_env)
    unlock_keyring(needed=not keyring_free)
    action = {"login": auth_login, "status": auth_status, "logout": auth_logout}[args.auth_command]
    return asyncio.run(action(args))


class Prompter:
    """Asks for what the options did not give: on a terminal with prompts, otherwise line by line from stdin."""

    def __init__(self, stdin: TextIO | None = None) -> None:
        self.stdin = stdin or sys.stdin
        self.interactive = self.stdin.isatty()

    def ask(self, label: str, *, secret: bool = False, default: str | None = None) -> str:
        if self.interactive:
            import getpass

            shown = f"{label} [{default}]: " if default else f"{label}: "
            value = getpass.getpass(shown) if secret else input(shown)
        else:
            value = self.stdin.readline().rstrip("\r\n")
        value = value.strip() or (default or "")
        if not value:
            raise CliUsageError(f"{label.lower()} is required")
        return value


async def auth_login(args: argparse.Namespace) -> int:
    import asyncio

    import httpx

    from tui import credentials
    from tui.connect import client_from_credentials
    from tui.zoho.auth import exchange_grant_code
    from tui.zoho.catalog import DATA_CENTERS, DEFAULT_DC
    from tui.zoho.urls import check_url

    if args.print_env and not sys.stdout.isatty() and not args.force:
        raise CliUsageError(
            "--print-env prints the client secret and a refresh token, so only to a terminal: "
            "add --force to send them elsewhere (a file only you can read)"
        )
    if not args.print_env:
        # Before anything is asked (the grant code works once): a keyring that fails names --print-env.
        await asyncio.to_thread(credentials.check_keyring, args.profile)
    prompt = Prompter()
    dc = args.dc or os.environ.get("ZOHO_DC") or (
        prompt.ask(f"Data center ({', '.join(DATA_CENTERS)})", default=DEFAULT_DC) if prompt.interactive else DEFAULT_DC
    )
    if dc not in DATA_CENTERS:
        raise CliUsageError(f"unknown data center {dc!r}: one of {', '.join(DATA_CENTERS)}")
    client_id = args.client_id or prompt.ask("Client ID")
    client_secret = args.client_secret or prompt.ask("Client secret", secret=True)
    code = args.code or prompt.ask("Grant code")
    accounts_override = args.accounts_url or os.environ.get("ZOHO_ACCOUNTS_URL")
    accounts_url = check_url(accounts_override or DATA_CENTERS[dc].accounts_url)
    api_domain_override = args.api_domain or os.environ.get("ZOHO_API_DOMAIN")
    if api_domain_override:
        api_domain_override = check_url(api_domain_override)
    async with httpx.AsyncClient(timeout=30) as http:
        grant = await exchange_grant_code(http, accounts_url, client_id, client_secret, code)
    if not grant.refresh_token:
        raise CliUsageError("Zoho returned no refresh token: generate the grant code for a Self Client, with access type offline")
    creds = credentials.Credentials(
        client_id=client_id,
        client_secret=client_secret,
        refresh_token=grant.refresh_token,
        dc=dc,
        accounts_url=accounts_url,
        api_domain=api_domain_override or grant.api_domain,
        access_token=grant.access_token,
        access_token_expires_at=grant.expires_at,
        source="env" if args.print_env else "keyring",
        profile=args.profile,
        api_domain_pinned=bool(api_domain_override) and args.print_env,
    )
    if args.print_env:
        print_environment(creds, accounts_url=check_url(accounts_override) if accounts_override else None,
                          api_domain=api_domain_override)
        try:  # the first launch with these variables reuses this token instead of minting one
            await asyncio.to_thread(credentials.write_token_cache, creds, access_token=grant.access_token,
                                    expires_at=grant.expires_at, api_domain=grant.api_domain)
        except OSError:
            pass
        report = sys.stderr
    else:
        await asyncio.to_thread(credentials.store, creds)
        backend = await asyncio.to_thread(credentials.keyring_backend)
        print(f"Stored profile {args.profile!r} in {backend} (data center {dc}).")
        report = sys.stdout
    # These credentials, not whatever ZOHO_* variables the environment holds (they would win in resolve).
    async with client_from_credentials(creds, api_version=args.api_version) as client:
        await report_org(client, report)
    return 0


def print_environment(creds: Credentials, *, accounts_url: str | None, api_domain: str | None) -> None:
    """`export ZOHO_...=` lines on stdout (a terminal, or where --force sends them); the warning on stderr."""
    import shlex

    from tui import credentials

    lines = [
        (credentials.ENV_CLIENT_ID, creds.client_id),
        (credentials.ENV_CLIENT_SECRET, creds.client_secret),
        (credentials.ENV_REFRESH_TOKEN, creds.refresh_token),
    ]
    if creds.dc != "us":
        lines.append((credentials.ENV_DC, creds.dc))
    if accounts_url:
        lines.append((credentials.ENV_ACCOUNTS_URL, accounts_url))
    if api_domain:
        lines.append((credentials.ENV_API_DOMAIN, api_domain))
    for name, value in lines:
        print(f"export {name}={shlex.quote(value)}")
    sys.stdout.flush()
    print(
        "crm-emails: these lines hold the client secret and a refresh token: anyone who has them reads this "
        "org's CRM until the token is revoked in Zoho's API console. Keep them in a file only you can read "
        "(`(umask 077; crm-emails auth login --print-env --force > ~/.config/crm-emails.env)`, then "
        "`. ~/.config/crm-emails.env`), not on a command line: what is typed or pasted there can stay in "
        "the shell's history.",
        file=sys.stderr,
    )


async def report_org(client: ZohoClient, stream: TextIO | None = None) -> None:
    """Where API calls go and which org they reach. A token without ZohoCRM.org.READ still works for emails."""
    from tui.render.safe import one_line
    from tui.zoho.errors import ZohoError

    stream = stream or sys.stdout
    print(f"API domain: {one_line(client.api_domain or '?')}", file=stream)
    try:
        org = await client.org()
    except ZohoError as error:
        if error.code not in ("OAUTH_SCOPE_MISMATCH", "NO_PERMISSION"):
            raise
        print(f"Org: not readable ({error.code}: the grant lacks ZohoCRM.org.READ; web links will be missing)",
              file=stream)
        return
    if org is not None:
        print(f"Org: {one_line(org.company_name or '(unnamed)')} ({one_line(org.domain_name or org.id or '?')})",
              file=stream)


async def auth_status(args: argparse.Namespace) -> int:
    import asyncio

    from tui.render.safe import one_line
    from tui.connect import client_from_credentials, resolve_credentials
    from tui.zoho.errors import ZohoError

    creds = await resolve_credentials(**connection(args))
    if creds.source == "keyring":
        from tui import credentials as keyrings

        backend = await asyncio.to_thread(keyrings.keyring_backend)
        print(f"Credentials: {one_line(backend)} (profile {creds.profile!r})")
    else:
        print(f"Credentials: {'environment variables' if creds.source == 'env' else creds.source}")
    print(f"Data center: {creds.dc}")
    print(f"Accounts: {one_line(creds.accounts_url)}")
    print(f"Client ID: {mask(creds.client_id)}")
    if creds.source == "env":
        from tui import credentials

        print(f"Access token cache: {one_line(str(credentials.token_cache_dir()))}")
    async with client_from_credentials(creds, api_version=args.api_version) as client:
        try:
            # A valid access token cached in the keyring proves nothing about the refresh token: mint one.
            await client.tokens.refresh()
        except ZohoError as error:
            print("Refresh: failed")
            print_error(error, sys.stdout)
            return 1
        print("Refresh: works")
        await report_org(client)
    return 0


def mask(value: str) -> str:
    """Enough of an id to tell two apart; never used for secrets."""
    return value if len(value) <= 12 else f"{value[:8]}…{value[-4:]}"


async def auth_logout(args: argparse.Namespace) -> int:
    import asyncio

    import httpx

    from tui import credentials
    from tui.zoho.auth import revoke_refresh_token
    from tui.zoho.errors import CredentialsError

    if args.revoke:
        creds = await asyncio.to_thread(credentials.resolve, **connection(args))
        if creds.source != "keyring":
            raise CliUsageError("the credentials come from the environment: revoke them in Zoho's API console, then unset them")
        async with httpx.AsyncClient(timeout=30) as http:
            await revoke_refresh_token(http, creds.accounts_url, creds.refresh_token)
        print("Revoked the refresh token at Zoho.")
    from_environment = credentials.environment_has_credentials()
    if from_environment:
        env_creds = await asyncio.to_thread(credentials.resolve, **connection(args))
        if await asyncio.to_thread(credentials.forget_token_cache, env_creds):
            print("Forgot the access token cached for the environment's credentials.")
    try:
        forgot = await asyncio.to_thread(credentials.forget, args.profile)
    except CredentialsError:
        if not from_environment:
            raise
        print("No keyring could be read here: nothing is stored in one.")  # the usual case over SSH
    else:
        print(f"Forgot profile {args.profile!r}." if forgot else
              f"Nothing stored for profile {args.profile!r}: nothing to forget.")
    if from_environment:
        print(f"{', '.join(credentials.SECRET_ENV)} are still set in the environment, and they win: unset them too.")
    return 0


# --- export --------------------------------------------------------------------

# Export is not interactive and can be patient: more tries, longer waits between them, a longer total
# wait per call than the app's (4 retries, backoff up to 30 s, 5 minutes). No single wait passes 60 s.
EXPORT_PATIENCE: dict[str, Any] = {"max_retries": 10, "max_backoff": 60.0, "max_total_wait": 900.0}


def run_export(args: argparse.Namespace) -> int:
    import asyncio

    from tui.export_file import OutputError, OutputUsageError, open_output
    from tui.zoho.client import check_email_filters

    # Before -o touches a file that may hold the last good export.
    check_email_filters(normalise_module(args.module), args.email_type, args.owner_id)
    if args.from_store and args.resume:
        raise CliUsageError("--resume continues an export from Zoho; --from-store writes the stored list whole")
    try:
        output = open_output(args.output, export_of(args), resume=args.resume)
    except OutputError as error:  # checked before anything is asked of Zoho
        print(f"crm-emails: {error}", file=sys.stderr)
        return 2 if isinstance(error, OutputUsageError) else 1
    if args.from_store:
        from tui.store.commands import export_from_store

        return export_from_store(args, output)
    try:
        unlock_keyring()
    except BaseException:
        output.abandon()
        raise
    return asyncio.run(export(args, output))


def export_of(args: argparse.Namespace) -> ExportOf:
    from tui.export_file import ExportOf

    return ExportOf(normalise_module(args.module), args.record_id, args.email_type, args.owner_id, bool(args.bodies),
                    bool(getattr(args, "marks", False)))


async def export(args: argparse.Namespace, output: Output) -> int:
    """Run one export into `output` (tui.export_file): 0, or 1 after saying what went wrong and where
    the rows read so far are. Ctrl-C says the same, then goes on as KeyboardInterrupt."""
    import asyncio

    from tui.connect import open_client
    from tui.downloads import os_error_reason
    from tui.zoho.errors import ZohoError

    progress = Progress(sys.stderr)
    client: ZohoClient | None = None
    try:
        client = await open_client(
            **connection(args), api_version=args.api_version, on_event=progress.on_event,
            client_options=EXPORT_PATIENCE,
        )
        async with client:
            marks = await asyncio.to_thread(export_marks, args, client) if export_of(args).marks else None
            marked = await export_emails(client, export_of(args), output, progress, marks=marks or {})
        output.finish()
    except ZohoError:
        progress.stopped(output.count, client.calls if client else 0, output.abandon())
        raise
    except BrokenPipeError:  # the reader went away (`| head`): main ends quietly
        output.abandon()
        raise
    except OSError as error:
        where = output.abandon()
        progress.stopped(output.count, client.calls if client else 0, where)
        print(f"crm-emails: Cannot write {output.where}: {os_error_reason(error)}.", file=sys.stderr)
        return 1
    except (asyncio.CancelledError, KeyboardInterrupt):
        progress.stopped(output.count, client.calls if client else 0, output.abandon(), interrupted=True)
        raise
    progress.done(output.count, client.calls)
    if export_of(args).marks:
        from tui.store.commands import marks_sentence

        print(marks_sentence(marked, marks), file=sys.stderr)
    return 0


def export_marks(args: argparse.Namespace, client: ZohoClient) -> dict[str, Mark] | None:
    """The local marks on the record's emails in the client's org (None: the store keeps none for it)."""
    from tui.store.commands import marks_of_org
    from tui.store.store import StoreError

    try:
        return marks_of_org(args.profile, client.tokens.fingerprint, f"{client.api_domain}|{client.tokens.client_id}",
                            normalise_module(args.module), args.record_id)
    except StoreError as error:
        print(f"crm-emails: {error.message} Exporting without marks.", file=sys.stderr)
        return None


async def export_emails(
    client: ZohoClient,
    of: ExportOf,
    output: Output,
    progress: Progress | None = None,
    *,
    marks: Mapping[str, Mark] | None = None,
) -> int:
    """Every email of the record into `output`, page by page from `output.start_index`, none twice;
    each one of `marks` with its mark. Returns how many marked emails were written.

    When Zoho refuses the index a resumed export starts from, it starts from the first page instead
    (what the output holds is skipped). Raises ZohoError; BROKEN_PAGING after the pages read.
    """
    from tui.store.marks import with_marks
    from tui.zoho.errors import ZohoAPIError

    marked = 0

    index = output.start_index
    while True:
        try:
            # Without bodies the rows are written as Zoho sent them: no models are built for them.
            pages = client.iter_email_pages(
                of.module, of.record_id, type=of.type, owner_id=of.owner_id, index=index, bare=not of.bodies
            )
            async for page in pages:
                emails = [email for email in page.emails if email.message_id not in output.written]
                if of.bodies:
                    rows = await with_bodies(client, of.module, of.record_id, emails, progress)
                else:
                    rows = [dict(email.raw) for email in emails]
                marked += sum("mark" in row for row in with_marks(rows, marks or {}))
                output.write_page(rows, page.info.next_index if page.info.more_records else None)
                if progress is not None:
                    progress.update(output.count, client.calls)
            return marked
        except ZohoAPIError as error:
            refused_index = error.code == "INVALID_DATA" and error.details.get("param_name") == "index"
            if index is None or not refused_index:
                raise
            if progress is not None:
                progress.note(
                    "Zoho no longer accepts the page the export stopped at: reading from the first page, "
                    f"skipping the {output.count} emails already written."
                )
            output.restart_from_the_top()
            index = None


async def with_bodies(
    client: ZohoClient, module: str, record_id: str, emails: Sequence[Email], progress: Progress | None = None
) -> list[dict[str, Any]]:
    """Each email merged with its detail, fetched a few at a time, in the page's order."""
    import asyncio

    from tui.render.safe import one_line
    from tui.zoho.errors import UsageError

    async def merged(email: Email) -> dict[str, Any]:
        user_id = email.owner.id if email.owner and email.owner.id else None
        try:
            detail = await client.get_email(module, record_id, email.message_id, user_id=user_id)
        except UsageError as error:  # a message id no URL can name ("..", "."): its row without the body
            if progress is not None:
                progress.note(f"{one_line(error.message)} Written without its body.")
            return dict(email.raw)
        return {**email.raw, **(detail.raw if detail else {})}

    # The client bounds requests in flight; gather keeps the page's order and waits for every detail.
    results = await asyncio.gather(*(merged(email) for email in emails), return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results  # type: ignore[return-value]


class Progress:
    """'N emails, M API calls' on stderr: rewritten in place on a terminal, a line every 500 emails elsewhere.
    Every wait before a retry is said on a line of its own."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.last_line = 0
        self.shown: str | None = None  # the progress line on a terminal, redrawn after a note

    def update(self, emails: int, calls: int) -> None:
        if self.tty:
            self.shown = f"{plural(emails, 'email')}, {plural(calls, 'API call')}"
            self.stream.write(f"\r{self.shown}")
            self.stream.flush()
        elif emails - self.last_line >= 500:
            self.last_line = emails
            print(f"{emails} emails…", file=self.stream)

    def on_event(self, event: Any) -> None:
        """The client's on_event: each Retrying, in words."""
        from tui.zoho.client import Retrying

        if isinstance(event, Retrying):
            self.note(f"crm-emails: {retry_line(event)}")

    def note(self, line: str) -> None:
        if self.tty:
            self.stream.write("\r\x1b[K")
        print(line, file=self.stream)
        if self.tty and self.shown:
            self.stream.write(self.shown)
            self.stream.flush()

    def done(self, emails: int, calls: int) -> None:
        self._final(f"Exported {plural(emails, 'email')} ({plural(calls, 'API call')}).")

    def stopped(self, emails: int, calls: int, where: str = "", *, interrupted: bool = False) -> None:
        """Before the error: a partial output must not pass for a whole export."""
        if emails:
            happened = "Interrupted" if interrupted else "Stopped"
            line = f"{happened} after {plural(emails, 'email')} ({plural(calls, 'API call')}): the output is incomplete."
            self._final(f"{line} {where}".rstrip())
        elif where:
            self._final(where)

    def _final(self, line: str) -> None:
        if self.tty:
            self.stream.write("\r\x1b[K")
        print(line, file=self.stream)


def retry_line(event: Any) -> str:
    """"rate limited (429): waiting 57 s before trying again (attempt 2 of 5)"."""
    from tui.render.safe import one_line
    from tui.zoho.errors import NetworkError, RateLimitedError

    error = event.error
    if isinstance(error, RateLimitedError):
        what = f"rate limited ({error.status or 429})"
    elif isinstance(error, NetworkError):
        what = f"no answer ({one_line(event.reason)})"
    else:
        what = f"Zoho answered {one_line(event.reason)}"
    wait = f"{event.delay_s:.0f} s" if event.delay_s >= 10 else f"{event.delay_s:.1f} s"
    tries = f"attempt {event.attempt + 1} of {event.attempts}" if event.attempts else f"attempt {event.attempt + 1}"
    return f"{what}: waiting {wait} before trying again ({tries})"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# --- sandbox -------------------------------------------------------------------


def run_sandbox(args: argparse.Namespace) -> int:
    from tui.sandbox import data
    from tui.sandbox.app import Sandbox
    from tui.sandbox.server import SandboxServer

    if args.env:
        # No server: the lines for one started apart on the same fixed port (0 would be a port nobody knows).
        if args.port == 0:
            raise CliUsageError("--env needs the fixed --port the sandbox runs on (not 0)")
        host = f"[{args.host}]" if ":" in args.host else args.host
        print("\n".join(sandbox_exports(f"http://{host}:{args.port}")))
        return 0
    sandbox = Sandbox(data.DEFAULT_SEED if args.seed is None else args.seed, faults=sandbox_faults(args))
    server = SandboxServer(sandbox, host=args.host, port=args.port)
    server.start()
    try:
        print(sandbox_banner(server.url), flush=True)
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def sandbox_faults(args: argparse.Namespace) -> Faults:
    """--faults, with --latency (when given) winning over a latency= in the spec."""
    from tui.sandbox.app import Faults

    faults = Faults.parse(args.faults) if args.faults else Faults()
    if args.latency is not None:
        faults.latency_ms = args.latency
    return faults


def sandbox_exports(url: str) -> list[str]:
    """The `export` lines that point crm-emails at a sandbox on `url` (what `sandbox --env` prints)."""
    import shlex

    from tui.sandbox import data

    return [
        f"export ZOHO_CLIENT_ID={shlex.quote(data.CLIENT_ID)}",
        f"export ZOHO_CLIENT_SECRET={shlex.quote(data.CLIENT_SECRET)}",
        f"export ZOHO_REFRESH_TOKEN={shlex.quote(data.REFRESH_TOKEN)}",
        f"export ZOHO_API_DOMAIN={shlex.quote(url)}",
        f"export ZOHO_ACCOUNTS_URL={shlex.quote(url)}",
    ]


def sandbox_banner(url: str) -> str:
    """Shell lines that point crm-emails at the sandbox, then records worth opening."""
    from tui.sandbox import data

    lines = [
        "# crm-emails sandbox: a fake Zoho Accounts + CRM. Point the app at it with:",
        *sandbox_exports(url),
        "# records worth opening:",
    ]
    for label, (module, record_id) in (
        ("250 emails, every kind", data.LEAD_MAIN),
        ("one email", data.LEAD_ONE),
        ("10 emails: exactly one page", data.LEAD_TEN),
        ("11 emails: one page and one more", data.LEAD_ELEVEN),
        ("5,000 emails", data.LEAD_BULK),
        ("50,000 emails", data.CONTACT_HUGE),
        ("no emails (HTTP 204)", data.LEAD_EMPTY),
        ("hostile subjects", data.CONTACT_HOSTILE),
        ("an account (contacts' email types)", data.ACCOUNT_MAIN),
        ("CANNOT_PROCESS", data.LEAD_CANNOT_PROCESS),
        ("NO_PERMISSION", data.LEAD_NO_PERMISSION),
    ):
        lines.append(f"#   crm-emails {module} {record_id}    # {label}")
    lines.append("# Ctrl-C stops it.")
    return "\n".join(lines)
