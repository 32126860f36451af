"""One file per widget, each with its DEFAULT_CSS."""
