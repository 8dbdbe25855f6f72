"""gunicorn settings for `make serve` and production (override with GUNICORN_* variables)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
# The access log masks invitation and password reset tokens in URLs and headers.
logger_class = "core.logging.RedactingGunicornLogger"
errorlog = "-"
# The reverse proxies whose X-Forwarded-Proto gunicorn believes: the same TRUSTED_PROXIES
# the app uses (jli/settings.py), none when unset. Read from the process environment.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "")
