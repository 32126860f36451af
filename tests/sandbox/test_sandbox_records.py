"""Modules, records, search, org and users: what the record picker and the web links read."""

from __future__ import annotations

import pytest

from tui.sandbox import data
from tui.zoho.catalog import STANDARD_MODULES
from tui.zoho.models import Module, Org, User


def test_modules_list_the_standard_ones_a_custom_one_and_some_without_emails(api):
    modules = {m["api_name"]: m for m in api.get("settings/modules").json()["modules"]}
    assert {m.api_name for m in STANDARD_MODULES} <= set(modules)
    projects = Module.parse(modules["Projects"])
    assert (projects.is_custom, projects.display_field, projects.module_name) == (True, "Name", "CustomModule1")
    assert modules["Tasks"]["api_supported"] and modules["Calls"]["api_supported"]
    assert modules["Home"]["api_supported"] is False
    for module in modules.values():
        assert {"api_name", "module_name", "plural_label", "singular_label", "id", "api_supported",
                "generated_type"} <= set(module)
    assert modules["Deals"]["module_name"] == "Potentials"  # its web tab


def test_records_need_fields_and_return_only_those(api):
    missing = api.get("Leads")
    assert (missing.status, missing.json()["details"]) == (400, {"param_name": "fields"})
    answer = api.get("Leads", {"fields": "Full_Name,Email"}).json()
    assert all(set(r) == {"id", "Full_Name", "Email"} for r in answer["data"])
    assert answer["info"] == {"per_page": 200, "count": len(answer["data"]), "page": 1, "more_records": False}


def test_records_page(api):
    first = api.get("Leads", {"fields": "Full_Name", "per_page": "5"}).json()
    second = api.get("Leads", {"fields": "Full_Name", "per_page": "5", "page": "2"}).json()
    assert first["info"]["more_records"] and len(first["data"]) == 5
    assert not {r["id"] for r in first["data"]} & {r["id"] for r in second["data"]}
    assert api.get("Leads", {"fields": "Full_Name", "page": "99"}).status == 204
    assert api.get("Tasks", {"fields": "Subject"}).status == 204  # a module with no records


@pytest.mark.parametrize("module", [m.api_name for m in STANDARD_MODULES] + ["Projects"])
def test_every_module_has_records_named_by_its_name_field(api, module):
    name_field = data.NAME_FIELD[module]
    records = api.get(module, {"fields": f"{name_field},Owner,Created_Time,Modified_Time"}).json()["data"]
    assert records and all(r[name_field] and r["Owner"]["id"] in data.USER_BY_ID for r in records)
    first = api.get(f"{module}/{records[0]['id']}").json()["data"][0]
    assert first[name_field] == records[0][name_field]


def test_person_records_carry_their_names_and_address(api):
    (lead,) = api.get(f"Leads/{data.LEAD_MAIN[1]}").json()["data"]
    assert (lead["Full_Name"], lead["First_Name"], lead["Last_Name"]) == ("Ada Lovelace", "Ada", "Lovelace")
    assert lead["Email"] == "ada@lovelace-analytics.co.uk"
    (account,) = api.get(f"Accounts/{data.ACCOUNT_MAIN[1]}").json()["data"]
    assert account["Account_Name"] == "Analytical Engines Ltd" and account["Website"].startswith("https://")
    (deal,) = api.get(f"Deals/{data.DEAL_MAIN[1]}").json()["data"]
    assert deal["Stage"] == "Negotiation/Review"


def test_one_record_unknown_or_malformed(api):
    assert api.get("Leads/4150868000000999999").status == 204
    assert api.get(f"Contacts/{data.LEAD_MAIN[1]}").status == 204  # a lead is not a contact
    assert api.get("Leads/abc").json()["details"] == {"resource_path_index": 1}


def test_word_search_finds_names_containing_the_word(api):
    found = api.get("Leads/search", {"word": "ADA"}).json()["data"]
    assert {"Ada Lovelace", "Adam Ashford", "Adaline Brooks", "Adah Okonkwo"} <= {r["Full_Name"] for r in found}
    assert all(any("ada" in str(v).lower() for v in r.values()) for r in found)
    assert "Tess Tenney" not in {r["Full_Name"] for r in found}
    assert api.get("leads/search", {"word": "lovelace"}).json()["data"][0]["id"] == data.LEAD_MAIN[1]
    assert api.get("Leads/search", {"word": "zzqx"}).status == 204
    short = api.get("Leads/search", {"word": "a"})
    assert (short.status, short.json()["code"]) == (400, "INVALID_QUERY")


def test_email_and_criteria_search(api):
    (found,) = api.get("Contacts/search", {"email": "GRACE@cobol-systems.com"}).json()["data"]
    assert found["id"] == data.CONTACT_HOSTILE[1]
    assert api.get("Accounts/search", {"email": "grace@cobol-systems.com"}).status == 204
    answer = api.get("Leads/search", {"criteria": "((Last_Name:equals:Lovelace)and(Email:starts_with:ada))"})
    assert [r["id"] for r in answer.json()["data"]] == [data.LEAD_MAIN[1]]
    either = api.get("Deals/search", {"criteria": r"((Stage:in:Closed Won,Qualification)or(Deal_Name:starts_with:Diff))",
                                      "fields": "Deal_Name"}).json()["data"]
    assert {r["Deal_Name"] for r in either} == {"Mill & Store Retrofit", "Ada Training Programme",
                                                 "Difference Engine Upgrade"}
    escaped = api.get("Accounts/search", {"criteria": r"(Account_Name:equals:Babbage & Sons)"}).json()["data"]
    assert [r["Account_Name"] for r in escaped] == ["Babbage & Sons"]
    unknown = api.get("Leads/search", {"criteria": "(Shoe_Size:equals:9)"})
    assert unknown.json()["details"]["api_name"] == "Shoe_Size"


def test_search_pages(api):
    first = api.get("Leads/search", {"word": "ad", "per_page": "2"}).json()
    assert first["info"] == {"per_page": 2, "count": 2, "page": 1, "more_records": True}


def test_org_names_the_domain_for_web_links(api):
    org = Org.parse(api.get("org").json())
    assert (org.domain_name, org.company_name) == ("org808232144", "Analytical Engines Demo")


def test_users_and_the_current_user(api):
    everyone = [User.parse(u) for u in api.get("users").json()["users"]]
    assert len(everyone) == 4 and everyone[0].id == data.CURRENT_USER_ID
    active = api.get("users", {"type": "ActiveUsers"}).json()["users"]
    assert len(active) == 3 and all(u["status"] == "active" for u in active)
    (me,) = api.get("users", {"type": "CurrentUser"}).json()["users"]
    assert (me["full_name"], me["id"]) == ("Patricia Boyle", data.CURRENT_USER_ID)
    assert set(me) >= {"first_name", "last_name", "email", "status", "role", "profile"}
    assert api.get("users", {"type": "Robots"}).json()["details"] == {"param_name": "type"}
