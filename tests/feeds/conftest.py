from tests.celery_fixtures import _cron_mode_unless_asked, celery_eager  # noqa: F401
