"""The app's state without Textual: one record's emails (`RecordSession`), what the org
holds (`OrgDirectory`), the connection's state, and the clock everything waits on.

Screens show what these hold and ask them for more; nothing here knows a screen exists.
"""
