/* Writes the seed corpora, tests/fuzz/corpus/TARGET/NAME: valid inputs made by
 * the hypervisor's own builders (a VM's multiboot2 information and ACPI
 * tables, which the host parsers must take too), the unit tests' synthetic
 * images, and the test guests (stripped ELF files given on the command line).
 * usage: seeds CORPUS_DIR [mb1-guest.elf mb2-guest.elf] */
#include <elf.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hv/dev/gwalk.h"
#include "hv/load/guest_image.h"
#include "lib/multiboot1.h"
#include "lib/multiboot2.h"
#include "tests/fuzz/guest_ram_fuzz.h"
#include "tests/fuzz/inputs.h"
#include "tests/unit/guest_image_builder.h"

#define ACPI_RAM	MiB(2)
#define PTE		0x7ull		/* present, writable, user */
#define PS		0x80ull
#define CR0_PG_PE	0x80000001ull
#define CR4_PSE		(1ull << 4)
#define CR4_PAE		(1ull << 5)
#define EFER_LME_LMA	0x500ull

static const char *corpus;
static uint8_t buf[MiB(1)];

/* Write `plen` bytes of `prefix`, then `len` of `data`, as corpus/target/name. */
static void seed2(const char *target, const char *name, const void *prefix, size_t plen,
		  const void *data, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", corpus, target, name);
	f = fopen(path, "wb");
	if (!f || fwrite(prefix, 1, plen, f) != plen || fwrite(data, 1, len, f) != len ||
	    fclose(f)) {
		perror(path);
		exit(1);
	}
}

/* Write `len` bytes of `data` as corpus/target/name. */
static void seed(const char *target, const char *name, const void *data, size_t len)
{
	seed2(target, name, "", 0, data, len);
}

/* A VM's multiboot2 information, as the loader gives it to a guest. */
static size_t mb2_info(uint64_t ram_size, const char *cmdline, size_t modules)
{
	struct guest_boot_info bi = { .ram_size = ram_size, .cmdline = cmdline,
				      .module_count = modules };

	for (size_t i = 0; i < modules; i++) {
		bi.module_addr[i] = MiB(2) + i * MiB(1);
		bi.module_size[i] = KiB(64);
		bi.module_string[i] = i ? "vm=linux role=initrd" : "vm=demo mem=32M -- x=1";
	}
	return guest_mb2_info(buf, 0, &bi);
}

/* A VM's ACPI tables for `vcpus` vCPUs, from GUEST_ACPI_RSDP to their end. */
static size_t acpi_tables(uint8_t *out, unsigned vcpus)
{
	static uint8_t ram[ACPI_RAM];
	const struct guest_ram_piece piece = { 0, ACPI_RAM, ram };
	const struct guest_ram r = { ACPI_RAM, 1, &piece };
	size_t end = GUEST_ACPI_END;

	memset(ram, 0, sizeof(ram));
	if (guest_acpi_build(&r, vcpus))
		exit(1);
	while (end > GUEST_ACPI_RSDP && !ram[end - 1])
		end--;
	memcpy(out, ram + GUEST_ACPI_RSDP, end - GUEST_ACPI_RSDP);
	return end - GUEST_ACPI_RSDP;
}

static void mb2_info_seeds(void)
{
	static uint8_t rsdp_tag[sizeof(struct mb2_tag_rsdp) + 40];
	struct mb2_tag_rsdp *tag = (void *)rsdp_tag;
	size_t len = mb2_info(MiB(32), "console=com1,115200 loglevel=debug", 2);
	uint8_t acpi[KiB(8)];

	seed("mb2_info", "guest-32m-2mods", buf, len);
	seed("mb2_info", "guest-5g", buf, mb2_info(GiB(5), "", 0));
	/* With an ACPI 2.0 RSDP tag in place of the end tag, as GRUB gives. */
	len = mb2_info(MiB(256), "smp=2", 1) - sizeof(struct mb2_tag);
	acpi_tables(acpi, 2);
	*tag = (struct mb2_tag_rsdp){ { MB2_TAG_ACPI_NEW, sizeof(*tag) + 36 } };
	memcpy(tag->rsdp, acpi, 36);
	memcpy(buf + len, rsdp_tag, ALIGN_UP(tag->tag.size, MB2_TAG_ALIGN));
	len += ALIGN_UP(tag->tag.size, MB2_TAG_ALIGN);
	memcpy(buf + len, &(struct mb2_tag){ MB2_TAG_END, sizeof(struct mb2_tag) }, 8);
	len += 8;
	memcpy(buf, &(uint32_t){ len }, 4);
	seed("mb2_info", "guest-acpi-tag", buf, len);
}

