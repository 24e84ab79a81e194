/* Masking the 8259 pair; nothing else of it is used. */
#include "drivers/pic8259.h"
#include "x86/insn.h"

#define PIC_MASTER_DATA	0x21
#define PIC_SLAVE_DATA	0xa1
#define PIC_MASK_ALL	0xff

void pic8259_mask_all(void)
{
	outb(PIC_MASTER_DATA, PIC_MASK_ALL);
	outb(PIC_SLAVE_DATA, PIC_MASK_ALL);
}
