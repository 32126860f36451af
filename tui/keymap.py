"""The person's own keys: `keymap.toml` in the platform's config folder, binding ids to keys.

    "record.refresh" = "f5"
    "email_list.down" = "j,down,ctrl+n"      # several keys: a comma-separated string, or a list

Each id is a `Binding(id=…)` of the app, a screen or a widget (`binding_ids()` lists them;
the README's table is checked against it). The file is read once at start and handed
to Textual's `App.set_keymap`; a file that cannot be read, an unknown id or a value that
is not keys gives a sentence (the app shows it as a notice) and the default keys stay.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import msgspec

FILE_NAME = "keymap.toml"


def keymap_path() -> Path:
    """`keymap.toml` in the user's config folder (~/.config/crm-emails/ on Linux), beside no other file."""
    import platformdirs

    from tui.store.files import APP_NAME

    return Path(platformdirs.user_config_dir(APP_NAME)) / FILE_NAME


class BindingInfo(msgspec.Struct, frozen=True):
    id: str
    keys: str
    description: str


def bindings() -> dict[str, BindingInfo]:
    """Every binding with an id, by id: read from the classes of tui.app, tui.screens and tui.widgets."""
    import importlib
    import pkgutil

    import tui.screens
    import tui.widgets

    modules = [importlib.import_module("tui.app")]
    for package in (tui.screens, tui.widgets):
        modules += [importlib.import_module(f"{package.__name__}.{m.name}") for m in pkgutil.iter_modules(package.__path__)]
    found: dict[str, BindingInfo] = {}
    for module in modules:
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if not cls.__module__.startswith("tui."):
                continue
            for binding in cls.__dict__.get("BINDINGS", ()):
                binding_id = getattr(binding, "id", None)
                if binding_id and binding_id not in found:
                    found[binding_id] = BindingInfo(binding_id, binding.key, binding.description)
    return dict(sorted(found.items()))


def binding_ids() -> list[str]:
    return list(bindings())


def ids_table() -> str:
    """The README's table of ids (`python -m tui.keymap` prints it)."""
    rows = ["| id | default keys | what |", "| --- | --- | --- |"]
    for info in bindings().values():
        rows.append(f"| `{info.id}` | `{info.keys}` | {info.description} |")
    return "\n".join(rows)


def read_keymap(path: Path, known: set[str] | None = None) -> tuple[dict[str, str], str | None]:
    """The overrides in `path` ({} when there is no file), and a sentence about what was wrong with it, if anything."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as error:
        return {}, f"{path} could not be read ({error}); the default keys are used."
    import tomllib  # here: most people have no keymap, and the app reads it as it starts

    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return {}, f"{path} is not valid TOML ({error}); the default keys are used."
    known = set(binding_ids()) if known is None else known
    keymap: dict[str, str] = {}
    unknown: list[str] = []
    not_keys: list[str] = []
    for binding_id, value in table.items():
        if binding_id not in known:
            unknown.append(binding_id)
        elif isinstance(value, str) and value.strip():
            keymap[binding_id] = value
        elif isinstance(value, list) and value and all(isinstance(k, str) and k.strip() for k in value):
            keymap[binding_id] = ",".join(value)
        else:
            not_keys.append(binding_id)
    problems = []
    if unknown:
        problems.append(f"no binding has the id {', '.join(unknown)} (the README lists the ids)")
    if not_keys:
        problems.append(f"{', '.join(not_keys)}: give keys as a string (\"f5\" or \"j,down\") or a list of strings")
    if not problems:
        return keymap, None
    kept = "the other keys in it are used" if keymap else "the default keys are used"
    return keymap, f"In {path}: {'; '.join(problems)}. Those lines are left out; {kept}."


if __name__ == "__main__":
    print(ids_table())
