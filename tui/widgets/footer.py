"""The footer: the keys that work here, and, however narrow the terminal, `?` and quit.

Textual's Footer lays every key out in a row and cuts what does not fit mid-word,
so at 80 columns the last ones ("? Help", "q Quit") fall off first: the two a
newcomer needs most. This one leaves out other keys, from the end, until the row
fits, and never those two (every key is still in `?`, the help screen).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tui.widgets.guard import guarded

# Actions kept whatever the width: the way to every other key, and the way out.
ESSENTIAL_ACTIONS = frozenset({"help", "quit"})
# Left out first when the row is too long (the keys a person finds again in `?`); then others, from the end.
DROP_FIRST = (
    "search_everywhere",
    "open_picker",
    "switch_pane",
    "mark_menu",
    "copy_menu",  # m and y are in help; Enter is how a newcomer opens an email
    "open_email",
    "search",
    "choose_filter",
    "refresh",
)
# What a key takes besides its key and description: the padding around them (FooterKey's CSS).
_KEY_PADDING = 3
_PALETTE_WIDTH = 14  # "▏^p Commands " docked on the right


def _what_it_shows(key: FooterKey) -> tuple[object, ...]:
    return (key.key, key.key_display, key.description, key.action, key._disabled, key.tooltip, tuple(sorted(key.classes)))


class KeyFooter(Footer):
    """A Footer that drops keys (never help or quit) instead of cutting them."""

    def compose(self) -> ComposeResult:
        width = self.size.width or self.app.size.width
        self._composed_for = width
        room = width - (_PALETTE_WIDTH if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE else 0)
        shown: list[FooterKey] = []
        dropped: list[FooterKey] = []
        if self._bindings_ready:
            # Footer.compose sets `grid-size-columns` to the number of actions shown, and a change refreshes every
            # key: all drawn again when one key comes or goes. A footer laid out in a row never reads it: it is set
            # here first, quietly, so that Footer's setting it changes nothing.
            actions = {binding.action for _, binding, _, _ in self.screen.active_bindings.values() if binding.show}
            self.styles.set_rule("grid_size_columns", len(actions))
        for item in super().compose():
            if isinstance(item, FooterKey) and not item.has_class("-command-palette"):
                shown.append(item)
            else:
                dropped.append(item)  # the palette key (and group labels, which we do not use)

        def width_of(key: FooterKey) -> int:
            return cell_len(key.key_display) + cell_len(key.description) + _KEY_PADDING

        def drop_order(key: FooterKey) -> tuple[int, int]:
            bare = key.action.rsplit(".", 1)[-1]
            if bare in DROP_FIRST:
                return (0, DROP_FIRST.index(bare))
            return (1, -shown.index(key))

        while shown and sum(width_of(k) for k in shown) > room:
            removable = [k for k in shown if k.action.rsplit(".", 1)[-1] not in ESSENTIAL_ACTIONS]
            if not removable:
                break
            shown.remove(min(removable, key=drop_order))
        palette = [item for item in dropped if isinstance(item, FooterKey)]
        for key in (*shown, *palette):
            # Born with the style it will have: FooterKey starts compact and is then bound to the footer's
            # `compact`, restyling each key twice as it mounts (a sixth of the first frame's styling).
            compact = True if key in palette else self.compact  # the palette key is not bound: it stays compact
            key.set_reactive(FooterKey.compact, compact)
            key.set_class(compact, "-compact", update=False)
        yield from shown
        yield from palette

    _composed_for = 0
    _keys: list[tuple[tuple[object, ...], FooterKey]] | None = None  # what each shown key shows, in order

    async def recompose(self) -> None:
        """Change only the keys that changed: the bindings change with every focus move, the keys shown mostly do
        not, and Footer mounts them all again each time (a frame that lays out and paints the whole screen: ~40 ms
        at 160×48 here, while the 2 MB newsletter arrived with its "Save attachment" key)."""
        if not self.is_attached or self._pruning:
            return
        keys = list(self.compose())
        wanted = [(_what_it_shows(key), key) for key in keys]
        if self._keys is not None and [sign for sign, _ in wanted] == [sign for sign, _ in self._keys]:
            return
        async with self.batch():
            if await self._change_in_place(wanted):
                return
            await self.query_children("*").exclude(".-textual-system").remove()
            if self.is_attached:
                await self.mount_all(keys)
                self._keys = wanted

    async def _change_in_place(self, wanted: list[tuple[tuple[object, ...], FooterKey]]) -> bool:
        """Remove the keys no longer shown and mount the new ones where they go, keeping the rest (which then
        need not be styled or drawn again); False where the footer is not only keys this footer mounted."""
        current, self._keys = self._keys, None
        children = [child for child in self.children if not child.has_class("-textual-system")]
        if current is None or [key for _, key in current] != children:
            return False
        by_sign = {sign: key for sign, key in current}
        if len(by_sign) != len(current) or len({sign for sign, _ in wanted}) != len(wanted):
            return False
        kept = [by_sign[sign] for sign, _ in wanted if sign in by_sign]
        if kept != [key for _, key in current if key in kept]:
            return False  # the same keys in another order
        gone = [key for _, key in current if key not in kept]
        if gone:
            await self.remove_children(gone)
            if not self.is_attached:
                return True  # removed meanwhile: nothing to show
        placed: list[tuple[tuple[object, ...], FooterKey]] = []
        previous: FooterKey | None = None
        for sign, key in wanted:
            have = by_sign.get(sign)
            if have is None:
                if previous is not None:
                    await self.mount(key, after=previous)
                elif kept:
                    await self.mount(key, before=kept[0])
                else:
                    await self.mount(key)
                have = key
            placed.append((sign, have))
            previous = have
        self._keys = placed
        return True

    @guarded
    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._composed_for:
            self.call_after_refresh(self.recompose)

    @guarded
    def on_mount(self) -> None:
        # Footer.on_mount (Textual calls it too) subscribes to the screen's bindings: the keys come when the
        # screen announces them. A footer mounted after that (the record screen's, after the first paint) asks.
        self.bindings_changed(self.screen)
