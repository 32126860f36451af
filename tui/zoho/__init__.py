"""Zoho CRM API layer: models, client, auth, errors, data centers. Imports no Textual."""