static void acpi_seeds(void)
{
	uint8_t acpi[KiB(8)];
	size_t len;

	/* The first byte: RSDP bytes copied (36: ACPI 2.0, 20: 1.0), 0x80 the
	 * mapper fixing checksums (acpi.c). */
	len = acpi_tables(acpi, 1);
	seed2("acpi", "guest-1cpu", &(uint8_t){ 36 }, 1, acpi, len);
	seed2("acpi", "guest-1cpu-rsdt", &(uint8_t){ 20 }, 1, acpi, len);
	len = acpi_tables(acpi, 4);
	seed2("acpi", "guest-4cpu-fixsum", &(uint8_t){ 0x80 | 36 }, 1, acpi, len);
	len = acpi_tables(acpi, 64);
	seed2("acpi", "guest-64cpu", &(uint8_t){ 36 }, 1, acpi, len);
}

static void text_seeds(void)
{
	static const char *const cmdlines[][2] = {
		{ "default", "console=com1,115200 loglevel=info" },
		{ "grub-path", "/boot/hv.elf console=com2,9600 loglevel=debug smp=2 idle=poweroff" },
		{ "all", "nosmp panic=reboot selftest=panic focus=\"web 1\" history=0x100" },
	};
	static const char *const vm_lines[][2] = {
		{ "one", "/boot/t.elf vm=test mem=32M vcpus=2 kind=multiboot2 -- console=ttyS0" },
		{ "linux", "/boot/vmlinuz vm=web mem=2G vcpus=4 cpus=0,2-3 kind=linux "
			   "on_reboot=restart on_exit=restart -- console=ttyS0\n"
			   "/boot/initrd.img vm=web role=initrd\n"
			   "/boot/m.bin vm=web role=module -- a module" },
		{ "mixed", "vm=a mem=1M\nvm=b role=module\nvm=a mem=2M\nvm=c mem=4g kind=flat\n"
			   "vm=BAD mem=x" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cmdlines); i++)
		seed("cmdline", cmdlines[i][0], cmdlines[i][1], strlen(cmdlines[i][1]));
	for (size_t i = 0; i < ARRAY_SIZE(vm_lines); i++)
		seed("vm_config", vm_lines[i][0], vm_lines[i][1], strlen(vm_lines[i][1]));
}

/* The configuration every loader seed starts with: 32 MiB in mixed pieces,
 * a command line, and `modules` modules (Linux: an initrd instead). */
static struct load_config load_config(unsigned modules, bool initrd)
{
	return (struct load_config){
		.ram = 15, .piece = { 63, 15, 127 },
		.flags = modules << LOAD_MODULES_SHIFT | (initrd ? LOAD_INITRD : 0),
		.cmdline_len = 24, .module_size = 3, .string_len = 8,
	};
}

/* A loader seed: its configuration, then the image. */
static void load_seed(const char *target, const char *name, struct load_config cfg,
		      const void *image, size_t len)
{
	seed2(target, name, &cfg, sizeof(cfg), image, len);
}

/* A synthetic ELF whose one segment holds a multiboot header. */
static void elf_seed(const char *target, const char *name, unsigned class,
		     const void *header, size_t header_len)
{
	struct img_elf spec = {
		.class = class, .entry = 0x100010, .nseg = 2,
		.seg = { { .paddr = 0x100000, .filesz = 0x300, .memsz = 0x2000, .fill = 7 },
			 { .paddr = 0x200000, .filesz = 0x40, .memsz = 0x40, .fill = 9 } },
		.header = header, .header_len = header_len,
	};
	size_t size;
	uint8_t *image = img_build_elf(&spec, &size);

	load_seed(target, name, load_config(1, false), image, size);
	free(image);
}

/* A raw image with the multiboot header at offset `at`. */
static void raw_seed(const char *target, const char *name, const void *hdr, size_t len,
		     size_t at, size_t size)
{
	for (size_t j = 0; j < size; j++)
		buf[j] = (uint8_t)(j ^ 0x5a);
	memcpy(buf + at, hdr, len);
	load_seed(target, name, load_config(2, false), buf, size);
}

