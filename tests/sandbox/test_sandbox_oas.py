"""Every sandbox endpoint answers in shapes Zoho's own OpenAPI files accept (with only the documented slips)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tui.sandbox import data
from tui.sandbox.app import Sandbox
from tui.sandbox.faults import Faults
from tui.zoho.catalog import email_types_for

EMAILS = "email_related_records.json#/components/schemas/"
EMAIL_ERRORS = "email_related_records.json#/components/responses/ErrorResponse/content/application~1json/schema"
EMAIL_INTERNAL = "email_related_records.json#/components/responses/InternalErrorResponse/content/application~1json/schema"
DOWNLOAD_ERRORS = "download_attachments.json#/components/schemas/API_Exception"
RECORDS = "record.json#/components/schemas/Response_Wrapper"
RECORD_ERRORS = "record.json#/components/schemas/API_Exception"
MODULES = "modules.json#/components/responses/Modules/content/application~1json/schema"
ORG = "org.json#/components/schemas/Response_Wrapper"
USERS = "users.json#/components/schemas/Response_Wrapper"
USER_ERRORS = "users.json#/components/responses/RErrorResponse/content/application~1json/schema"
# Errors no endpoint documents for itself (auth, rate limit, URL): Zoho's common error body.
COMMON_ERROR = "common.json#/components/schemas/API_Exception"


def test_every_page_of_every_record_and_type_matches_the_list_schema(api, oas, sandbox):
    for record in sandbox.data.records.values():
        if record.access != "ok":
            continue
        for email_type in email_types_for(record.module):
            params = {"type": email_type.value} if email_type.value else {}
            for number, answer in enumerate(api.pages(record.key, **params)):
                if answer.status == 204:
                    break
                oas.validate(EMAILS + "wrapper", answer.json())
                if number == 3:  # the 5,000-email record: a few pages say enough
                    break


@pytest.mark.parametrize("record", [data.LEAD_MAIN, data.CONTACT_HOSTILE, data.ACCOUNT_MAIN, data.DEAL_MAIN,
                                    data.CUSTOM_MAIN, data.LEAD_ONE])
def test_every_email_detail_matches_the_email_schema(api, oas, sandbox, record):
    mailbox = sandbox.data.mailbox(sandbox.data.record(*record))
    for position in range(mailbox.total):
        answer = api.email(record, mailbox.message_id(position))
        assert answer.status == 200
        oas.validate(EMAILS + "detail_wrapper", answer.json())


def test_settings_org_users_records_and_search_match_their_schemas(api, oas):
    oas.validate(MODULES, api.get("settings/modules").json())
    oas.validate(ORG, api.get("org").json())
    for kind in ("AllUsers", "ActiveUsers", "CurrentUser", "DeactiveUsers"):
        oas.validate(USERS, api.get("users", {"type": kind}).json())
    for module, name_field in data.NAME_FIELD.items():
        oas.validate(RECORDS, api.get(module, {"fields": f"{name_field},Owner,Created_Time"}).json())
        record = next(r for r in api.sandbox.data.records.values() if r.module == module)
        oas.validate(RECORDS, api.get(f"{module}/{record.id}").json())
    oas.validate(RECORDS, api.get("Leads/search", {"word": "ada"}).json())
    oas.validate(RECORDS, api.get("Contacts/search", {"email": "grace@cobol-systems.com"}).json())
    oas.validate(RECORDS, api.get("Deals/search", {"criteria": "(Stage:equals:Closed Won)"}).json())


def _emails(api, record=data.LEAD_MAIN, **params):
    return api.emails(record, **params)


def _detail(api, **params):
    module, record_id = data.LEAD_MAIN
    return api.get(f"{module}/{record_id}/Emails/{data.LARGE_NEWSLETTER_ID}", params)


def _download(api, **params):
    module, record_id = data.LEAD_MAIN
    return api.get(f"{module}/{record_id}/Emails/actions/download_attachments", params)


def _with_scopes(api, scopes: tuple[str, ...], path: str):
    sandbox = Sandbox(scopes=scopes)
    api.sandbox, api.token = sandbox, sandbox.mint_access_token()
    return api.get(path)


def _faulted(api, kind: str, path: str):
    api.sandbox.faults = Faults(always=kind)
    return api.get(path)


# (what to call, HTTP status, Zoho code, the schema that documents it)
ERROR_CASES: dict[str, tuple[Callable, int, str, str]] = {
    "unknown type": (lambda api: _emails(api, type="everything"), 400, "INVALID_DATA", EMAIL_ERRORS),
    "accounts-only type on a lead": (lambda api: _emails(api, type="all_contacts_sent_crm_emails"), 400,
                                     "INVALID_DATA", EMAIL_ERRORS),
    "owner_id without user_emails": (lambda api: _emails(api, owner_id=data.CURRENT_USER_ID), 400, "INVALID_DATA",
                                     EMAIL_ERRORS),
    "bad index": (lambda api: _emails(api, index="ff" * 48), 400, "INVALID_DATA", EMAIL_ERRORS),
    "unknown record": (lambda api: _emails(api, ("Leads", "4150868000000999999")), 400, "INVALID_DATA", EMAIL_ERRORS),
    "unknown module": (lambda api: _emails(api, ("Gadgets", data.LEAD_MAIN[1])), 400, "INVALID_MODULE", EMAIL_ERRORS),
    "module without emails": (lambda api: _emails(api, ("Tasks", data.LEAD_MAIN[1])), 400, "INVALID_MODULE",
                              EMAIL_ERRORS),
    "newer version than v8": (lambda api: AtVersion(api, "v9").emails(data.LEAD_MAIN), 400, "API_NOT_SUPPORTED",
                              EMAIL_ERRORS),
    "no permission": (lambda api: _emails(api, data.LEAD_NO_PERMISSION), 403, "NO_PERMISSION", COMMON_ERROR),
    "cannot process": (lambda api: _emails(api, data.LEAD_CANNOT_PROCESS), 400, "CANNOT_PROCESS", COMMON_ERROR),
    "detail of an unknown user": (lambda api: _detail(api, user_id="1"), 400, "INVALID_DATA", EMAIL_ERRORS),
    "download without a parameter": (lambda api: _download(api, message_id=data.LARGE_NEWSLETTER_ID), 400,
                                     "REQUIRED_PARAM_MISSING", COMMON_ERROR),
    "download of no file": (lambda api: _download(api, message_id=data.LARGE_NEWSLETTER_ID, user_id="1", id="2",
                                                  name="x.pdf"), 400, "INVALID_DATA", DOWNLOAD_ERRORS),
    "download with a dead token": (lambda api: api.get("Leads/1/Emails/actions/download_attachments", token="1000.x"),
                                   401, "INVALID_TOKEN", DOWNLOAD_ERRORS),
    "records without fields": (lambda api: api.get("Leads"), 400, "REQUIRED_PARAM_MISSING", RECORD_ERRORS),
    "records of an unknown module": (lambda api: api.get("Gadgets", {"fields": "Name"}), 400, "INVALID_MODULE",
                                     RECORD_ERRORS),
    "per_page over 200": (lambda api: api.get("Leads", {"fields": "Email", "per_page": "201"}), 400, "INVALID_DATA",
                          RECORD_ERRORS),
    "malformed record id": (lambda api: api.get("Leads/not-a-number"), 400, "INVALID_DATA", RECORD_ERRORS),
    "search without a condition": (lambda api: api.get("Leads/search"), 400, "REQUIRED_PARAM_MISSING", RECORD_ERRORS),
    "search for one letter": (lambda api: api.get("Leads/search", {"word": "a"}), 400, "INVALID_QUERY", RECORD_ERRORS),
    "search with broken criteria": (lambda api: api.get("Leads/search", {"criteria": "(Email:like:x)"}), 400,
                                    "INVALID_QUERY", RECORD_ERRORS),
    "unknown kind of users": (lambda api: api.get("users", {"type": "Robots"}), 400, "INVALID_DATA", USER_ERRORS),
    "no Authorization header": (lambda api: api.get("org", headers={}), 401, "AUTHENTICATION_FAILURE", COMMON_ERROR),
    "a Bearer header": (lambda api: api.get("org", headers={"Authorization": f"Bearer {api.token}"}), 401,
                        "AUTHENTICATION_FAILURE", COMMON_ERROR),
    "an unknown token": (lambda api: api.get("org", token="1000.nope.nope"), 401, "INVALID_TOKEN", COMMON_ERROR),
    "a missing scope": (lambda api: _with_scopes(api, ("ZohoCRM.modules.READ",), "org"), 401, "OAUTH_SCOPE_MISMATCH",
                        COMMON_ERROR),
    "an unknown URL": (lambda api: api.get("Leads/1/Notes/2/Emails"), 404, "INVALID_URL_PATTERN", COMMON_ERROR),
    "a POST": (lambda api: api.sandbox.handle("POST", "/crm/v8/org", {"Authorization": f"Zoho-oauthtoken {api.token}"}),
               400, "INVALID_REQUEST_METHOD", COMMON_ERROR),
    "rate limited": (lambda api: _faulted(api, "429", "org"), 429, "TOO_MANY_REQUESTS", COMMON_ERROR),
    "server error on the emails list": (lambda api: _faulted(api, "500", f"Leads/{data.LEAD_MAIN[1]}/Emails"), 500,
                                        "INTERNAL_SERVER_ERROR", EMAIL_INTERNAL),
}


class AtVersion:
    """The same caller at another API version."""

    def __init__(self, api, version: str) -> None:
        self.api, self.version = api, version

    def emails(self, record):
        module, record_id = record
        return self.api.sandbox.handle("GET", f"/crm/{self.version}/{module}/{record_id}/Emails",
                                       {"Authorization": f"Zoho-oauthtoken {self.api.token}"})


@pytest.mark.parametrize("case", ERROR_CASES)
def test_every_error_answer_has_its_code_and_matches_the_documented_schema(api, oas, case):
    call, status, code, schema = ERROR_CASES[case]
    answer = call(api)
    assert (answer.status, answer.json()["code"]) == (status, code)
    assert answer.headers["Content-Type"] == "application/json;charset=UTF-8"
    oas.validate(schema, answer.json())
    oas.validate(COMMON_ERROR, answer.json())
