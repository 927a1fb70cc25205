# Multi-stage build: compile in the Rust image, run from a slim Debian with only the binary.
FROM rust:1-bookworm AS build
WORKDIR /src
# The whole tree (see .dockerignore): the manifest names the benchmark and test targets, and
# build.rs, so they must be there for cargo to read it.
COPY . .
RUN cargo build --release --locked --bin kefu && strip target/release/kefu

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/kefu --create-home kefu
COPY --from=build /src/target/release/kefu /usr/local/bin/kefu
USER kefu
WORKDIR /var/lib/kefu
ENV KEFU_BIND=0.0.0.0:8080
EXPOSE 8080
CMD ["kefu", "serve"]
