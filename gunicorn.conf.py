"""gunicorn settings, from the environment: `gunicorn showcase.wsgi` picks this file up."""

import os

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Django is imported once in the master and workers are forked from it: a worker that
# is recycled (below) is back in milliseconds. Without it, each recycle re-imported the
# project and the requests queued behind it waited ~0.5 s (bench: p95 of cached pages).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"
# Recycle workers now and then: bounds memory growth from any leak. Rarely: a new worker
# starts with empty per-process caches (pages without REDIS_URL, host resolutions, cards),
# so the requests queued behind its first renders wait. At 2,000 requests, under `make
# bench`'s load, each worker recycled every second or two and cached pages had a p95 of
# ~400 ms; at 100,000 a busy worker recycles every minute or so (hours at real traffic).
# The jitter (10 %) keeps workers from recycling at the same moment.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", str(max_requests // 10)))
# Workers' heartbeat files in memory: on a busy or slow disk, writing them can stall a worker.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
