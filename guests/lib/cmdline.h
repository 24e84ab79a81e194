/* The guest's command line: blank-separated words, some of them key=value. */
#pragma once

#include "lib/compiler.h"

/*
 * Finds word key=VALUE in cmdline; returns VALUE (running to the next blank
 * or the end) and stores its length in *len, or returns NULL if absent.
 */
const char *cmdline_value(const char *cmdline, const char *key, size_t *len);

/* Returns the decimal number of key=N, or dflt when key is absent or N malformed. */
uint32_t cmdline_number(const char *cmdline, const char *key, uint32_t dflt);

/*
 * The environment the command line says the guest runs in: expect=hv (under
 * our hypervisor) or expect=bare (directly under QEMU, the default). Any other
 * value is reported as a FAIL line and treated as bare.
 */
bool cmdline_expect_hv(const char *cmdline);
