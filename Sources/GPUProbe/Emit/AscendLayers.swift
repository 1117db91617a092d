/// The Ascend part of an image: the host's driver files copied in, as `stage-ascend` puts them
/// into the build context, and the library path.
enum AscendLayers {
    static func lines(plan: AscendPlan, report: HostReport) -> [String] {
        let hasVNPU = report.ascend?.vnpuConfigPresent == true
        var lines = DockerfileEmitter.comment(
            "Ascend driver \(plan.driverVersion ?? "(unknown)"): the host's driver files, put "
                + "into the build context by `gpuprobe stage-ascend --context DIR`."
        )
        // `${VAR:+:$VAR}` appends the old value only when there is one: the guide's
        // `...:$LD_LIBRARY_PATH` leaves an empty entry when it is unset, and the dynamic
        // loader reads an empty entry as the current directory.
        let path = AscendFiles.libraryPath.joined(separator: ":")
        lines.append("ENV LD_LIBRARY_PATH=\(path)${LD_LIBRARY_PATH:+:${LD_LIBRARY_PATH}}")
        for file in AscendFiles.all where !file.optional || hasVNPU {
            lines.append("COPY \(file.contextPath) \(file.imagePath)")
        }
        let executables = AscendFiles.all.filter(\.executable).map(\.imagePath)
        lines.append("RUN chmod 0755 " + executables.joined(separator: " "))
        return lines
    }
}
