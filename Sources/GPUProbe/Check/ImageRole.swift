/// What an image is for, as far as its name and the Dockerfile tell: a bootable container that
/// becomes a host's root, an Ascend image, or a plain OS image whose environment is known.
extension ImageReference {
    /// A bootable container (bootc, rpm-ostree): deployed, it becomes the host's root
    /// filesystem, so its kernel modules, `/etc/modprobe.d` and initramfs are the host's.
    ///
    /// Fedora, CentOS and RHEL publish these as `*-bootc`; Fedora's ostree desktops and CoreOS
    /// and Universal Blue's images (`ghcr.io/ublue-os/...`, which ship NVIDIA kernel modules)
    /// are rebased onto with `rpm-ostree` / `bootc switch` the same way.
    var isBootable: Bool {
        let name = repository
        return name.containsText("bootc") || name.hasPrefix("ublue-os/")
            || name.hasPrefix("fedora-ostree-desktops/") || name.hasSuffix("/fedora-coreos")
            || name == "fedora/fedora-silverblue" || name == "fedora/fedora-kinoite"
    }

    /// Huawei's CANN images and those built from them, which set `LD_LIBRARY_PATH` to the
    /// driver's `lib64/common/` and `lib64/driver/` folders (Ascend/cann-container-image,
    /// published as `quay.io/ascend/cann` and `ascendai/cann`).
    var setsAscendLibraryPath: Bool {
        let names = ["ascend/cann", "ascendai/cann", "ascend/vllm-ascend", "ascendai/vllm-ascend"]
        return names.contains(repository)
    }

    /// An image from Huawei's Ascend registries or organisations, whose environment `check`
    /// does not know (Ascend Hub, `ascendai/...`, `quay.io/ascend/...`).
    var isAscendImage: Bool {
        if setsAscendLibraryPath { return true }
        let lowered = (registry ?? "").lowercased()
        return repository.hasPrefix("ascend/") || repository.hasPrefix("ascendai/")
            || repository.hasPrefix("ascendhub/") || repository.containsText("/ascendhub/")
            || lowered.hasSuffix("myhuaweicloud.com") && repository.containsText("ascend")
    }

    /// A distribution or language image that sets no `NVIDIA_*` variable and no library path.
    var isPlainDistribution: Bool {
        let plain: Set<String> = [
            "ubuntu", "debian", "python", "centos", "rockylinux", "rockylinux/rockylinux",
            "almalinux", "fedora", "alpine", "amazonlinux", "redhat/ubi8", "redhat/ubi9",
            "redhat/ubi10", "opensuse/leap", "oraclelinux", "busybox", "buildpack-deps",
            "openeuler/openeuler",
        ]
        return plain.contains(repository)
    }

    /// An image whose environment is known not to set `LD_LIBRARY_PATH` to Ascend folders.
    ///
    /// A plain distribution, or NVIDIA's and PyTorch's CUDA images, whose environment is known:
    /// what the Dockerfile sets is then all there is.
    var isPlainOSImage: Bool {
        isPlainDistribution || repository == "nvidia/cuda" || repository == "pytorch/pytorch"
    }
}

extension CheckInput {
    /// The image is a bootable container: the image it is built on is one, or a `RUN` in it
    /// runs `bootc container lint` or `ostree container commit`, which only such builds do.
    static func bootable(_ facts: BuildFacts) -> Bool {
        guard let final = facts.finalStage else { return false }
        if let base = facts.externalBase(of: final.index), base.image.isBootable { return true }
        let chain = Set(facts.chain(from: final.index).map(\.index))
        return facts.commands.contains { command in
            guard chain.contains(command.stage), let first = command.words.first else {
                return false
            }
            let words = command.words.dropFirst().prefix(2).map(\.text)
            switch CommandWords.basename(first.text) {
            case "bootc": return words.first == "container"
            case "ostree": return words == ["container", "commit"]
            default: return false
            }
        }
    }
}
