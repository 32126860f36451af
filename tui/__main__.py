"""`python -m tui` is the `crm-emails` command."""

from tui.cli import main

raise SystemExit(main())
