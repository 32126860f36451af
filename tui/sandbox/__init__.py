"""A fake Zoho Accounts + CRM speaking the real wire format.

One handler, `app.Sandbox`, used two ways: `transport.SandboxTransport` (in
process, for `--demo` and tests) and `server.SandboxServer` (real HTTP on
loopback, for `crm-emails sandbox`). `data` holds the well-known records and
the sandbox credentials; `faults.Faults` injects latency, 429/500, dropped
connections and token expiry. Nothing here is imported until asked for, so
`crm-emails --help` stays fast.
"""
