# Multi-stage build: compile in the Rust image, run from a slim Debian with only the binary.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src src
COPY migrations migrations
COPY templates templates
COPY static static
RUN cargo build --release --locked && strip target/release/kefu

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/kefu --create-home kefu
COPY --from=build /src/target/release/kefu /usr/local/bin/kefu
USER kefu
WORKDIR /var/lib/kefu
ENV KEFU_BIND=0.0.0.0:8080
EXPOSE 8080
CMD ["kefu", "serve"]
