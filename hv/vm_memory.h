/* A VM's memory: its guest RAM in host blocks, the memslots that map it
 * and the TDP MMU that translates it (hv/vm_memory.c). */
#pragma once

struct vm;

/* Allocate vm->ram_bytes of guest RAM, zeroed, from whatever host memory
 * is free (1 GiB down to 2 MiB blocks), lay it out below the PCI hole and
 * from 4 GiB, and create the memslots and the TDP MMU. Returns 0, or -1
 * with the reason in vm->stop_reason; vm_memory_destroy() undoes a part. */
int vm_memory_create(struct vm *vm);

/* Undo vm_memory_create(), whatever part of it succeeded. */
void vm_memory_destroy(struct vm *vm);
