"""PyInstaller hook override for ``PySide6.QtGui``: the stock hook, minus Qt plugins Rapport
never loads.

The stock hook collects every plugin type associated with QtGui (all platform plugins, Wayland
client plugins, EGLFS device integrations, evdev input, ...). Each collected plugin drags in its
own shared-library dependencies, so removing plugins *after* Analysis would leave those libraries
behind; filtering here, before dependency analysis, keeps the bundle clean. ``build.spec`` passes
``packaging/hooks`` as ``hookspath``; user hooks take priority over PyInstaller's own.

What is dropped and why (Linux unless noted):
- platforms other than xcb (X11, also used under XWayland) and offscreen (``--self-test``, CI),
  plus windows/direct2d/cocoa on those systems. ``wayland`` is dropped on purpose: it brings
  libQt6WaylandClient and four plugin directories, and Qt falls back to xcb when the wayland
  plugin is missing and DISPLAY is set (XWayland is present on GNOME and KDE sessions).
- ``wayland-*``, ``egldeviceintegrations`` and ``generic`` (evdev/tuio): only used by the
  wayland/eglfs/linuxfb platforms.
- ``platformthemes/gtk3``: it links the host's GTK 3, and PyInstaller would bundle the build
  machine's cairo/pango/gdk-pixbuf/atk beside it -- a mixed-version GTK stack at run time on the
  user's machine. Rapport uses Qt's own (Fusion) style and dialogs; the xdg-desktop-portal
  theme is kept (Flatpak/Snap file dialogs, it only needs D-Bus).
- ``platforminputcontexts/qtvirtualkeyboard``: needs QtQuick/QML. compose and ibus are kept
  (dead keys and CJK input methods).
- everything else (iconengines with the SVG engine, imageformats incl. svg/ico, xcbglintegrations,
  platforms/darwin) is kept.
"""

from __future__ import annotations

import os

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)

_DROPPED_PLUGIN_TYPES = {
    "egldeviceintegrations",
    "generic",
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "wayland-graphics-integration-server",
    "wayland-shell-integration",
}
# plugin type -> plugin names kept (name without "lib" prefix and extension).
_KEPT_PLUGINS = {
    "platforms": {"qxcb", "qoffscreen", "qwindows", "qdirect2d", "qcocoa"},
}
# plugin type -> plugin names dropped.
_DROPPED_PLUGINS = {
    "platformthemes": {"qgtk3"},
    "platforminputcontexts": {"qtvirtualkeyboardplugin"},
}


def _plugin_name(path: str) -> str:
    name = os.path.basename(path).split(".")[0]
    return name[3:] if name.startswith("lib") else name


def _wanted(src: str, dest: str) -> bool:
    parts = dest.replace("\\", "/").split("/")
    if "plugins" not in parts:
        return True  # not a plugin (a Qt library or other binary)
    plugin_type = "/".join(parts[parts.index("plugins") + 1 :])  # e.g. "platforms/darwin"
    name = _plugin_name(src)
    if plugin_type in _DROPPED_PLUGIN_TYPES:
        return False
    if plugin_type in _KEPT_PLUGINS:
        return name in _KEPT_PLUGINS[plugin_type]
    return name not in _DROPPED_PLUGINS.get(plugin_type, set())


binaries = [(src, dest) for src, dest in binaries if _wanted(src, dest)]
