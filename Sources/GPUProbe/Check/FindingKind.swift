extension Finding {
    /// What a finding is about: a stable kebab-case code, the `kind` of `gpuprobe/check/v1`.
    ///
    /// The raw values are the JSON's and the schema's list (`Schemas/check-v1.schema.json`);
    /// a test holds the two equal, and another writes the kinds table of
    /// `docs/check-findings.md` from ``summary``, so a new kind is one case here, one line in
    /// the switch below, and one entry in the schema. The cases follow the page's table.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case unresolvedVariable = "unresolved-variable"
        case buildArgUnused = "build-arg-unused"
        case baseImageOK = "base-image-ok"
        case baseImageMinorCompat = "base-image-minor-compat"
        case baseImageForwardCompat = "base-image-forward-compat"
        case baseImageCUDANewer = "base-image-cuda-newer"
        case baseImageRequireUnmet = "base-image-require-unmet"
        case baseImageRequireUnknown = "base-image-require-unknown"
        case baseImageBrandUnknown = "base-image-brand-unknown"
        case baseImageDriverTooOld = "base-image-driver-too-old"
        case baseImageNoHostDriver = "base-image-no-host-driver"
        case baseImageCUDAOnAscend = "base-image-cuda-on-ascend"
        case baseImageCUDAUnknown = "base-image-cuda-unknown"
        case baseImageOtherStage = "base-image-other-stage"
        case baseImageInvalid = "base-image-invalid"
        case baseImageCANNPaired = "base-image-cann-paired"
        case baseImageCANNTooNew = "base-image-cann-too-new"
        case baseImageCANNUnpaired = "base-image-cann-unpaired"
        case installerExact = "installer-exact"
        case installerOlder = "installer-older"
        case installerNewer = "installer-newer"
        case driverOnWindowsHost = "driver-on-windows-host"
        case installerKernelModule = "installer-kernel-module"
        case installerOptionUnsupported = "installer-option-unsupported"
        case installerNotSilent = "installer-not-silent"
        case installerAcceptLicense = "installer-accept-license"
        case installerSourceMissing = "installer-source-missing"
        case installerTruncated = "installer-truncated"
        case installerNoHostDriver = "installer-no-host-driver"
        case installerHostVersionUnknown = "installer-host-version-unknown"
        case installerNameUnknown = "installer-name-unknown"
        case installerArchitecture = "installer-architecture"
        case installerCUDADriver = "installer-cuda-driver"
        case installerAscendCANN = "installer-ascend-cann"
        case installerCANNPaired = "installer-cann-paired"
        case installerCANNTooNew = "installer-cann-too-new"
        case installerCANNUnpaired = "installer-cann-unpaired"
        case installerCANNChip = "installer-cann-chip"
        case installerCANNMismatch = "installer-cann-mismatch"
        case installerAscendDriver = "installer-ascend-driver"
        case driverPackageExact = "driver-package-exact"
        case driverPackageOlder = "driver-package-older"
        case driverPackageNewer = "driver-package-newer"
        case driverPackageUnpinned = "driver-package-unpinned"
        case nouveauEchoE = "nouveau-echo-e"
        case nouveauInImage = "nouveau-in-image"
        case torchOK = "torch-ok"
        case torchMinorCompat = "torch-minor-compat"
        case torchDriverTooOld = "torch-driver-too-old"
        case torchNoKernels = "torch-no-kernels"
        case torchPTXJIT = "torch-ptx-jit"
        case torchKernelsUnchecked = "torch-kernels-unchecked"
        case torchWheelMissing = "torch-wheel-missing"
        case torchUnpinned = "torch-unpinned"
        case torchPyPIDefault = "torch-pypi-default"
        case torchFindLinksPage = "torch-find-links-page"
        case torchBackendAuto = "torch-backend-auto"
        case torchVersionUnknown = "torch-version-unknown"
        case torchVariantUnknown = "torch-variant-unknown"
        case torchCPUOnGPUHost = "torch-cpu-on-gpu-host"
        case torchCUDAWithoutGPU = "torch-cuda-without-gpu"
        case torchCUDAOnAscend = "torch-cuda-on-ascend"
        case torchNPUCANNPaired = "torch-npu-cann-paired"
        case torchNPUCANN = "torch-npu-cann"
        case torchNPUTorch = "torch-npu-torch"
        case torchNPUCPUIndex = "torch-npu-cpu-index"
        case torchNPUNotOnPyPI = "torch-npu-not-on-pypi"
        case torchHostDriverMissing = "torch-host-driver-missing"
        case torchCompanionMismatch = "torch-companion-mismatch"
        case torchNoWheelsForMachine = "torch-no-wheels-for-machine"
        case torchCondaUnjudged = "torch-conda-unjudged"
        case pipProgramUnknown = "pip-program-unknown"
        case pipRequirementsUnseen = "pip-requirements-unseen"
        case pipRequirementsOutside = "pip-requirements-outside"
        case pipRequirementsLimit = "pip-requirements-limit"
        case ascendSourceMissing = "ascend-source-missing"
        case ascendSourceKind = "ascend-source-kind"
        case ascendCopyMissing = "ascend-copy-missing"
        case ascendLibraryPath = "ascend-library-path"
        case ascendVNPUAbsent = "ascend-vnpu-absent"
        case ascendNoHost = "ascend-no-host"
    }
}

