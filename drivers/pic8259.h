/* The legacy 8259 interrupt controllers. */
#pragma once

/* Mask every IRQ of both 8259s: the hypervisor takes interrupts only
 * through the local APIC. Firmware may leave the PIT's IRQ 0 unmasked and
 * some emulators (Bochs) deliver it even with LINT0 masked, where its
 * default vector 8 would look like a double fault. */
void pic8259_mask_all(void);
