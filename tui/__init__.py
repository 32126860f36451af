"""crm-emails: read the emails of a Zoho CRM record in a terminal."""

__version__ = "0.1.0"
