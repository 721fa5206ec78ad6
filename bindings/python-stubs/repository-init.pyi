# gi.repository: Gtasklet has stubs (Gtasklet.pyi beside this file); every other namespace,
# GLib, GObject and Gio included, is Any unless a stub package for it is installed.
from typing import Any

def __getattr__(name: str) -> Any: ...
