"""Vitrine's Django project. The Celery app is loaded with it, so that `shared_task`
decorators bind to it in every process (web, worker, commands)."""

from showcase.celery import app as celery_app

__all__ = ("celery_app",)