static void multiboot_seeds(void)
{
	const uint32_t aout[5] = { 0x200020, 0x200000, 0x201000, 0x202000, 0x200100 };
	uint32_t address[4] = { 0x100040, 0x100000, 0, 0x105000 }, entry_addr = 0x100080;
	uint8_t header[64];
	struct img_mb2 h;
	size_t len;

	len = img_mb1_header(header, MB1_HEADER_MEMORY_INFO, NULL);
	elf_seed("load_mb1", "elf32", ELFCLASS32, header, len);
	elf_seed("load_mb1", "elf64", ELFCLASS64, header, len);
	len = img_mb1_header(header, MB1_HEADER_AOUT_KLUDGE | MB1_HEADER_MEMORY_INFO, aout);
	raw_seed("load_mb1", "aout-kludge", header, len, 0x20, 0x1800);

	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_end(&h);
	elf_seed("load_mb2", "elf64", ELFCLASS64, h.bytes, h.len);
	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_tag(&h, MB2_HEADER_TAG_ENTRY_ADDRESS, 0, &entry_addr, 4);
	img_mb2_end(&h);
	elf_seed("load_mb2", "elf32-entry-tag", ELFCLASS32, h.bytes, h.len);
	img_mb2_begin(&h, MB2_ARCH_I386);
	img_mb2_tag(&h, MB2_HEADER_TAG_ADDRESS, 0, address, sizeof(address));
	img_mb2_tag(&h, MB2_HEADER_TAG_ENTRY_ADDRESS, 0, &entry_addr, 4);
	img_mb2_end(&h);
	raw_seed("load_mb2", "address-tag", h.bytes, h.len, 0x40, 0x3000);
}

/* A bzImage with 1 KiB of kernel needing 4 MiB (relocatable: at 16 MiB). */
static void bzimage_seed(const char *name, unsigned version, bool relocatable, bool initrd)
{
	const struct img_bzimage spec = { version, relocatable, KiB(1), MiB(16), MiB(4) };
	size_t size;
	uint8_t *image = img_build_bzimage(&spec, &size);

	load_seed("load_linux", name, load_config(0, initrd), image, size);
	free(image);
}

static void linux_and_flat_seeds(void)
{
	bzimage_seed("relocatable-2.15", 0x20f, true, true);
	bzimage_seed("fixed-2.06", 0x206, false, false);
	for (size_t j = 0; j < KiB(1); j++)
		buf[j] = (uint8_t)(j * 13);
	memcpy(buf + KiB(1) - 16, "\xea\x00\x00\x00\xf0", 5);	/* jmp far f000:0000 */
	load_seed("load_flat", "1k", (struct load_config){ .ram = 0 }, buf, KiB(1));
	load_seed("load_flat", "64k-pieces", (struct load_config){ .ram = 3, .piece = { 1, 2, 3 } },
		  buf, KiB(1));
}

