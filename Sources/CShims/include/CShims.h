// CShims: the C that Swift cannot write or cannot reach.
//
// Why this exists:
// - libpci reports fatal errors through `pci_access.error`, a no-return callback whose default
//   prints and calls exit(1) (pciutils lib/init.c, pci_generic_error). Our process must never
//   exit from inside a library, so every call that can reach that callback runs here, under
//   setjmp, with a handler that longjmps back with the message. Only libpci frames sit between
//   the setjmp and the longjmp, never Swift frames.
// - `pci_lookup_name` is variadic; Swift cannot call C variadics. One wrapper per flag set.
// - glibc declares posix_spawn_file_actions_addclosefrom_np only under _GNU_SOURCE, which the
//   Glibc module Swift imports does not define.
#ifndef CSHIMS_H
#define CSHIMS_H

#include <pci/pci.h>
#include <spawn.h>
#include <stddef.h>

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): closes every descriptor >= `from`
/// in the child before exec. Returns 0 or an errno value.
int cshims_spawn_closefrom(posix_spawn_file_actions_t *actions, int from);

/// Allocates a pci_access with quiet warning/debug handlers and the longjmp error handler.
/// `method` is a PCI_ACCESS_* value; `dump_file` (may be NULL) sets `dump.name` and
/// `sysfs_path` (may be NULL) sets `sysfs.path`. Returns NULL and fills `err` on failure.
struct pci_access *clibpci_open(int method, const char *dump_file, const char *sysfs_path,
                                char *err, size_t err_len);

/// Allocates a pci_access for name lookups only (pci.ids, hwdb): no access method is
/// initialised, so nothing is read from the bus. Release with clibpci_close.
struct pci_access *clibpci_open_names(void);

/// Scans the bus (pci_scan_bus). Returns 0, or -1 with `err` filled.
int clibpci_scan(struct pci_access *a, char *err, size_t err_len);

/// Fills the given PCI_FILL_* fields (pci_fill_info). Returns the filled flags, or -1.
int clibpci_fill(struct pci_dev *d, int flags, char *err, size_t err_len);

/// Reads `len` bytes of config space at `pos` (pci_read_block). Returns 1 on success,
/// 0 when the bytes are not readable (for example beyond 64 bytes without root), -1 on error.
int clibpci_read_config(struct pci_dev *d, int pos, unsigned char *buf, int len,
                        char *err, size_t err_len);

/// Returns the driver bound to the device (PCI_FILL_DRIVER string property) or NULL.
const char *clibpci_driver(struct pci_dev *d);

/// Vendor name from pci.ids/hwdb, or NULL when unknown. `PCI_LOOKUP_VENDOR` takes (vendor).
const char *clibpci_vendor_name(struct pci_access *a, char *buf, int size, unsigned vendor);

/// Device name, or NULL. `PCI_LOOKUP_DEVICE` takes (vendor, device).
const char *clibpci_device_name(struct pci_access *a, char *buf, int size, unsigned vendor,
                                unsigned device);

/// Class name, or NULL. `PCI_LOOKUP_CLASS` takes (class) where class is base<<8 | sub.
const char *clibpci_class_name(struct pci_access *a, char *buf, int size, unsigned cls);

/// Releases everything allocated by clibpci_open (pci_cleanup).
void clibpci_close(struct pci_access *a);

#endif
