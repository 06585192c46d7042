# The ecopark server image: `ecopark serve` on 0.0.0.0:8000 as a non-root user, configured by
# ECOPARK_* environment variables (docs/deploy.md), with the browser libraries (ECharts, Swagger
# UI) served from the image, the Noto CJK fonts for charts and documents, and LibreOffice Writer
# for PDF reports (build with --build-arg PDF=no to leave it out: 0.75 GB instead of 1.2 GB; PDF
# reports then answer that LibreOffice is missing).
#
#   docker build -t ecopark .
#
# The base images can be replaced (a registry mirror, or scripts/standin/build's local ones):
# --build-arg PYTHON_IMAGE=… --build-arg NODE_IMAGE=…. Works with BuildKit and the legacy builder.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:20-bookworm-slim

# ---- the browser libraries, as pinned by package-lock.json; only the files the app serves
FROM ${NODE_IMAGE} AS vendor
WORKDIR /vendor
COPY src/ecopark/web/static/vendor/package.json src/ecopark/web/static/vendor/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error \
 && mkdir -p /out/echarts/dist /out/swagger-ui-dist \
 && cp node_modules/echarts/dist/echarts.min.js /out/echarts/dist/ \
 && cp node_modules/echarts/LICENSE node_modules/echarts/NOTICE node_modules/echarts/package.json \
       /out/echarts/ \
 && cd node_modules/swagger-ui-dist \
 && cp swagger-ui.css swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt LICENSE NOTICE \
       package.json /out/swagger-ui-dist/

# ---- ecopark and its dependencies in a virtual environment, installed from the source tree
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python3 -m venv /opt/ecopark
WORKDIR /build
# the dependencies first, from pyproject.toml alone: this layer is rebuilt only when they change
COPY pyproject.toml ./
RUN python3 -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > requirements.txt \
 && /opt/ecopark/bin/pip install --quiet -r requirements.txt
COPY README.md ./
COPY src ./src
# src/ecopark/examples links to examples/: the bundled example datasets (package data)
COPY examples ./examples
RUN /opt/ecopark/bin/pip install --quiet --no-deps . \
 && rm -rf /opt/ecopark/lib/python3.11/site-packages/ecopark/web/static/vendor/node_modules
COPY --from=vendor /out /opt/ecopark/lib/python3.11/site-packages/ecopark/web/static/vendor/node_modules
# the app's own paths to the files must find them (a different Python would put them elsewhere)
RUN /opt/ecopark/bin/python -c "from ecopark.web.render import ECHARTS; \
from ecopark.web.api_docs import SWAGGER_UI; \
from ecopark.io.examples import dataset; assert dataset('wujin-2018').is_file(); \
assert ECHARTS.is_file() and (SWAGGER_UI / 'swagger-ui-bundle.js').is_file(), 'vendor files'"

# ---- the image
FROM ${PYTHON_IMAGE}
ARG PDF=yes
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      tini fonts-noto-cjk fonts-liberation2 \
      $(if [ "$PDF" = yes ]; then echo libreoffice-writer-nogui; fi) \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /home/ecopark --create-home \
      --shell /usr/sbin/nologin ecopark \
 && install -d -o ecopark -g ecopark -m 0750 /var/lib/ecopark /var/lib/ecopark/backups
COPY --from=build /opt/ecopark /opt/ecopark
ENV PATH=/opt/ecopark/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    LANG=C.UTF-8 \
    ECOPARK_DATABASE_URL=sqlite:////var/lib/ecopark/ecopark.sqlite
USER ecopark
WORKDIR /var/lib/ecopark
# matplotlib's font list, built once here rather than at the first chart of every container
RUN python3 -c "from ecopark.reports.charts import cjk_font; print('chart font:', cjk_font())"
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
ENTRYPOINT ["tini", "--"]
CMD ["ecopark", "serve", "--host", "0.0.0.0", "--port", "8000"]
