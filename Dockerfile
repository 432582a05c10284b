# Tidlig production image: the gunicorn web, the Celery worker and beat all run
# from it (see docker-compose.yml). Python packages come from uv.lock, nothing else.

# --- build: resolve the locked dependencies into /app/.venv -------------------
FROM python:3.11-slim-bookworm AS build

RUN pip install --no-cache-dir uv==0.13.9

# Use the image's own Python 3.11 (the runtime stage has the same one at the same
# path, so the venv's interpreter link stays valid after the copy).
ENV UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy

WORKDIR /app
# Only the two files that decide the dependencies, so a code change reuses this layer.
# The project itself is not installed: /app is on PYTHONPATH in the runtime stage.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

# --- runtime -----------------------------------------------------------------
FROM python:3.11-slim-bookworm

# Libraries WeasyPrint needs for the PDFs (the .mo files are committed, so no gettext).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 tidlig

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONPATH=/app \
    PATH="/app/.venv/bin:$PATH" \
    TIDLIG_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    WEB_CONCURRENCY=3

WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY . .

# Static files are collected once, into the image, and served by WhiteNoise.
# The settings refuse to load with DEBUG off and no secrets, so this one command
# gets throwaway values; the real ones only ever come from the environment at run
# time. Its var/ goes to /tmp and is removed so nothing of it seeds the volume.
RUN SECRET_KEY=build-only DEBUG=false ALLOWED_HOSTS=build \
    CPR_ENCRYPTION_KEYS=YnVpbGQtb25seS1ub3QtYS1yZWFsLWtleS0wMDAwMDA= CPR_HASH_KEY=build-only \
    TIDLIG_VAR_DIR=/tmp/build-var \
    python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var \
    && mkdir -p /app/var \
    && chown tidlig:tidlig /app/var

# Code and static files stay owned by root: the app can only write to var/ (media).
USER tidlig
EXPOSE 8000

# No HEALTHCHECK here: worker, beat and migrate run this image too, and a web check
# would mark them unhealthy. The web check lives on the web service in the compose file.
# gunicorn reads the number of workers from WEB_CONCURRENCY.
CMD ["gunicorn", "tidlig.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
