// CLibPCI: the system library libpci (pciutils), seen from Swift.
//
// Only the header is needed here; libpci's own `pci_lookup_name` is variadic and its error
// callback never returns, so everything that calls into libpci goes through CLibPCIShims.
#include <pci/pci.h>
