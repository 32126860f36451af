"""How an error reads: Zoho's details in plain words, and each thing said once."""

from __future__ import annotations

from tui.widgets.error_panel import error_text
from tui.zoho.errors import NetworkError, ZohoAPIError


def test_details_are_plain_words_not_python():
    error = ZohoAPIError("NO_PERMISSION", "permission denied", status=403, details={"permissions": ["Crm_Implied_View_Emails"]})
    assert error.details_line() == "permissions: Crm_Implied_View_Emails"
    both = ZohoAPIError("X", "m", details={"permissions": ["A", "B"], "param_name": "index", "limits": {"max": 10}})
    assert both.details_line() == "permissions: A, B; param_name: index; limits: max 10"
    assert "permissions: Crm_Implied_View_Emails\n" in str(error_text(error)) and "['" not in str(error_text(error))


def test_unreachable_is_said_once():
    error = NetworkError("Zoho could not be reached: timed out connecting")
    text = str(error_text(error))
    assert text.count("could not be reached") == 1
    assert "What to do: Check the network connection" in text
