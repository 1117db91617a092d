/// The NVIDIA part of an image: the installer kept in /root, the nouveau blacklist and the
/// userspace install.
enum NvidiaLayers {
    static func lines(plan: Plan, request: DockerfileRequest) throws(EmitError) -> (
        lines: [String], warnings: [String]
    ) {
        let driver = plan.driver
        guard let chosen = driver.installers.first(where: \.chosen),
            let version = driver.chosenVersion
        else {
            throw .planIncomplete(
                "the plan says \(driver.status.rawValue) but names no installer; run "
                    + "`gpuprobe match` again with the same --drivers folder"
            )
        }
        guard DriverVersion(version) != nil else {
            throw .unsafe(
                what: "the installer version",
                value: version,
                expected: "a driver version such as 550.135 or 535.171.04"
            )
        }
        let architecture = chosen.architecture ?? "x86_64"
        guard EmitValidation.isWord(architecture), !architecture.contains(".") else {
            throw .unsafe(
                what: "the installer architecture",
                value: architecture,
                expected: "x86_64 or aarch64"
            )
        }
        if let variant = chosen.variant, !EmitValidation.isWord(variant) || variant.contains(".") {
            throw .unsafe(
                what: "the installer variant",
                value: variant,
                expected: "letters, digits, - and _ (as in NVIDIA-Linux-x86_64-535.171.04-grid.run)"
            )
        }
        guard let source = request.installerPath else {
            throw .planIncomplete(
                "the installer's path in the build context is not known; pass --drivers DIR "
                    + "with a folder inside the build context"
            )
        }
        guard EmitValidation.isContextPath(source) else {
            throw .unsafe(
                what: "the installer path",
                value: source,
                expected: "a relative path inside the build context of letters, digits, ._-+@/ "
                    + "and spaces (rename the file or folder, or pass --drivers with a relative "
                    + "folder)"
            )
        }
        // The name in the image is built from validated parts, never copied from the file name.
        let name =
            "NVIDIA-Linux-\(architecture)-\(version)" + (chosen.variant.map { "-\($0)" } ?? "")
            + ".run"
        let target = DockerfileEmitter.installerFolder + name

        var lines: [String] = []
        var warnings: [String] = []
        lines += DockerfileEmitter.comment(
            "NVIDIA userspace driver \(version) for the host's kernel module "
                + "\(driver.hostVersion ?? "(unknown)"); the .run stays in /root so that a broken "
                + "driver can be repaired inside the container."
        )
        if driver.status == .mismatch, let host = driver.hostVersion {
            let warning =
                "this installs the \(version) userspace driver but the host's kernel module is "
                + "\(host): until they are equal, nvidia-smi and CUDA in the container fail with "
                + "\"Failed to initialize NVML: Driver/library version mismatch\". Put "
                + "NVIDIA-Linux-\(architecture)-\(host).run into the drivers folder and run "
                + "gpuprobe dockerfile again."
            warnings.append(warning)
            lines += DockerfileEmitter.comment("WARNING: " + warning)
        }
        if source.contains(" ") {
            lines.append("COPY [\"\(source)\", \"\(target)\"]")
        } else {
            lines.append("COPY \(source) \(target)")
        }
        lines += DockerfileEmitter.comment(
            "printf, not `echo -e`: /bin/sh is dash on Debian and Ubuntu, and its echo writes "
                + "the \"-e\" into the file. update-initramfs only runs where the image has it."
        )
        let quotedLines = DockerfileEmitter.blacklistLines.map(ShellWord.quote).joined(
            separator: " "
        )
        lines += [
            "RUN mkdir -p /etc/modprobe.d \\",
            "    && printf '%s\\n' \(quotedLines) > \(DockerfileEmitter.blacklistPath) \\",
            "    && if command -v update-initramfs >/dev/null 2>&1; then update-initramfs -u; fi",
            "RUN chmod 0755 \(target) \\",
            "    && \(target) \(DockerfileEmitter.installerFlags.joined(separator: " "))",
        ]
        return (lines, warnings)
    }
}
