"""`python -m tui.bench`: issue 9's figures, each beside its baseline measured in the same run.

    figures.py   a figure, its target, the Markdown table and the JSON
    run.py       the command: which figures, in which order, --quick and --json
    procs.py     whole processes: bytecode cached as an install has it, a pseudo-terminal
                 for first paint, peak memory of a process on its own, -X importtime
    headless.py  the app under `run_test`: opened on a record with its emails loaded,
                 frames timed, CPU per key press less the pilot's own cost
    bare.py      the baselines that are plain Textual: a DataTable app, a DataTable screen
    data.py      the sandbox's emails written once per run for every child to read
    child.py     `python -m tui.bench.child NAME`: one group of in-process figures,
                 in a fresh interpreter (memory and first-use costs are its own)
    start.py     1 first paint, imports at start, 2 reopen from the store, 3 --help
    listing.py   4 memory, 5 scroll, 6 append and bulk changes
    economy.py   7 API calls
    bodies.py    8 big bodies
    export.py    9 export (and the minimal httpx pager it is compared with)
    menus.py     10 first and later openings of t, ? and ctrl+p

Nothing here is imported by the app; it imports the app.
"""
