"""`python -m tui.bench`: see tui/bench/run.py."""

from tui.bench.run import main

raise SystemExit(main())