/* A test guest's ELF file as a loader seed. */
static void guest_seed(const char *target, const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t len;
	const char *name = strrchr(path, '/');

	if (!f) {
		perror(path);
		exit(1);
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	load_seed(target, name ? name + 1 : path, load_config(1, false), buf, len);
}

static void insn_seeds(void)
{
	static const struct { const char *name; uint8_t mode; const char *code; size_t len; } c[] = {
		{ "mov-store-32", 1, "\x89\x18", 2 },			/* mov [eax], ebx */
		{ "mov-load-rip", 2, "\x8b\x05\x10\x00\x00\x00", 6 },	/* mov eax, [rip+16] */
		{ "movzx-sib", 2, "\x44\x0f\xb6\x44\x88\x08", 6 },	/* movzx r8d, byte [rax+rcx*4+8] */
		{ "rex-w-imm", 2, "\x48\xc7\x40\x04\xff\xff\xff\xff", 8 },	/* mov qword [rax+4], -1 */
		{ "alu-imm8", 0, "\x83\x47\x02\x01", 4 },		/* add word [bx+2], 1 (16-bit) */
		{ "moffs-gs", 2, "\x65\xa1\x00\x10\x00\x00\x00\x00\x00\x00", 10 },
		{ "xchg-lock", 1, "\xf0\x87\x0c\x24", 4 },		/* lock xchg [esp], ecx */
		{ "test-ah-refuse", 1 | INSN_REFUSE_READ, "\x84\x20", 2 },	/* test [eax], ah */
		{ "mov-cr4", 2, "\x0f\x22\xe0", 3 },			/* mov cr4, rax */
		{ "lock-mov-cr8", 1, "\xf0\x0f\x20\xc0", 4 },		/* AMD: mov eax, cr8 */
		{ "lmsw-reg", 1, "\x0f\x01\xf3", 3 },			/* lmsw bx */
		{ "lmsw-mem-fs", 1, "\x64\x67\x0f\x01\x37", 5 },	/* lmsw fs:[bx] */
	};

	for (size_t i = 0; i < ARRAY_SIZE(c); i++) {
		struct insn_input in = { c[i].mode, 0x8877665544332211ull };

		seed2("insn", c[i].name, &in, sizeof(in), c[i].code, c[i].len);
	}
}

/* A walk whose tables all share page 0: level k's entry (k = 1 at the
 * top) sits at index k, gva's index there; the top one is `top`, the
 * middle ones point back at page 0, the last maps `leaf`. */
static void walk_seed(const char *name, struct walk_input in, unsigned levels, unsigned bytes,
		      uint64_t top, uint64_t leaf)
{
	uint8_t mem[64] = { 0 };	/* repeated: page 0 and every other page alike */

	for (unsigned k = 1; k <= levels; k++)
		memcpy(mem + k * bytes, &(uint64_t){ k == levels ? leaf : k == 1 ? top : PTE },
		       bytes);
	seed2("gwalk", name, &in, sizeof(in), mem, sizeof(mem));
}

static void gwalk_seeds(void)
{
	const uint64_t gva4 = 1ull << 39 | 2ull << 30 | 3ull << 21 | 4ull << 12 | 0x123;
	const uint64_t gva32 = 1ull << 22 | 2ull << 12 | 0x456;

	const uint64_t gva_pae = 1ull << 30 | 2ull << 21 | 3ull << 12 | 0x789;

	walk_seed("long-4k", (struct walk_input){ CR0_PG_PE, 0, CR4_PAE, EFER_LME_LMA, gva4,
						  GWALK_WRITE, 16, 28 }, 4, 8, PTE, 0x5000 | PTE);
	walk_seed("long-2m-user", (struct walk_input){ CR0_PG_PE, 0, CR4_PAE, EFER_LME_LMA,
						       gva4, GWALK_USER, 16, 28 },
		  3, 8, PTE, 0x200000 | PS | PTE);
	/* A PAE PDPTE has no R/W or U/S (reserved there): present alone. */
	walk_seed("pae", (struct walk_input){ CR0_PG_PE, 0, CR4_PAE, 0, gva_pae, GWALK_FETCH, 0,
					      20 }, 3, 8, 1, 0x7000 | PTE);
	walk_seed("32bit-4m", (struct walk_input){ CR0_PG_PE, 0, CR4_PSE, 0, gva32, 0, 0, 20 },
		  1, 4, 0x400000 | PS | PTE, 0x400000 | PS | PTE);
	walk_seed("32bit-4k", (struct walk_input){ CR0_PG_PE, 0, 0, 0, gva32, GWALK_WRITE, 0, 20 },
		  2, 4, PTE, 0x9000 | PTE);
}

static void history_seeds(void)
{
	/* Ring sizes, then: write 5, read, run 128 bytes, read from far back, write 3. */
	static const uint8_t ops[] = { 0x10, 0x00, 0x85, 'h', 'e', 'l', 'l', 'o', 0x02, 0x03, 0x00,
				       0xc2, 0x10, 0x00, 0x01, 0x83, 'a', 'b', 'c', 0x7f, 0xff, 0xff };

	seed("history", "small-ring", ops, sizeof(ops));
	seed("history", "one-byte-ring", (const uint8_t[]){ 0, 0, 0x83, 'x', 'y', 'z', 0x01, 4, 0 },
	     9);
}

/* A gdb session's opening, a step and a stop; a bad checksum, Ctrl-C, a
 * packet past PacketSize's worth of escapes. */
static void gdb_packet_seeds(void)
{
	static const char session[] = "+$qSupported:multiprocess+;swbreak+#1b$?#3f$Hg1#e0"
				      "$m100000,40#1e$Z0,100120,1#37$vCont;s:1#23$g#67+";
	static const char bad[] = "$qC#00\x03-$X100,4:}]}]}]}]#00$M0,2:zz#09";

	seed("gdb_packet", "session", (const uint8_t *)session, sizeof(session) - 1);
	seed("gdb_packet", "bad", (const uint8_t *)bad, sizeof(bad) - 1);
}

/* Lines for the fuzz target's own commands, edited, with ticks (0xff). */
static void monitor_seeds(void)
{
	static const char lines[] = "help\rhelp words\rwords a b\r\nwords  x\x7fy\rnumber 0x10 16\r"
				    "number -1 5\rnumber 99 7\rwait 3\r\xff\xff\xff\xffwords\x15help\r"
				    "nothing\r";

	seed("monitor", "lines", (const uint8_t *)lines, sizeof(lines) - 1);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR [mb1-guest.elf mb2-guest.elf]\n", argv[0]);
		return 2;
	}
	corpus = argv[1];
	mb2_info_seeds();
	acpi_seeds();
	text_seeds();
	multiboot_seeds();
	linux_and_flat_seeds();
	if (argc > 3) {
		guest_seed("load_mb1", argv[2]);
		guest_seed("load_mb2", argv[3]);
	}
	insn_seeds();
	gwalk_seeds();
	history_seeds();
	gdb_packet_seeds();
	monitor_seeds();
	return 0;
}
