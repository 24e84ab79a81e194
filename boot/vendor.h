/* Choosing the vendor code at boot: the one place that names both. */
#pragma once

#include "lib/compiler.h"

/* Pick SVM or VMX from CPUID, check the features guests need and set
 * `vendor` (hv/vendor.h); false (with the reason logged) when neither is
 * usable. */
bool vendor_probe(void);
