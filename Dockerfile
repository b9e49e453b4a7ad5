# The portal under gunicorn, on Debian 12 with the fonts WeasyPrint needs (docs/deploy.md).
# Build: docker build -t ntm-portal .    Run it with compose.yaml (PostgreSQL, the web app, the task worker).
FROM python:3.12-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_DEBUG=false \
    DJANGO_TASKS_BACKEND=database

# WeasyPrint: pango and harfbuzz (with its subsetter: a page renders in ~130 ms, not ~500), fontconfig, and
# Liberation Serif, metric-compatible with the Times New Roman that Nghị định 30 asks for. gettext: compilemessages
# below (the translations compiled from the .po files of this very commit).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig fonts-liberation2 curl gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# The production lock: the app's dependencies without the development tools (Playwright, Schemathesis, pytest).
COPY requirements-prod.lock ./
RUN pip install --no-cache-dir -r requirements-prod.lock

COPY . .
RUN useradd --system --home /app portal \
    && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput -v0 \
    && DJANGO_SECRET_KEY=build-only python manage.py compilemessages -l en -l vi -v0 \
    && chown -R portal /app
USER portal

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["gunicorn", "-c", "gunicorn.conf.py", "ntm_portal.wsgi"]
