// CShims: libpci calls guarded against its exit()-ing error callback.
//
// libpci's `error` callback is declared no-return and its default calls exit(1). We install
// one that formats the message into the caller's buffer and longjmps back to the guard in
// the same C function. The jump target lives in thread-local storage, so concurrent probes on
// different threads do not share it; one pci_access must still be used by one thread at a time.
#include "CShims.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct guard {
    jmp_buf env;
    char *err;
    size_t err_len;
};

static _Thread_local struct guard *current_guard;

__attribute__((noreturn, format(printf, 1, 2))) static void on_error(char *msg, ...) {
    struct guard *g = current_guard;
    if (g && g->err && g->err_len) {
        va_list args;
        va_start(args, msg);
        vsnprintf(g->err, g->err_len, msg, args);
        va_end(args);
    }
    longjmp(g->env, 1);
}

// Warnings (for example an unreadable config file) are reported by the calls' results instead.
__attribute__((format(printf, 1, 2))) static void on_quiet(char *msg, ...) { (void)msg; }

#define GUARDED(fail_value, out_err, out_err_len, body)                                        \
    do {                                                                                       \
        struct guard g;                                                                        \
        struct guard *saved = current_guard;                                                  \
        g.err = (out_err);                                                                     \
        g.err_len = (out_err_len);                                                             \
        if (g.err && g.err_len) g.err[0] = 0;                                                  \
        current_guard = &g;                                                                    \
        if (setjmp(g.env)) {                                                                   \
            current_guard = saved;                                                             \
            return (fail_value);                                                               \
        }                                                                                      \
        body;                                                                                  \
        current_guard = saved;                                                                 \
    } while (0)

struct pci_access *clibpci_open(int method, const char *dump_file, const char *sysfs_path,
                                char *err, size_t err_len) {
    struct pci_access *a = pci_alloc();
    if (!a) {
        snprintf(err, err_len, "pci_alloc failed");
        return NULL;
    }
    a->error = on_error;
    a->warning = on_quiet;
    a->debug = on_quiet;
    a->method = method;
    if (dump_file && pci_set_param(a, "dump.name", (char *)dump_file) != 0) {
        snprintf(err, err_len, "libpci has no dump.name parameter");
        pci_cleanup(a);
        return NULL;
    }
    if (sysfs_path && pci_set_param(a, "sysfs.path", (char *)sysfs_path) != 0) {
        snprintf(err, err_len, "libpci has no sysfs.path parameter");
        pci_cleanup(a);
        return NULL;
    }
    // pci_init may fail (no access method works); the access object is then released.
    int ok = 0;
    {
        struct guard g;
        struct guard *saved = current_guard;
        g.err = err;
        g.err_len = err_len;
        if (err && err_len) err[0] = 0;
        current_guard = &g;
        if (setjmp(g.env) == 0) {
            pci_init(a);
            ok = 1;
        }
        current_guard = saved;
    }
    if (!ok) {
        // pci_cleanup after a failed pci_init is safe: it frees what was allocated.
        pci_cleanup(a);
        return NULL;
    }
    return a;
}

struct pci_access *clibpci_open_names(void) {
    struct pci_access *a = pci_alloc();
    if (!a) return NULL;
    a->error = on_error;
    a->warning = on_quiet;
    a->debug = on_quiet;
    return a;
}

int clibpci_scan(struct pci_access *a, char *err, size_t err_len) {
    GUARDED(-1, err, err_len, pci_scan_bus(a));
    return 0;
}

// libpci 3.8 gave pci_fill_info the symbol version LIBPCI_3.8, which the linker picks from
// Debian 12's libpci 3.9 and which Ubuntu 22.04's libpci 3.7 lacks: the binary would not
// start there. In 3.9 every version of the symbol is the same function, so bind the 3.5 one,
// which both have. Flags an older library does not know come back unset, and LibPCI.swift
// reads those fields itself then.
__asm__(".symver pci_fill_info,pci_fill_info@LIBPCI_3.5");

int clibpci_fill(struct pci_dev *d, int flags, char *err, size_t err_len) {
    int filled = 0;
    GUARDED(-1, err, err_len, filled = pci_fill_info(d, flags));
    return filled;
}

int clibpci_read_config(struct pci_dev *d, int pos, unsigned char *buf, int len,
                        char *err, size_t err_len) {
    int ok = 0;
    GUARDED(-1, err, err_len, ok = pci_read_block(d, pos, buf, len));
    return ok ? 1 : 0;
}

const char *clibpci_driver(struct pci_dev *d) {
    return pci_get_string_property(d, PCI_FILL_DRIVER);
}

// libpci 3.9.0 asks udev's hwdb for IDs pci.ids lacks. Where no hwdb.bin exists (containers,
// minimal hosts) each such lookup after the first makes a new `struct udev` and loses the
// previous one: fuzzing found the leak (fuzz/README.md). With no hwdb.bin the lookup cannot
// succeed anyway, so it is skipped there; these are the files systemd's libudev searches.
static int hwdb_flag(void) {
    static const char *const files[] = {
        "/etc/systemd/hwdb/hwdb.bin", "/etc/udev/hwdb.bin", "/usr/lib/systemd/hwdb/hwdb.bin",
        "/lib/systemd/hwdb/hwdb.bin", "/usr/lib/udev/hwdb.bin", "/lib/udev/hwdb.bin",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (access(files[i], F_OK) == 0) return 0;
    return PCI_LOOKUP_NO_HWDB;
}

const char *clibpci_vendor_name(struct pci_access *a, char *buf, int size, unsigned vendor) {
    const char *name = NULL;
    GUARDED(NULL, NULL, 0,
            name = pci_lookup_name(a, buf, size, PCI_LOOKUP_VENDOR | PCI_LOOKUP_NO_NUMBERS | hwdb_flag(),
                                   vendor));
    return name;
}

const char *clibpci_device_name(struct pci_access *a, char *buf, int size, unsigned vendor,
                                unsigned device) {
    const char *name = NULL;
    GUARDED(NULL, NULL, 0,
            name = pci_lookup_name(a, buf, size, PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS | hwdb_flag(),
                                   vendor, device));
    return name;
}

const char *clibpci_class_name(struct pci_access *a, char *buf, int size, unsigned cls) {
    const char *name = NULL;
    GUARDED(NULL, NULL, 0,
            name = pci_lookup_name(a, buf, size, PCI_LOOKUP_CLASS | PCI_LOOKUP_NO_NUMBERS | hwdb_flag(),
                                   cls));
    return name;
}

void clibpci_close(struct pci_access *a) {
    if (a) pci_cleanup(a);
}
