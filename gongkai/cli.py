"""The `gongkai` console script: Django's manage command for this project."""

import os
import sys

# Commands whose public name is not a Python identifier.
ALIASES = {"annual-report": "annual_report"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "gongkai"
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        print(f"gongkai: configuration error: {exc}", file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