extension Finding.Kind {
    /// The kind's row of the findings table: the severities it is given (the usual one, and
    /// when another applies) and one line saying what it reports.
    ///
    /// A switch without `default:`, so a case without its line does not compile.
    public var summary: (severity: String, meaning: String) {
        switch self {
        case .unresolvedVariable: ("note", "a value nothing in the Dockerfile gives; what would")
        case .buildArgUnused: ("note", "a `--build-arg` no `ARG` declares")
        case .baseImageOK: ("note", "the CUDA image runs natively on the driver")
        case .baseImageMinorCompat:
            ("warning", "accepted, runs on CUDA minor-version compatibility")
        case .baseImageForwardCompat:
            ("warning", "a newer CUDA major on a listed data-centre branch: forward compatibility")
        case .baseImageCUDANewer:
            ("error", "the legacy hook refuses the image (`unsatisfied condition`)")
        case .baseImageRequireUnmet:
            ("error", "the Dockerfile's own `NVIDIA_REQUIRE_*` fails or is invalid")
        case .baseImageRequireUnknown: ("note", "the requirement needs a fact the report lacks")
        case .baseImageBrandUnknown: ("warning", "the outcome depends on a GPU brand nothing gives")
        case .baseImageDriverTooOld: ("error", "a CUDA major the driver cannot run")
        case .baseImageNoHostDriver: ("warning", "a CUDA image on a host without an NVIDIA driver")
        case .baseImageCUDAOnAscend: ("error", "a CUDA image on a host with only Ascend NPUs")
        case .baseImageCUDAUnknown: ("note", "the driver's CUDA is not known")
        case .baseImageOtherStage: ("note", "a CUDA base of a stage that is not the image")
        case .baseImageInvalid: ("error", "a `FROM` name Docker refuses (a placeholder)")
        case .baseImageCANNPaired:
            (
                "note",
                "a CANN image (`quay.io/ascend/cann`, `ascendai/cann`) whose CANN the catalog relates to the host's Ascend driver"
            )
        case .baseImageCANNTooNew:
            ("error", "a CANN image newer than every CANN the host's Ascend driver is related to")
        case .baseImageCANNUnpaired:
            ("warning", "a CANN image no table relates to the host's Ascend driver")
        case .installerExact: ("note", "the `.run` equals the host's driver")
        case .installerOlder: ("warning", "the `.run` is older than the host's driver")
        case .installerNewer: ("error", "the `.run` is newer than the host's driver")
        case .driverOnWindowsHost:
            (
                "error",
                "a `.run`, CUDA runfile driver or distribution driver package for a host whose GPUs run under a Windows driver (WDDM/TCC/MCDM, reached through WSL 2)"
            )
        case .installerKernelModule:
            ("error (warning in a bootable image)", "no `--no-kernel-module`")
        case .installerOptionUnsupported: ("error", "`--no-kernel-modules` before 515.43.04")
        case .installerNotSilent: ("error", "no `--silent`: it waits for a terminal")
        case .installerAcceptLicense: ("note", "`--accept-license` is obsolete from 390.42")
        case .installerSourceMissing: ("error", "the `COPY` source is not in the context")
        case .installerTruncated: ("warning", "the `.run` is too small to be an installer")
        case .installerNoHostDriver: ("warning", "a driver in the image, none on the host")
        case .installerHostVersionUnknown: ("warning", "the host's driver version is unknown")
        case .installerNameUnknown: ("note", "the file's name does not carry a version")
        case .installerArchitecture: ("error", "the `.run` is for another architecture")
        case .installerCUDADriver: ("note", "a CUDA runfile also installs its bundled driver")
        case .installerAscendCANN:
            (
                "note",
                "a CANN package, not an NVIDIA driver (an Ascend host's toolkit is judged as `installer-cann-*`)"
            )
        case .installerCANNPaired:
            (
                "note",
                "a CANN toolkit `.run` whose CANN the catalog relates to the host's Ascend driver"
            )
        case .installerCANNTooNew:
            (
                "error",
                "a CANN toolkit `.run` newer than every CANN the host's Ascend driver is related to"
            )
        case .installerCANNUnpaired:
            ("warning", "a CANN toolkit `.run` no table relates to the host's Ascend driver")
        case .installerCANNChip:
            (
                "error",
                "a CANN kernels/ops package for another chip than the host's NPUs (310p on a 910B)"
            )
        case .installerCANNMismatch:
            ("error", "a CANN kernels/ops package of another release than the image's CANN")
        case .installerAscendDriver: ("note", "an Ascend driver installed into the image")
        case .driverPackageExact: ("note", "a pinned driver package equals the host's driver")
        case .driverPackageOlder: ("warning", "a driver package older than the host's")
        case .driverPackageNewer: ("error", "a driver package newer than the host's")
        case .driverPackageUnpinned: ("note", "the version depends on the repository at build time")
        case .nouveauEchoE:
            (
                "error (note where `/bin/sh` takes `-e`)",
                "`echo -e` under dash writes `-e` into the blacklist"
            )
        case .nouveauInImage:
            ("note", "a container never reads the image's modprobe.d (not said of bootable images)")
        case .torchOK: ("note", "the wheel fits the driver and every GPU")
        case .torchMinorCompat:
            ("warning", "the wheel's CUDA is newer: minor-version compatibility")
        case .torchDriverTooOld: ("error", "the wheel's CUDA needs a newer driver")
        case .torchNoKernels: ("error", "no kernels (SASS or PTX) for a GPU")
        case .torchPTXJIT: ("note", "a GPU runs on PTX compiled at first use")
        case .torchKernelsUnchecked: ("note", "the GPU's compute capability is unknown")
        case .torchWheelMissing: ("error", "no index in play has that wheel: the build fails")
        case .torchUnpinned: ("note", "judged as the newest release the catalog knows")
        case .torchPyPIDefault: ("note", "an index or mirror whose builds are not known")
        case .torchFindLinksPage: ("warning", "`-f` names a web page, not a wheel index")
        case .torchBackendAuto: ("warning", "uv's `--torch-backend=auto` sees no GPU in a build")
        case .torchVersionUnknown: ("note", "a release the catalog does not know")
        case .torchVariantUnknown:
            ("warning or note", "the CUDA variant is not decided or not known")
        case .torchCPUOnGPUHost:
            (
                "warning (note when the line asks for the CPU build)",
                "a CPU wheel on a host with NVIDIA GPUs"
            )
        case .torchCUDAWithoutGPU: ("note", "a CUDA wheel on a host without NVIDIA GPUs")
        case .torchCUDAOnAscend: ("error", "a CUDA wheel, no torch_npu, on an Ascend-only host")
        case .torchNPUCANNPaired: ("note", "a torch_npu Ascend's table pairs with the image's CANN")
        case .torchNPUCANN:
            ("error", "a torch_npu paired only with other CANN releases than the image's")
        case .torchNPUTorch:
            (
                "error",
                "a torch pin other than the torch_npu's own torch (same install, or a later one)"
            )
        case .torchNPUCPUIndex:
            (
                "error (warning when the host's architecture is unknown)",
                "x86_64 torch_npu 2.1.0.post6–2.11 from PyPI alone: its wheel pins `torch==X+cpu`"
            )
        case .torchNPUNotOnPyPI:
            ("error", "a torch_npu with no wheel on PyPI (2.1.0.post4, 1.11.x, 2.0.1.x)")
        case .torchHostDriverMissing: ("warning", "GPUs without a loaded driver")
        case .torchCompanionMismatch: ("warning", "torchvision/torchaudio of another torch")
        case .torchNoWheelsForMachine: ("warning", "no wheels for the host's architecture")
        case .torchCondaUnjudged: ("note", "a conda torch install whose GPU code is not checked")
        case .pipProgramUnknown: ("note", "the interpreter is a variable (judged as pip)")
        case .pipRequirementsUnseen: ("note", "a `-r` file not in the context")
        case .pipRequirementsOutside: ("note", "a `-r` file through a link out of the context")
        case .pipRequirementsLimit: ("error", "requirements files past the bounds")
        case .ascendSourceMissing: ("error", "an Ascend `COPY` source not in the context")
        case .ascendSourceKind: ("error", "a file where a folder is needed, or the reverse")
        case .ascendCopyMissing:
            ("warning", "an NPU image that does not copy the host's driver files")
        case .ascendLibraryPath:
            (
                "warning (note when the base image may set it)",
                "`LD_LIBRARY_PATH` lacks the driver folders"
            )
        case .ascendVNPUAbsent: ("warning", "`/etc/vnpu.cfg` copied from another host")
        case .ascendNoHost: ("warning", "Ascend files on a host without NPUs")
        }
    }
}

extension Finding.Kind: CustomStringConvertible {
    /// The JSON code (`installer-newer`), also where a kind is interpolated into text.
    public var description: String { rawValue }
}
