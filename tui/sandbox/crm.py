"""The CRM endpoints: emails of a record, one email, attachments, modules, records, search, org, users.

Each handler gets the path's parts and the query parameters of a call that is
already authenticated, and answers exactly as Zoho does: the same JSON shapes,
HTTP 204 for "nothing", and `{code, details, message, status}` errors.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from tui.sandbox import attachments
from tui.sandbox.criteria import CriteriaError
from tui.sandbox.criteria import parse as parse_criteria
from tui.sandbox.data import (
    CURRENT_USER_ID,
    MODULE_BY_KEY,
    MODULES,
    NAME_FIELD,
    USER_BY_ID,
    USERS,
    ModuleSpec,
    RecordSpec,
    SandboxData,
    User,
    module_json,
    module_key,
    org_json,
    record_json,
    user_json,
)
from tui.sandbox.mailbox import TYPE_CATEGORIES
from tui.sandbox.wire import MESSAGES, SandboxResponse, json_answer, no_content, refuse
from tui.zoho.catalog import EMAILS_PER_PAGE, USER_EMAILS

MAX_PER_PAGE = 200
_ACCOUNTS_ONLY_TYPES = frozenset(t for t in TYPE_CATEGORIES if t and t.startswith("all_contacts_"))
_DOWNLOAD_PARAMS = ("message_id", "user_id", "id", "name")

# What CANNOT_PROCESS says for LEAD_CANNOT_PROCESS: Zoho's documented IMAP case.
IMAP_SYNC_REASON = ("IMAP is configured for the mailbox and sync is in process or yet to be initiated. "
                    "Wait for the sync to complete before fetching the emails related to the record.")

_USER_FILTERS: dict[str, Callable[[User], bool]] = {
    "AllUsers": lambda u: True,
    "ActiveUsers": lambda u: u.status == "active",
    "DeactiveUsers": lambda u: u.status == "disabled",
    "ConfirmedUsers": lambda u: True,
    "NotConfirmedUsers": lambda u: False,
    "ActiveConfirmedUsers": lambda u: u.status == "active",
    "AdminUsers": lambda u: u.profile == "Administrator",
    "CurrentUser": lambda u: u.id == CURRENT_USER_ID,
}


def invalid_param(name: str):
    return refuse(400, "INVALID_DATA", MESSAGES["INVALID_DATA"], {"param_name": name})


def missing_param(name: str):
    return refuse(400, "REQUIRED_PARAM_MISSING", MESSAGES["REQUIRED_PARAM_MISSING"], {"param_name": name})


class Crm:
    def __init__(self, data: SandboxData) -> None:
        self.data = data
        self.index_epoch = 0  # bumped by Sandbox.expire_indexes: every next_index handed out before stops working

    # --- shared checks ------------------------------------------------------------------

    def module(self, name: str, *, emails: bool = False) -> ModuleSpec:
        """The module the path names (any case, underscores optional), or INVALID_MODULE."""
        module = MODULE_BY_KEY.get(module_key(name))
        if module is None or not module.api_supported or (emails and not module.has_emails):
            raise refuse(400, "INVALID_MODULE", MESSAGES["INVALID_MODULE"], {"resource_path_index": 0})
        return module

    def email_record(self, module_name: str, record_id: str) -> RecordSpec:
        """The record whose emails are asked for, checked the way Zoho checks it."""
        module = self.module(module_name, emails=True)
        record = self.data.record(module.api_name, record_id)
        if record is None:
            raise refuse(400, "INVALID_DATA", MESSAGES["INVALID_ID"], {"resource_path_index": 1})
        if record.access == "no_permission":
            raise refuse(403, "NO_PERMISSION", MESSAGES["NO_PERMISSION"], {"permissions": ["Crm_Implied_View_Emails"]})
        if record.access == "cannot_process":
            raise refuse(400, "CANNOT_PROCESS", "Unable to process the request for the emails of this record",
                         {"reason": IMAP_SYNC_REASON})
        return record

    @staticmethod
    def page_params(params: dict[str, str]) -> tuple[int, int]:
        def number(name: str, default: int, highest: int) -> int:
            raw = params.get(name)
            if raw is None:
                return default
            if not raw.isdigit() or not 1 <= int(raw) <= highest:
                raise invalid_param(name)
            return int(raw)

        return number("page", 1, 10**6), number("per_page", MAX_PER_PAGE, MAX_PER_PAGE)

    @staticmethod
    def fields_param(params: dict[str, str]) -> list[str] | None:
        raw = params.get("fields")
        return None if raw is None else [f.strip() for f in raw.split(",") if f.strip()]

    # --- GET /{Module}/{id}/Emails -------------------------------------------------------

    def emails(self, module_name: str, record_id: str, params: dict[str, str]) -> SandboxResponse:
        record = self.email_record(module_name, record_id)
        email_type = self._email_type(record, params)
        owner_id = self._owner(email_type, params)
        mailbox = self.data.mailbox(record)
        positions = mailbox.positions(email_type, owner_id)
        context = f"index|{record.id}|{email_type}|{owner_id}|{self.index_epoch}"
        start = self._page_start(context, params.get("index"), len(positions))
        page = positions[start : start + EMAILS_PER_PAGE]
        if not page:
            return no_content()
        more = start + EMAILS_PER_PAGE < len(positions)
        previous = start - EMAILS_PER_PAGE
        # An index counts emails from the oldest: emails arriving on top leave the ones handed out valid.
        info = {
            "per_page": EMAILS_PER_PAGE,
            "next_index": self.data.ids.seal(context, len(positions) - start - EMAILS_PER_PAGE) if more else None,
            "count": len(page),
            "prev_index": "0" if previous <= 0 else self.data.ids.seal(context, len(positions) - previous),
            "more_records": more,
        }
        return json_answer({"Emails": [mailbox.list_item(n) for n in page], "info": info})

    @staticmethod
    def _email_type(record: RecordSpec, params: dict[str, str]) -> str | None:
        if "type" not in params:
            return None
        email_type = params["type"]
        if email_type not in TYPE_CATEGORIES or (email_type in _ACCOUNTS_ONLY_TYPES and record.module != "Accounts"):
            raise invalid_param("type")
        return email_type

    @staticmethod
    def _owner(email_type: str | None, params: dict[str, str]) -> str | None:
        """Whose mailbox: only with type=user_emails (the docs' rule), the current user's by default."""
        owner_id = params.get("owner_id")
        if email_type != USER_EMAILS:
            if owner_id is not None:
                raise invalid_param("owner_id")
            return None
        if owner_id is None:
            return CURRENT_USER_ID
        if owner_id not in USER_BY_ID:
            raise invalid_param("owner_id")
        return owner_id

    def _page_start(self, context: str, index: str | None, total: int) -> int:
        # "0" is what prev_index says on page two: it means the first page.
        if index is None or index == "0":
            return 0
        from_oldest = self.data.ids.open(context, index)
        if from_oldest is None or from_oldest > total:
            raise invalid_param("index")
        return total - from_oldest

    # --- GET /{Module}/{id}/Emails/{message_id} ------------------------------------------

    def email(self, module_name: str, record_id: str, message_id: str, params: dict[str, str]) -> SandboxResponse:
        record = self.email_record(module_name, record_id)
        if "user_id" in params and params["user_id"] not in USER_BY_ID:
            raise invalid_param("user_id")
        mailbox = self.data.mailbox(record)
        position = mailbox.position_of(message_id)
        # Zoho's OpenAPI file gives this call a 204: an id it cannot find is "nothing", not an error.
        if position is None:
            return no_content()
        return json_answer({"Emails": [mailbox.detail(position)]})

    # --- GET /{Module}/{id}/Emails/actions/download_attachments --------------------------

    def download(self, module_name: str, record_id: str, params: dict[str, str]) -> SandboxResponse:
        record = self.email_record(module_name, record_id)
        for name in _DOWNLOAD_PARAMS:
            if not params.get(name):
                raise missing_param(name)
        mailbox = self.data.mailbox(record)
        position = mailbox.position_of(params["message_id"])
        if position is None:
            raise self._no_file("message_id")
        if mailbox.owner_id(position) != params["user_id"]:
            raise self._no_file("user_id")  # the owner's mailbox holds the file
        attachment = mailbox.attachment(position, params["id"])
        if attachment is None:
            raise self._no_file("id")
        if attachment.name != params["name"]:
            raise self._no_file("name")
        headers = {
            "Content-Type": attachment.content_type,
            "Content-Length": str(attachment.size),
            "Content-Disposition": "attachment; filename*=UTF-8''" + quote(attachment.name, safe=""),
        }
        return SandboxResponse(200, headers, attachments.chunks(attachment))

    @staticmethod
    def _no_file(param: str):
        return refuse(400, "INVALID_DATA", MESSAGES["NO_FILE"], {"param_name": param})

    # --- GET /settings/modules ----------------------------------------------------------

    def modules(self, params: dict[str, str]) -> SandboxResponse:
        return json_answer({"modules": [module_json(m) for m in MODULES]})

    # --- GET /{Module}, /{Module}/{id}, /{Module}/search ------------------------------------

    def records(self, module_name: str, params: dict[str, str]) -> SandboxResponse:
        module = self.module(module_name)
        fields = self.fields_param(params)
        if not fields:
            raise missing_param("fields")
        return self._record_page(self.data.records_of(module.api_name), fields, params)

    def record(self, module_name: str, record_id: str, params: dict[str, str]) -> SandboxResponse:
        module = self.module(module_name)
        if not record_id.isdigit():
            raise refuse(400, "INVALID_DATA", MESSAGES["INVALID_ID"], {"resource_path_index": 1})
        record = self.data.record(module.api_name, record_id)
        # A well-formed id of no record (deleted, never existed) answers "nothing", as Get Records does.
        if record is None:
            return no_content()
        return json_answer({"data": [record_json(record, self.fields_param(params))]})

    def search(self, module_name: str, params: dict[str, str]) -> SandboxResponse:
        module = self.module(module_name)
        matches = self._search_predicate(module, params)
        found = [r for r in self.data.records_of(module.api_name) if matches(record_json(r))]
        return self._record_page(found, self.fields_param(params), params)

    def _search_predicate(self, module: ModuleSpec, params: dict[str, str]) -> Callable[[dict], bool]:
        """Zoho's precedence when several are given: criteria, then email, then phone, then word."""
        if "criteria" in params:
            fields = {"id", "Owner", "Created_Time", "Modified_Time", NAME_FIELD.get(module.api_name, "Name")}
            fields |= {key for r in self.data.records_of(module.api_name) for key in r.fields}
            try:
                return parse_criteria(params["criteria"], fields)
            except CriteriaError as error:
                raise refuse(400, "INVALID_QUERY", MESSAGES["INVALID_QUERY"], error.details) from None
        if "email" in params:
            wanted = params["email"].strip().lower()
            return lambda record: str(record.get("Email") or "").lower() == wanted
        if "phone" in params:
            return lambda record: False  # no sandbox record has a phone number
        if "word" in params:
            word = params["word"].strip().lower()
            if len(word) < 2:
                raise refuse(400, "INVALID_QUERY", MESSAGES["INVALID_QUERY"],
                             {"param_name": "word", "reason": "the word must have at least 2 characters"})
            return lambda record: any(word in value.lower() for key, value in record.items()
                                      if isinstance(value, str) and key not in ("id", "Created_Time", "Modified_Time"))
        raise missing_param("criteria")

    def _record_page(self, records: list[RecordSpec], fields: list[str] | None,
                     params: dict[str, str]) -> SandboxResponse:
        page, per_page = self.page_params(params)
        chosen = sorted(records, key=lambda r: int(r.id))[(page - 1) * per_page : page * per_page]
        if not chosen:
            return no_content()
        more = page * per_page < len(records)
        info = {"per_page": per_page, "count": len(chosen), "page": page, "more_records": more}
        return json_answer({"data": [record_json(r, fields) for r in chosen], "info": info})

    # --- GET /org, /users --------------------------------------------------------------------

    def org(self, params: dict[str, str]) -> SandboxResponse:
        return json_answer({"org": [org_json()]})

    def users(self, params: dict[str, str]) -> SandboxResponse:
        kind = params.get("type", "AllUsers")
        if kind not in _USER_FILTERS:
            raise invalid_param("type")
        page, per_page = self.page_params(params)
        chosen = [u for u in USERS if _USER_FILTERS[kind](u)]
        shown = chosen[(page - 1) * per_page : page * per_page]
        if not shown:
            return no_content()
        info = {"per_page": per_page, "count": len(shown), "page": page, "more_records": page * per_page < len(chosen)}
        return json_answer({"users": [user_json(u) for u in shown], "info": info})
