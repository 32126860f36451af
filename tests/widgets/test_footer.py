"""The footer: one subscription to its screen's bindings, and its keys when it is mounted after they were told."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets._footer import FooterKey

from tui.widgets.footer import KeyFooter


class Bare(App[None]):
    BINDINGS = [Binding("x", "bell", "Bell")]

    def __init__(self, *, later: bool = False) -> None:
        super().__init__()
        self.later = later

    def compose(self) -> ComposeResult:
        if not self.later:
            yield KeyFooter()

    def on_mount(self) -> None:
        if self.later:
            self.call_after_refresh(lambda: self.mount(KeyFooter()))


async def test_it_hears_its_screens_bindings_once():
    app = Bare()
    async with app.run_test(size=(80, 5)) as pilot:
        await pilot.pause()
        footer = app.query_one(KeyFooter)
        assert len(app.screen.bindings_updated_signal._subscriptions.get(footer, [])) == 1


async def test_mounted_after_the_bindings_were_told_it_shows_the_keys():
    app = Bare(later=True)
    async with app.run_test(size=(80, 5)) as pilot:
        for _ in range(5):
            await pilot.pause()
        assert "Bell" in [key.description for key in app.query(FooterKey)]


class Changing(App[None]):
    """A footer whose keys come and go: "Save" shows when `saving`, "Bell" is disabled when `quiet`."""

    BINDINGS = [
        Binding("x", "bell", "Bell"),
        Binding("s", "save", "Save"),
        Binding("y", "copy", "Copy"),
        Binding("question_mark", "help", "Help"),
    ]
    saving = False
    quiet = False

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self.saving
        if action == "bell":
            return None if self.quiet else True
        return True

    def action_save(self) -> None:
        pass

    def action_copy(self) -> None:
        pass


def shown(app: App[None]) -> list[tuple[str, bool]]:
    return [(key.description, key._disabled) for key in app.query(FooterKey)]  # noqa: SLF001 - what a key shows


async def settle(pilot) -> None:
    for _ in range(4):
        await pilot.pause()


async def test_a_key_that_comes_or_goes_is_mounted_or_removed_alone_and_the_others_are_not_drawn_again(monkeypatch):
    drawn: list[str] = []
    render = FooterKey.render

    def counted(self: FooterKey):
        drawn.append(self.description)
        return render(self)

    monkeypatch.setattr(FooterKey, "render", counted)
    app = Changing()
    async with app.run_test(size=(100, 5)) as pilot:
        await settle(pilot)
        assert shown(app) == [("Bell", False), ("Copy", False), ("Help", False), ("palette", False)]
        before = {key.description: key for key in app.query(FooterKey)}
        drawn.clear()

        app.saving = True
        app.refresh_bindings()
        await settle(pilot)
        # Where Footer puts it (the bindings' order), the same widgets around it, and only it drawn.
        assert shown(app) == [("Bell", False), ("Save", False), ("Copy", False), ("Help", False), ("palette", False)]
        assert all(key is before[key.description] for key in app.query(FooterKey) if key.description != "Save")
        assert set(drawn) == {"Save"}  # (twice: its width, then its face)

        drawn.clear()
        app.saving = False
        app.quiet = True  # a key disabled is a key drawn differently: that one alone is replaced
        app.refresh_bindings()
        await settle(pilot)
        assert shown(app) == [("Bell", True), ("Copy", False), ("Help", False), ("palette", False)]
        assert [key is before.get(key.description) for key in app.query(FooterKey)] == [False, True, True, True]
        assert set(drawn) == {"Bell"}


async def test_keys_changed_in_place_are_those_a_footer_composed_afresh_shows():
    app = Changing()
    async with app.run_test(size=(100, 5)) as pilot:
        await settle(pilot)
        for saving, quiet in [(True, False), (True, True), (False, True), (False, False), (True, False)]:
            app.saving, app.quiet = saving, quiet
            app.refresh_bindings()
            await settle(pilot)
            changed = shown(app)
            footer = app.query_one(KeyFooter)
            await footer.remove()
            await app.mount(KeyFooter())
            await settle(pilot)
            assert changed == shown(app), (saving, quiet)



class Switching(App[None]):
    """Two sets of keys with nothing in common (no palette key either): `second` says which is shown."""

    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding(key, f"press('{key}')", f"Key {key}") for key in "abcd"]
    second = False

    def compose(self) -> ComposeResult:
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "press":
            return True
        return (parameters[0] in "cd") == self.second

    def action_press(self, key: str) -> None:
        pass


async def test_a_footer_whose_every_key_changes_shows_the_new_ones_in_order():
    app = Switching()
    async with app.run_test(size=(100, 5)) as pilot:
        await settle(pilot)
        assert shown(app) == [("Key a", False), ("Key b", False)]
        for second in (True, False, True):
            app.second = second
            app.refresh_bindings()
            await settle(pilot)
            assert shown(app) == ([("Key c", False), ("Key d", False)] if second else [("Key a", False), ("Key b", False)])
