# The headless lightsout command in a minimal image, for cluster sweeps
# (see docs/sweeps.md and docs/examples/). Static (no cgo), runs as a
# non-root user, holds nothing but the binary and CA certificates.
#
#   docker build -t registry.example.com/lightsout:latest .
#   docker run --rm registry.example.com/lightsout:latest batch --config demo-line --duration 1d
#
# The desktop view (cmd/lightsout-view) needs cgo and X; it is not built.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" \
      -o /out/lightsout ./cmd/lightsout

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/lightsout /usr/local/bin/lightsout
USER 65532:65532
WORKDIR /home/nonroot
ENTRYPOINT ["/usr/local/bin/lightsout"]
CMD ["--help"]
