"""Zoho Accounts in the sandbox: grant codes, refreshes, the throttle, expiry, revocation, scopes."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from tui.sandbox import data
from tui.sandbox.accounts import scope_covers
from tui.sandbox.app import Sandbox
from tui.sandbox.faults import Faults
from tui.zoho.catalog import SCOPES


class Clock:
    def __init__(self) -> None:
        self.now = 1_780_000_000.0

    def __call__(self) -> float:
        return self.now


def token_call(sandbox: Sandbox, host: str = "sandbox.test", **form: str):
    body = urlencode(form).encode()
    headers = {"Host": host, "Content-Type": "application/x-www-form-urlencoded"}
    return sandbox.handle("POST", "/oauth/v2/token", headers, body)


def refresh(sandbox: Sandbox, refresh_token: str = data.REFRESH_TOKEN, **overrides: str) -> dict:
    form = {"grant_type": "refresh_token", "client_id": data.CLIENT_ID, "client_secret": data.CLIENT_SECRET,
            "refresh_token": refresh_token, **overrides}
    answer = token_call(sandbox, **form)
    assert answer.status == 200  # Zoho answers token errors with 200 too
    return answer.json()


def exchange(sandbox: Sandbox, code: str = data.GRANT_CODE) -> dict:
    return token_call(sandbox, grant_type="authorization_code", client_id=data.CLIENT_ID,
                      client_secret=data.CLIENT_SECRET, code=code).json()


def org_status(sandbox: Sandbox, token: str) -> tuple[int, str | None]:
    answer = sandbox.handle("GET", "/crm/v8/org", {"Authorization": f"Zoho-oauthtoken {token}"})
    return answer.status, (answer.json() or {}).get("code")


def test_the_grant_code_works_once():
    sandbox = Sandbox()
    first = exchange(sandbox)
    assert set(first) == {"access_token", "refresh_token", "scope", "api_domain", "token_type", "expires_in"}
    assert first["api_domain"] == "http://sandbox.test" and first["token_type"] == "Bearer"
    assert first["expires_in"] == 3600 and first["refresh_token"] != data.REFRESH_TOKEN
    assert exchange(sandbox) == {"error": "invalid_code"}
    assert exchange(Sandbox(), code="1000.wrong.code") == {"error": "invalid_code"}
    # The refresh token the exchange gave works like any other.
    assert "access_token" in refresh(sandbox, first["refresh_token"])
    assert org_status(sandbox, first["access_token"]) == (200, None)


def test_a_refresh_gives_an_access_token_and_no_refresh_token():
    answer = refresh(Sandbox())
    assert set(answer) == {"access_token", "scope", "api_domain", "token_type", "expires_in"}
    assert answer["access_token"].startswith("1000.") and answer["scope"].split() == sorted(SCOPES)


def test_token_parameters_may_come_in_the_query_string():
    sandbox = Sandbox()
    query = urlencode({"grant_type": "refresh_token", "client_id": data.CLIENT_ID,
                       "client_secret": data.CLIENT_SECRET, "refresh_token": data.REFRESH_TOKEN})
    answer = sandbox.handle("POST", f"/oauth/v2/token?{query}", {"Host": "127.0.0.1:8765"}, b"")
    assert answer.json()["api_domain"] == "http://127.0.0.1:8765"
    assert sandbox.token_calls[-1].path == "/oauth/v2/token" and sandbox.calls == []


@pytest.mark.parametrize("overrides, error", [
    ({"client_id": "1000.SOMEONEELSE"}, "invalid_client"),
    ({"client_secret": "wrong"}, "invalid_client"),
    ({"refresh_token": "1000.revoked.long.ago"}, "invalid_code"),
    ({"grant_type": "password"}, "unsupported_grant_type"),
])
def test_token_failures_are_http_200_with_an_error(overrides, error):
    assert refresh(Sandbox(), **overrides) == {"error": error}


def test_more_than_ten_tokens_in_ten_minutes_are_throttled():
    clock = Clock()
    sandbox = Sandbox(clock=clock)
    start = clock.now
    for _ in range(10):
        assert "access_token" in refresh(sandbox)
        clock.now += 30
    assert refresh(sandbox) == {
        "error": "Access Denied",
        "error_description": "You have made too many requests continuously. Please try again after some time.",
    }
    clock.now = start + 600  # the first of the ten leaves the window, the second not yet
    assert "access_token" in refresh(sandbox)
    assert refresh(sandbox)["error"] == "Access Denied"


def test_an_access_token_lives_an_hour_on_the_sandbox_clock():
    clock = Clock()
    sandbox = Sandbox(clock=clock)
    token = refresh(sandbox)["access_token"]
    clock.now += 3599
    assert org_status(sandbox, token) == (200, None)
    clock.now += 1
    assert org_status(sandbox, token) == (401, "INVALID_TOKEN")
    assert sandbox.handle("GET", "/crm/v8/org", {"Authorization": f"Zoho-oauthtoken {token}"}).json() == {
        "code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token", "status": "error"}


def test_an_access_token_dies_after_expire_after_calls():
    sandbox = Sandbox(faults=Faults(expire_after=3))
    token = refresh(sandbox)["access_token"]
    assert [org_status(sandbox, token)[0] for _ in range(4)] == [200, 200, 200, 401]
    assert org_status(sandbox, refresh(sandbox)["access_token"]) == (200, None)


def test_the_sixteenth_live_token_evicts_the_oldest():
    clock = Clock()
    sandbox = Sandbox(clock=clock)
    tokens = []
    for _ in range(16):
        tokens.append(refresh(sandbox)["access_token"])
        clock.now += 61  # stay under the throttle
    assert org_status(sandbox, tokens[0]) == (401, "INVALID_TOKEN")
    assert all(org_status(sandbox, t) == (200, None) for t in tokens[1:])


def test_revoking_a_refresh_token_kills_it_and_its_access_tokens():
    sandbox = Sandbox()
    token = refresh(sandbox)["access_token"]
    answer = sandbox.handle("POST", f"/oauth/v2/token/revoke?token={data.REFRESH_TOKEN}", {}, b"")
    assert (answer.status, answer.json()) == (200, {"status": "success"})
    assert refresh(sandbox) == {"error": "invalid_code"}
    assert org_status(sandbox, token) == (401, "INVALID_TOKEN")


def test_the_token_endpoint_wants_post():
    assert Sandbox().handle("GET", "/oauth/v2/token", {}, b"").status == 405


@pytest.mark.parametrize("headers, code", [
    ({}, "AUTHENTICATION_FAILURE"),
    ({"Authorization": ""}, "AUTHENTICATION_FAILURE"),
    ({"Authorization": "Bearer 1000.abc.def"}, "AUTHENTICATION_FAILURE"),
    ({"Authorization": "Zoho-oauthtoken "}, "AUTHENTICATION_FAILURE"),
    ({"Authorization": "Zoho-oauthtoken 1000.abc.def"}, "INVALID_TOKEN"),
])
def test_calls_without_a_good_token_are_401(headers, code):
    answer = Sandbox().handle("GET", "/crm/v8/org", headers, b"")
    assert (answer.status, answer.json()["code"]) == (401, code)


def test_header_names_are_case_insensitive():
    sandbox = Sandbox()
    token = sandbox.mint_access_token()
    assert sandbox.handle("GET", "/crm/v8/org", {"authorization": f"Zoho-oauthtoken {token}"}).status == 200


def test_a_token_without_the_modules_scope_still_reads_emails():
    sandbox = Sandbox(scopes=[s for s in SCOPES if s != "ZohoCRM.settings.modules.READ"])
    headers = {"Authorization": f"Zoho-oauthtoken {sandbox.mint_access_token()}"}
    refused = sandbox.handle("GET", "/crm/v8/settings/modules", headers)
    assert (refused.status, refused.json()) == (401, {"code": "OAUTH_SCOPE_MISMATCH", "details": {},
                                                      "message": "invalid oauth scope to access this URL",
                                                      "status": "error"})
    assert sandbox.handle("GET", f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails", headers).status == 200


def test_the_emails_api_needs_the_emails_scope():
    sandbox = Sandbox(scopes=[s for s in SCOPES if s != "ZohoCRM.modules.emails.READ"])
    headers = {"Authorization": f"Zoho-oauthtoken {sandbox.mint_access_token()}"}
    answer = sandbox.handle("GET", f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails", headers)
    assert answer.json()["code"] == "OAUTH_SCOPE_MISMATCH"
    assert sandbox.handle("GET", "/crm/v8/Leads?fields=Email", headers).status == 200


def test_module_scopes_reach_only_their_module():
    sandbox = Sandbox(scopes=["ZohoCRM.modules.leads.READ", "ZohoCRM.modules.emails.READ"])
    headers = {"Authorization": f"Zoho-oauthtoken {sandbox.mint_access_token()}"}
    assert sandbox.handle("GET", f"/crm/v8/Leads/{data.LEAD_MAIN[1]}/Emails", headers).status == 200
    assert sandbox.handle("GET", f"/crm/v8/Contacts/{data.CONTACT_HOSTILE[1]}/Emails", headers).status == 401


@pytest.mark.parametrize("granted, needed, module, covers", [
    ("ZohoCRM.modules.ALL", "ZohoCRM.modules.emails.READ", None, True),
    ("ZohoCRM.modules.ALL", "ZohoCRM.modules.READ", None, True),
    ("ZohoCRM.modules.READ", "ZohoCRM.modules.emails.READ", None, False),
    ("ZohoCRM.settings.ALL", "ZohoCRM.settings.modules.READ", None, True),
    ("ZohoCRM.modules.deals.ALL", "ZohoCRM.modules.READ", "Deals", True),
    ("ZohoCRM.modules.deals.ALL", "ZohoCRM.modules.READ", "Leads", False),
    ("ZohoCRM.users.READ", "ZohoCRM.org.READ", None, False),
])
def test_scope_coverage(granted, needed, module, covers):
    assert scope_covers(granted, needed, module) is covers
