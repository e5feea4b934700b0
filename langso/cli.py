"""The `langso` command: a thin front over Django's management commands.

`langso demo`, `langso serve`, `langso load_admin_units`, `langso import_households` ...
are all management commands; this only picks the settings module.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["langso", *sys.argv[1:]])


if __name__ == "__main__":
    main()
