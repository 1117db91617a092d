import GPUProbe

do {
    let scan = try LibPCI.scan(.automatic, readConfig: true)
    for d in scan.devices { print(d) }
    print(scan.method)
    print(ConfigDump.render(devices: scan.devices, configSpace: scan.configSpace))
} catch {
    print("error: \(error)")
}
