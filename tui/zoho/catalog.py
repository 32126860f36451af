"""The fixed facts of Zoho CRM this app relies on, each in one place.

Data centers, the standard modules, and the email types of "Get Emails of a
Record". Everything else reads these tables instead of repeating them.
"""

from __future__ import annotations

import msgspec


class DataCenter(msgspec.Struct, frozen=True):
    """A Zoho data center: where its accounts server and API live, and its CRM's web address."""

    key: str
    label: str
    accounts_url: str
    api_domain: str
    web_url: str


DATA_CENTERS: dict[str, DataCenter] = {
    dc.key: dc
    for dc in (
        DataCenter("us", "United States", "https://accounts.zoho.com", "https://www.zohoapis.com", "https://crm.zoho.com"),
        DataCenter("eu", "Europe", "https://accounts.zoho.eu", "https://www.zohoapis.eu", "https://crm.zoho.eu"),
        DataCenter("in", "India", "https://accounts.zoho.in", "https://www.zohoapis.in", "https://crm.zoho.in"),
        DataCenter("au", "Australia", "https://accounts.zoho.com.au", "https://www.zohoapis.com.au", "https://crm.zoho.com.au"),
        DataCenter("jp", "Japan", "https://accounts.zoho.jp", "https://www.zohoapis.jp", "https://crm.zoho.jp"),
        DataCenter("cn", "China", "https://accounts.zoho.com.cn", "https://www.zohoapis.com.cn", "https://crm.zoho.com.cn"),
        DataCenter("ca", "Canada", "https://accounts.zohocloud.ca", "https://www.zohoapis.ca", "https://crm.zohocloud.ca"),
        DataCenter("sa", "Saudi Arabia", "https://accounts.zoho.sa", "https://www.zohoapis.sa", "https://crm.zoho.sa"),
        # The uk api and web hosts are not confirmed by any Zoho document.
        DataCenter("uk", "United Kingdom", "https://accounts.zoho.uk", "https://www.zohoapis.uk", "https://crm.zoho.uk"),
    )
}
DEFAULT_DC = "us"


class StandardModule(msgspec.Struct, frozen=True):
    """A module every Zoho CRM has, with what names its records and its tab in web links."""

    api_name: str
    label: str  # plural, as the CRM shows it
    singular: str
    name_field: str  # the field that names a record
    web_tab: str  # the tab in a CRM web link (Deals are "Potentials")
    email_field: str | None  # a field worth showing beside the name


STANDARD_MODULES: tuple[StandardModule, ...] = (
    StandardModule("Leads", "Leads", "Lead", "Full_Name", "Leads", "Email"),
    StandardModule("Contacts", "Contacts", "Contact", "Full_Name", "Contacts", "Email"),
    StandardModule("Accounts", "Accounts", "Account", "Account_Name", "Accounts", "Website"),
    StandardModule("Deals", "Deals", "Deal", "Deal_Name", "Potentials", "Stage"),
    StandardModule("Quotes", "Quotes", "Quote", "Subject", "Quotes", "Quote_Stage"),
    StandardModule("Invoices", "Invoices", "Invoice", "Subject", "Invoices", "Status"),
    StandardModule("Sales_Orders", "Sales Orders", "Sales Order", "Subject", "SalesOrders", "Status"),
    StandardModule("Purchase_Orders", "Purchase Orders", "Purchase Order", "Subject", "PurchaseOrders", "Status"),
)
STANDARD_BY_NAME: dict[str, StandardModule] = {m.api_name: m for m in STANDARD_MODULES}
# Modules whose records have an Emails related list: the eight above and custom modules.
# Never web-form, linking or activity modules (Tasks, Events, Calls, Notes...).
EMAIL_GENERATED_TYPES = frozenset({"custom"})


def module_has_emails(api_name: str, generated_type: str | None) -> bool:
    return api_name in STANDARD_BY_NAME or generated_type in EMAIL_GENERATED_TYPES


# Web-link tab -> module api name, for pasted CRM URLs.
MODULE_BY_WEB_TAB: dict[str, str] = {m.web_tab: m.api_name for m in STANDARD_MODULES}


class EmailType(msgspec.Struct, frozen=True):
    """One of the list's type filters (the `type` query parameter)."""

    value: str | None  # the `type` query parameter; None = no parameter (all emails)
    label: str
    accounts_only: bool = False


EMAIL_TYPES: tuple[EmailType, ...] = (
    EmailType(None, "All"),
    EmailType("sent_from_crm", "Sent from CRM"),
    EmailType("scheduled_in_crm", "Scheduled"),
    EmailType("drafts", "Drafts"),
    EmailType("user_emails", "User emails"),
    EmailType("all_contacts_sent_crm_emails", "Contacts: sent from CRM", accounts_only=True),
    EmailType("all_contacts_scheduled_crm_emails", "Contacts: scheduled", accounts_only=True),
    EmailType("all_contacts_draft_crm_emails", "Contacts: drafts", accounts_only=True),
)
EMAIL_TYPE_BY_VALUE: dict[str | None, EmailType] = {t.value: t for t in EMAIL_TYPES}
USER_EMAILS = "user_emails"


def email_types_for(module: str) -> tuple[EmailType, ...]:
    """The type filters that apply to a module's records."""
    return tuple(t for t in EMAIL_TYPES if not t.accounts_only or module == "Accounts")


DEFAULT_API_VERSION = "v8"
EMAILS_PER_PAGE = 10
# Below the smallest edition's concurrency limit of 5.
DEFAULT_MAX_IN_FLIGHT = 4

# Everything the app reads, for a Self Client's grant code.
SCOPES = (
    "ZohoCRM.modules.READ",
    "ZohoCRM.modules.emails.READ",
    "ZohoCRM.settings.modules.READ",
    "ZohoCRM.users.READ",
    "ZohoCRM.org.READ",
    "ZohoSearch.securesearch.READ",
)
