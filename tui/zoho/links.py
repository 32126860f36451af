"""Zoho CRM web links to records, both ways, and pasted record ids.

A record's page in the CRM is `https://crm.zoho.{tld}/crm/{domain_name}/tab/{Tab}/{id}`;
the tab is the module's api name except for Deals ("Potentials"), the
inventory modules ("SalesOrders"...) and custom modules ("CustomModuleN", the
module's `module_name`). Pure functions: no network, no Textual.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from tui.zoho.catalog import DATA_CENTERS, DEFAULT_DC, MODULE_BY_WEB_TAB, STANDARD_BY_NAME
from tui.zoho.models import Module

# Zoho record ids are long integers (19 digits today); a little slack either side.
_RECORD_ID = re.compile(r"\d{15,20}")
_CUSTOM_TAB = re.compile(r"CustomModule\d+")
_TAB_PATH = re.compile(r"/tab/([A-Za-z][A-Za-z0-9_]*)/(\d{15,20})(?:/|$)")


def is_record_id(text: str) -> bool:
    """True when `text` (stripped) is all digits, 15 to 20 of them."""
    return _RECORD_ID.fullmatch(text.strip()) is not None


def _is_zoho_host(host: str) -> bool:
    labels = host.lower().rstrip(".").split(".")
    return any(label in ("zoho", "zohocloud") for label in labels)


def module_for_tab(tab: str, modules: Iterable[Module] = ()) -> str | None:
    """The module api name a web tab stands for, or None when it is not known."""
    if tab in MODULE_BY_WEB_TAB:
        return MODULE_BY_WEB_TAB[tab]
    for module in modules:
        if tab in (module.module_name, module.api_name):
            return module.api_name
    return None


def parse_record_url(url: str, modules: Iterable[Module] = ()) -> tuple[str, str] | None:
    """(module api name, record id) from a CRM web link, or None when `url` is not one.

    `modules` (from the modules API) resolves custom tabs such as "CustomModule3";
    without it such a link still parses, with the tab itself as the module.
    """
    text = url.strip()
    if "://" not in text and text.lower().startswith(("crm.zoho", "crm.zohocloud")):
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or not _is_zoho_host(parts.hostname):
        return None
    # CRM Plus and the classic UI also carry a fragment path ("#/tab/Leads/..." in some links).
    for path in (parts.path, parts.fragment):
        match = _TAB_PATH.search(path)
        if match:
            tab, record_id = match.groups()
            return module_for_tab(tab, modules) or tab, record_id
    return None


def web_tab(module: str, modules: Iterable[Module] = ()) -> str:
    """The tab name a module has in web links."""
    standard = STANDARD_BY_NAME.get(module)
    if standard is not None:
        return standard.web_tab
    for known in modules:
        if known.api_name == module and known.module_name and _CUSTOM_TAB.fullmatch(known.module_name):
            return known.module_name
    return module


def data_center_of(accounts_url: str | None, api_domain: str | None = None) -> str:
    """The data center a connection belongs to, from its Accounts or API host (sandbox and developer
    API hosts too: `sandbox.zohoapis.eu`); the default one for a host of no data center (the local sandbox)."""
    for url, host_of in ((accounts_url, lambda dc: dc.accounts_url), (api_domain, lambda dc: dc.api_domain)):
        host = (urlsplit(url).hostname or "").lower().rstrip(".") if url else ""
        if not host:
            continue
        for key, data_center in DATA_CENTERS.items():
            known = (urlsplit(host_of(data_center)).hostname or "").removeprefix("www.")
            if host == known or host.endswith("." + known):
                return key
    return DEFAULT_DC


def record_url(
    domain_name: str,
    module: str,
    record_id: str,
    *,
    dc: str = DEFAULT_DC,
    modules: Iterable[Module] = (),
) -> str:
    """The CRM web link of a record: `https://crm.zoho.com/crm/org808232144/tab/Potentials/...`."""
    data_center = DATA_CENTERS.get(dc)
    if data_center is None:
        raise ValueError(f"unknown data center {dc!r}; known: {', '.join(DATA_CENTERS)}")
    if not is_record_id(record_id):
        raise ValueError(f"not a record id: {record_id!r}")
    tab = web_tab(module, modules)
    return f"{data_center.web_url}/crm/{domain_name}/tab/{tab}/{record_id.strip()}"
