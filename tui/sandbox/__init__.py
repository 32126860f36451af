"""A fake Zoho Accounts + CRM speaking the real wire format."""
