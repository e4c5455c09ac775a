# gunicorn settings for Duban (see docs/deploy.md). Started by deploy/systemd/duban-web.service:
#   gunicorn --config /opt/duban/deploy/gunicorn.conf.py duban.wsgi
import multiprocessing
import os

bind = os.environ.get("DUBAN_BIND", "127.0.0.1:8000")
# Sync workers: Duban's views are short database work; 2 per core plus one is gunicorn's own advice.
workers = int(os.environ.get("DUBAN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = 1
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak cannot grow for weeks.
max_requests = 2000
max_requests_jitter = 200
# nginx on the same machine sets X-Forwarded-Proto; trust it from there only.
forwarded_allow_ips = os.environ.get("DUBAN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
