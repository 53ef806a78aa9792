import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disclosure.settings")
application = get_wsgi_application()


def warm_up() -> None:
    """Build once what every web process would otherwise build on its first requests:
    each format's checks file (the edit page's rules) and the renderer's template digest
    (which loads WeasyPrint). gunicorn loads this module before forking its workers
    (``preload_app`` in deploy/gunicorn.conf.py), so the workers start with them."""
    # after get_wsgi_application(): the apps must be ready before these modules load
    from disclosure.formats import FORMATS  # noqa: PLC0415
    from disclosure.publish.render import template_version  # noqa: PLC0415
    from disclosure.reports.edit_page import checks_file  # noqa: PLC0415

    for fmt in FORMATS.values():
        checks_file(fmt)
    template_version()


if os.environ.get("DISCLOSURE_WARM_UP", "true").strip().lower() not in {"0", "false", "no", "off"}:
    warm_up()
