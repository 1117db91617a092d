import GPUProbe

print(HostReport.currentSchema)
