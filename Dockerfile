# syntax=docker/dockerfile:1
# The `yiwang` console script in a small image: one image for every service of every center; the
# command picks the center and the services, e.g.
#   docker run --rm yiwang:local run --region 320612001 --services triage
# docker-compose.yml builds it and runs one container per service (see infra/README.md).

# --- build: install the project and its pinned dependencies into a venv ---------------------------------
FROM python:3.11-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/yiwang
ENV PATH=/opt/yiwang/bin:$PATH

WORKDIR /src
# Only what the package needs (no .venv, .git or tests in the build context copies). README.md* is a
# glob so the build does not fail while the README is absent.
COPY pyproject.toml requirements.lock README.md* ./
COPY shared ./shared
COPY services ./services
COPY app ./app
RUN pip install -c requirements.lock . \
 && yiwang --help > /dev/null

# --- runtime: the venv only, run as an unprivileged user -----------------------------------------------
FROM python:3.11-slim

ENV PATH=/opt/yiwang/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN groupadd --system --gid 10001 yiwang \
 && useradd --system --uid 10001 --gid yiwang --home-dir /app --create-home --shell /usr/sbin/nologin yiwang

COPY --from=build /opt/yiwang /opt/yiwang

# The working directory is writable for the embedded SQLite default (var/yiwang-{region}.db) when no
# YIWANG_DATABASE_URL is given.
WORKDIR /app
USER 10001:10001

# The gateway's HTTP port (`--port`, default 8080).
EXPOSE 8080

# Exec form: `yiwang` is PID 1 and receives SIGTERM itself, drains in-flight work and exits 0.
ENTRYPOINT ["yiwang"]
CMD ["run", "--region", "320612001"]
