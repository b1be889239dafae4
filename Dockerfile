# A small image with apiconform, its catalog and its suite; the entrypoint is
# the program:
#
#   docker build -t apiconform .
#   docker run --rm -e APICONFORM_APP_KEY -e APICONFORM_APP_SECRET \
#       -v "$PWD/out:/out" apiconform run --base-url https://staging.example.com \
#       --junit /out/junit.xml --html /out/report.html
#
# The build steps are ci/image.sh, which tests/ci/check.sh also runs.
FROM debian:12-slim AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
COPY . /src
RUN sh /src/ci/image.sh build /src /opt/apiconform

FROM debian:12-slim
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends \
        libcurl4 libjansson4 libcunit1 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/apiconform /usr/local
RUN apiconform catalog lint >/dev/null
ENTRYPOINT ["apiconform"]
CMD ["--help"]
