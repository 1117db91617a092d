# gpuprobe: the two quick-start commands are `make run` and `make test`.
# Both install the Debian/Ubuntu packages they need when missing (sudo when not root).

SWIFT ?= swift
PACKAGES := libpci-dev pkg-config pciutils zlib1g-dev liblzma-dev xz-utils makeself
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ARGS ?=

.PHONY: run test build deps lint format clean

run: deps
	$(SWIFT) build -c release --product gpuprobe
	.build/release/gpuprobe $(ARGS)

test: deps lint
	$(SWIFT) build --build-tests -Xswiftc -warnings-as-errors
	$(SWIFT) test --skip-build

build: deps
	$(SWIFT) build -c release --product gpuprobe

# libpci-dev: the library and headers; pkg-config: how SwiftPM finds them;
# pciutils: lspci, which the tests compare gpuprobe against; zlib1g-dev, liblzma-dev: the
# gzip and xz decoders that read NVIDIA .run payloads; xz-utils, makeself: the tests build
# installers with the real xz and make an upstream makeself archive to reject.
deps:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

lint:
	$(SWIFT) format lint --strict --parallel --recursive Package.swift Sources Tests

format:
	$(SWIFT) format format --in-place --parallel --recursive Package.swift Sources Tests

clean:
	rm -rf .build
