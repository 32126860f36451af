"""CRM web links: parsing pasted URLs into (module, id) and building them back."""

from __future__ import annotations

import pytest

from tui.zoho.catalog import DATA_CENTERS
from tui.zoho.links import data_center_of, is_record_id, parse_record_url, record_url, web_tab
from tui.zoho.models import Module

LEAD_ID = "4150868000000250001"
PROJECTS = Module("Projects", "Projects", module_name="CustomModule3", generated_type="custom", display_field="Name")


@pytest.mark.parametrize(
    "url, expected",
    [
        (f"https://crm.zoho.com/crm/org808232144/tab/Leads/{LEAD_ID}", ("Leads", LEAD_ID)),
        (f"https://crm.zoho.eu/crm/org1/tab/Potentials/{LEAD_ID}", ("Deals", LEAD_ID)),
        (f"https://crm.zoho.in/crm/org1/tab/SalesOrders/{LEAD_ID}/", ("Sales_Orders", LEAD_ID)),
        (f"https://crm.zohocloud.ca/crm/org1/tab/Accounts/{LEAD_ID}?sub_module=Emails", ("Accounts", LEAD_ID)),
        (f"https://crm.zoho.com.au/crm/tab/Contacts/{LEAD_ID}#notes", ("Contacts", LEAD_ID)),
        (f"  crm.zoho.com/crm/org1/tab/Leads/{LEAD_ID}  ", ("Leads", LEAD_ID)),
        (f"https://crmplus.zoho.com/org1/index.do/cxapp/crm/org1/tab/Leads/{LEAD_ID}", ("Leads", LEAD_ID)),
        (f"https://crm.zoho.com/crm/org1/tab/Leads/{LEAD_ID}/edit", ("Leads", LEAD_ID)),
    ],
)
def test_parses_record_links_of_every_data_center(url, expected):
    assert parse_record_url(url) == expected


def test_custom_module_tab_resolves_through_the_module_list():
    url = f"https://crm.zoho.com/crm/org1/tab/CustomModule3/{LEAD_ID}"
    assert parse_record_url(url, [PROJECTS]) == ("Projects", LEAD_ID)
    # Without the module list the tab is all there is to go on.
    assert parse_record_url(url) == ("CustomModule3", LEAD_ID)


@pytest.mark.parametrize(
    "text",
    [
        "Ada",
        LEAD_ID,  # an id is not a URL
        f"https://evil.example.com/crm/org1/tab/Leads/{LEAD_ID}",
        f"ftp://crm.zoho.com/crm/org1/tab/Leads/{LEAD_ID}",
        "https://crm.zoho.com/crm/org1/tab/Leads/123",  # too short for an id
        "https://crm.zoho.com/crm/org1/tab/Leads/",
        "https://crm.zoho.com/crm/org1/tab/Home/begin",
        "http://[::1",  # not parseable
        "",
    ],
)
def test_other_text_is_not_a_record_link(text):
    assert parse_record_url(text) is None


@pytest.mark.parametrize(
    "text, expected",
    [(LEAD_ID, True), (f" {LEAD_ID}\n", True), ("1" * 15, True), ("1" * 20, True), ("1" * 14, False),
     ("1" * 21, False), ("41508680000002500a1", False), ("", False)],
)
def test_record_ids_are_long_digit_strings(text, expected):
    assert is_record_id(text) is expected


def test_builds_links_with_the_web_tab_and_data_center():
    assert record_url("org808232144", "Deals", LEAD_ID) == (
        f"https://crm.zoho.com/crm/org808232144/tab/Potentials/{LEAD_ID}"
    )
    assert record_url("org1", "Leads", LEAD_ID, dc="eu") == f"https://crm.zoho.eu/crm/org1/tab/Leads/{LEAD_ID}"
    assert record_url("org1", "Projects", LEAD_ID, modules=[PROJECTS]).endswith(f"/tab/CustomModule3/{LEAD_ID}")


def test_built_links_parse_back():
    for module in ("Leads", "Contacts", "Accounts", "Deals", "Quotes", "Invoices", "Sales_Orders", "Purchase_Orders"):
        for dc in ("us", "eu", "in", "au", "jp", "cn", "ca", "sa", "uk"):
            assert parse_record_url(record_url("org1", module, LEAD_ID, dc=dc)) == (module, LEAD_ID)
    assert parse_record_url(record_url("org1", "Projects", LEAD_ID, modules=[PROJECTS]), [PROJECTS]) == (
        "Projects",
        LEAD_ID,
    )


def test_web_tab_of_an_unknown_module_is_its_api_name():
    assert web_tab("Projects") == "Projects"
    assert web_tab("Deals") == "Potentials"


def test_building_refuses_bad_input():
    with pytest.raises(ValueError, match="data center"):
        record_url("org1", "Leads", LEAD_ID, dc="mars")
    with pytest.raises(ValueError, match="record id"):
        record_url("org1", "Leads", "12")


@pytest.mark.parametrize(
    "accounts, api, dc",
    [
        ("https://accounts.zoho.eu", None, "eu"),
        ("https://accounts.zoho.com.au", "https://www.zohoapis.com.au", "au"),
        ("https://accounts.zohocloud.ca", None, "ca"),
        (None, "https://sandbox.zohoapis.in", "in"),
        ("https://accounts.zoho.com", "https://developer.zohoapis.com", "us"),
        ("http://127.0.0.1:8765", "http://127.0.0.1:8765", "us"),  # the local sandbox: the default
    ],
)
def test_the_data_center_comes_from_the_hosts(accounts, api, dc):
    assert data_center_of(accounts, api) == dc
    assert record_url("org1", "Deals", LEAD_ID, dc=dc) == f"{DATA_CENTERS[dc].web_url}/crm/org1/tab/Potentials/{LEAD_ID}"
