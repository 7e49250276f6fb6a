"""The Qt desktop app: windows, table models and dialogs over the :mod:`ctmt_desktop` core.

Only this package (and ``main.py``) imports PySide6. Widgets never write the database
themselves: every change goes through a service of ``ctmt_desktop.services``.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from ctmt_desktop.paths import APP_AUTHOR, APP_NAME

ORGANIZATION = APP_AUTHOR
APPLICATION = APP_NAME


def app_settings() -> QSettings:
    """The user's settings of the app (window geometry, column widths…).

    An INI file in the user's configuration folder on every system, rather than the Windows
    registry, so that tests can point :meth:`QSettings.setPath` at a temporary folder.
    """
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )
