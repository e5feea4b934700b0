# Làng Số: the web server (`langso serve`) and the task worker (`langso db_worker`) share
# this image; compose.yaml and docs/production.md show how they are run together.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    LANGSO_VAR_DIR=/app/var \
    LANGSO_MEDIA_ROOT=/var/lib/langso/media

RUN groupadd --system --gid 10001 langso \
    && useradd --system --uid 10001 --gid langso --no-create-home --shell /usr/sbin/nologin langso \
    && mkdir -p /app/var /var/lib/langso/media /var/lib/langso/backups \
    && chown -R langso:langso /app/var /var/lib/langso

WORKDIR /app
COPY pyproject.toml README.md ./
COPY config ./config
COPY langso ./langso
RUN pip install --no-cache-dir .

USER 10001:10001

# Hashed, pre-compressed static files, baked into the image. The settings module insists on
# these three variables; the values here serve this build step only.
RUN SECRET_KEY=build-time-only-not-a-secret-0123456789-abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=localhost REDIS_URL=redis://localhost:6379/0 \
    langso collectstatic --noinput -v0

EXPOSE 8000
CMD ["langso", "serve", "--bind", "0.0.0.0:8000", "--no-migrate"]
