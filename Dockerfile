# Tidlig production image: gunicorn web, Celery worker and beat share it
# (see docker-compose.yml). Dependencies come from uv.lock, nothing else.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    UV_COMPILE_BYTECODE=1 \
    PATH="/app/.venv/bin:$PATH"

# Runtime libraries WeasyPrint needs for the PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv==0.13.9 \
    && useradd --create-home --uid 1000 tidlig

WORKDIR /app

# Dependencies first so that a code change does not reinstall them.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN uv sync --frozen --no-dev \
    && SECRET_KEY=build-only DEBUG=false ALLOWED_HOSTS=build \
       CPR_ENCRYPTION_KEYS=ZmFrZS1idWlsZC1vbmx5LWtleS0wMDAwMDAwMDAwMDA= CPR_HASH_KEY=build-only \
       TIDLIG_VAR_DIR=/tmp/build-var STATIC_ROOT=/app/staticfiles \
       python manage.py collectstatic --noinput \
    && mkdir -p /app/var && chown -R tidlig:tidlig /app/var

USER tidlig
ENV TIDLIG_VAR_DIR=/app/var STATIC_ROOT=/app/staticfiles
EXPOSE 8000
CMD ["sh", "-c", "exec gunicorn tidlig.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
